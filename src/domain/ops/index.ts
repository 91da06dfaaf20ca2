import { DAY_MS, type Clock } from '../../clock';
import type { Config } from '../../config';
import { backupTargets } from '../../backup/files';
import type { Db } from '../../db/database';
import { markdown, type OutboxPort } from '../../protocol/outbound';
import { fromShanghai, shanghaiDate, shanghaiTime, type WorkCalendar } from '../../calendar/calendar';
import type { OrgSource } from '../org/store';
import { previousMonth } from '../reports/assessment';
import { formatWeeklySummary, pruneOpsRecords, summariseLogEvents } from './log-events';
import { formatOperationReport, operationFigures } from './operation-report';
import { formatSelfCheck, selfCheckFigures } from './self-check';
import { weekday } from '../sla/messages';
import { silentGroups } from '../heard-chats';
import { recordConnection } from './uptime';
import { OPERATIONS } from '../regulation';

export { recordLogEvents } from './log-events';


/**
 * The operations messages of the regulation's chapter 4, to the desk chat: a self-check twice a day, the week's
 * warnings and errors, the month's operation report. Each `…IfDue` may be called by any process any number of times:
 * the outbox's UNIQUE dedupe key (the slot, the week, the month) lets one message through.
 */
export interface OpsService {
  /** The self-check of the start or the end of working hours, every day (the desk is staffed on holidays too). */
  selfCheckIfDue(): Promise<boolean>;
  /** Last week's warnings and errors, on Monday from 09:00. */
  weeklyIfDue(): Promise<boolean>;
  /** Last month's operation report, on the 1st from 09:00. */
  monthlyIfDue(): Promise<boolean>;
  /** Whether the WeCom connection works this minute, for the monthly availability. */
  sampleConnection(): Promise<void>;
  /** Deletes warnings, errors and connection minutes older than the retention. */
  prune(): Promise<void>;
}

/** What the operations messages need of the process. */
export interface OpsDeps {
  db: Db;
  clock: Clock;
  outbox: OutboxPort;
  orgs: OrgSource;
  config: Pick<Config, 'OPS_REPORTS' | 'WORKING_HOURS_START' | 'WORKING_HOURS_END' | 'DATA_DIR' | 'BACKUP_DIR' | 'BACKUP_COPY_DIR' | 'BACKUP_KEEP'>;
  /** Whether the database lives under DATA_DIR (its disk is then checked too). */
  database: { embedded: boolean };
  calendar: WorkCalendar;
}

/** `connectionWorks`: whether the bot's WeCom connection works now, as /readyz judges it (the transport knows how). */
export function createOpsService(ctx: OpsDeps, botId: string, connectionWorks: () => Promise<boolean>): OpsService {
  const enabled = ctx.config.OPS_REPORTS === '1';
  const slots = [...new Set([ctx.config.WORKING_HOURS_START, ctx.config.WORKING_HOURS_END])].sort();
  const sources = { botId, backups: backupTargets(ctx.config), dataDirs: ctx.database.embedded ? [ctx.config.DATA_DIR] : [], calendar: ctx.calendar };

  /** Queues `content` to the desk chat under `key`, unless a message with that key was queued before. */
  const toDesk = async (key: string, content: () => Promise<string>): Promise<boolean> => {
    if (await ctx.outbox.isQueued(ctx.db, key)) return false;
    // Figures are read outside a transaction (the self-check reads the disk); two processes racing both build the
    // message and the dedupe key keeps one.
    const text = await content();
    const desk = (await ctx.orgs.current(ctx.db)).desk;
    const ids = await ctx.outbox.enqueue(ctx.db, { channel: 'push', chatId: desk.chatId, body: markdown(text) }, key);
    return ids.length > 0;
  };

  return {
    async selfCheckIfDue() {
      if (!enabled) return false;
      const now = ctx.clock.now();
      const slot = dueSlot(now, slots);
      if (!slot) return false;
      return toDesk(`self-check:${shanghaiDate(now)}:${slot}`, async () => {
        const silent = await silentGroups(ctx.db, await ctx.orgs.current(ctx.db));
        return formatSelfCheck({ ...(await selfCheckFigures(ctx.db, sources, now)), silentGroups: silent.map((g) => g.unit) });
      });
    },

    async weeklyIfDue() {
      if (!enabled) return false;
      const now = ctx.clock.now();
      const today = shanghaiDate(now);
      // Only on the Monday: a process first started later in the week does not send an old week.
      if (weekday(today) !== 1 || shanghaiTime(now) < OPERATIONS.reportTime) return false;
      const to = fromShanghai(today);
      const from = new Date(to.getTime() - 7 * DAY_MS);
      return toDesk(`ops-weekly:${today}`, async () => formatWeeklySummary(await summariseLogEvents(ctx.db, from, to)));
    },

    async monthlyIfDue() {
      if (!enabled) return false;
      const now = ctx.clock.now();
      if (!shanghaiDate(now).endsWith('-01') || shanghaiTime(now) < OPERATIONS.reportTime) return false;
      const month = previousMonth(now);
      return toDesk(`ops-monthly:${month}`, async () => formatOperationReport(await operationFigures(ctx.db, month)));
    },

    async sampleConnection() {
      await recordConnection(ctx.db, ctx.clock.now(), await connectionWorks());
    },
    prune: () => pruneOpsRecords(ctx.db, ctx.clock.now()),
  };
}

/** The self-check time of today that has come and is not older than the grace, if any: the later one wins. */
export function dueSlot(now: Date, slots: readonly string[]): string | undefined {
  const today = shanghaiDate(now);
  return slots.filter((slot) => {
    const since = now.getTime() - fromShanghai(today, slot).getTime();
    return since >= 0 && since < OPERATIONS.selfCheckGraceMs;
  }).at(-1);
}
