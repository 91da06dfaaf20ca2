import { sql } from 'kysely';
import { DAY_MS, type Clock } from '../../clock';
import type { Db, Executor, Tx } from '../../db/database';
import type { Logger } from '../../log';
import { markdown, picture, type OutboxPort } from '../../protocol/outbound';
import { fromShanghai, shanghaiDate, shanghaiTime, type WorkCalendar } from '../../calendar/calendar';
import type { Org } from '../org';
import type { OrgSource } from '../org/store';
import { dayLabel } from '../sla/messages';
import { KINDS, OPEN_STATES, type Kind } from '../tickets/machine';
import { digestChart, renderPng } from './pictures';

/** Events that close a ticket for the desk's count of work done. */
const CLOSING_EVENTS = ['approved', 'answered', 'linked'];

export interface DigestService {
  /** Queues today's digest if it is due and not yet queued; safe to call from any process, any number of times. */
  sendIfDue(): Promise<boolean>;
  /** For event sources that cannot wait (clock listeners): failures are logged, the next job run retries. */
  sendSoon(): void;
}

/** What the digest needs of the process. */
export interface DigestDeps {
  db: Db;
  clock: Clock;
  calendar: WorkCalendar;
  config: { WORKING_HOURS_START: string };
  orgs: OrgSource;
  logger: Logger;
  outbox: OutboxPort;
}

export function createDigestService(ctx: DigestDeps): DigestService {
  const deps = { clock: ctx.clock, calendar: ctx.calendar, workdayStart: ctx.config.WORKING_HOURS_START, outbox: ctx.outbox };
  const sendIfDue = () => ctx.db.transaction().execute(async (tx) => sendDailyDigestIfDue(tx, deps, await ctx.orgs.current(tx)));
  return {
    sendIfDue,
    sendSoon() {
      sendIfDue().catch((error: unknown) => ctx.logger.error({ err: error }, 'daily digest failed'));
    },
  };
}

export interface DigestFigures {
  /** The days covered: from 00:00 of the previous working day (so Monday's covers the weekend) to 00:00 today. */
  from: Date;
  to: Date;
  opened: { kind: Kind; count: number }[];
  closed: number;
  newlyOverdue: number;
  openByUnit: { unitId: string | null; count: number }[];
  /** Open tickets past a running deadline, by the same owning unit as `openByUnit`: a part of the open count. */
  overdueByUnit: { unitId: string | null; count: number; oldestDueAt: Date }[];
}

/**
 * The leaders' morning digest, sent once on each working day at the start of working hours to every leadership
 * group. Once means once: the outbox's dedupe key is the day, whichever process or sweep gets there first.
 * Returns whether this call queued it.
 */
export async function sendDailyDigestIfDue(
  tx: Tx,
  deps: { clock: Clock; calendar: WorkCalendar; workdayStart: string; outbox: OutboxPort },
  org: Org,
): Promise<boolean> {
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  if (!deps.calendar.isWorkingDay(today) || shanghaiTime(now) < deps.workdayStart) return false;
  const leaders = org.doc.units.filter((unit) => unit.type === 'leadership');
  if (leaders.length === 0) return false;
  const key = `digest:${today}`;
  if (await deps.outbox.isQueued(tx, key)) return false;
  const figures = await digestFigures(tx, deps.calendar, now);
  const content = formatDigest(org, figures, now);
  // The picture first, then the few lines that say what it shows: a leader reads the chart, not a wall of numbers.
  const chart = picture(renderPng(digestChart(dayLabel(now), openAndOverdueByUnit(org, figures))), `每日简报-${today}.png`);
  const ids = await deps.outbox.enqueue(
    tx,
    leaders.flatMap((unit) => [
      { channel: 'push' as const, chatId: unit.chatId, body: chart },
      { channel: 'push' as const, chatId: unit.chatId, body: markdown(content) },
    ]),
    key,
  );
  return ids.length > 0;
}

/** What came in, what was closed and what went overdue in [from, to): the daily digest's and the monthly report's. */
export async function ticketFlow(
  db: Executor,
  from: Date,
  to: Date,
): Promise<{ opened: { kind: Kind; count: number }[]; closed: number; newlyOverdue: number }> {
  const [opened, closed, newlyOverdue] = await Promise.all([
    db
      .selectFrom('tickets')
      .select(['kind', sql<number>`count(*)::int`.as('count')])
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .groupBy('kind')
      .execute(),
    db
      .selectFrom('ticket_events')
      .select(sql<number>`count(DISTINCT ticket_id)::int`.as('count'))
      .where('type', 'in', CLOSING_EVENTS)
      .where('at', '>=', from)
      .where('at', '<', to)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('tickets')
      .select(sql<number>`count(*)::int`.as('count'))
      .where('overdue_at', '>=', from)
      .where('overdue_at', '<', to)
      .executeTakeFirstOrThrow(),
  ]);
  const kindOrder = Object.keys(KINDS) as Kind[];
  return {
    opened: opened.map((row) => ({ kind: row.kind, count: row.count })).sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind)),
    closed: closed.count,
    newlyOverdue: newlyOverdue.count,
  };
}

export async function digestFigures(db: Executor, calendar: WorkCalendar, now: Date): Promise<DigestFigures> {
  const to = fromShanghai(shanghaiDate(now));
  let from = new Date(to.getTime() - DAY_MS);
  while (!calendar.isWorkingDay(from)) from = new Date(from.getTime() - DAY_MS);

  const [{ opened, closed, newlyOverdue }, openByUnit, overdue] = await Promise.all([
    ticketFlow(db, from, to),
    db
      .selectFrom('tickets')
      .select(['owner_unit_id', sql<number>`count(*)::int`.as('count')])
      .where('state', 'in', OPEN_STATES)
      .groupBy('owner_unit_id')
      .orderBy(sql`count(*)`, 'desc')
      .execute(),
    // Each overdue ticket once, charged to whoever held its first missed step then (the clock's holder), not to the
    // unit it was last handed to: a ticket returned in time and left unsent is the desk's.
    db
      .selectFrom(
        db
          .selectFrom('tickets as k')
          .innerJoin('sla_clocks as c', 'c.ticket_id', 'k.id')
          .distinctOn('k.id')
          .select(['k.id', 'c.unit_id', 'c.due_at'])
          .where('k.state', 'in', OPEN_STATES)
          .where('c.stopped_at', 'is', null)
          .where('c.due_at', '<=', now)
          .orderBy('k.id')
          .orderBy('c.due_at')
          .as('o'),
      )
      .select(['o.unit_id', sql<number>`count(*)::int`.as('count'), sql<Date>`min(o.due_at)`.as('oldest')])
      .groupBy('o.unit_id')
      .orderBy(sql`count(*)`, 'desc')
      .execute(),
  ]);
  return {
    from,
    to,
    opened,
    closed,
    newlyOverdue,
    openByUnit: openByUnit.map((row) => ({ unitId: row.owner_unit_id, count: row.count })),
    overdueByUnit: overdue.map((row) => ({ unitId: row.unit_id, count: row.count, oldestDueAt: row.oldest })),
  };
}

function unitNameOf(org: Org): (id: string | null) => string {
  return (id) => (id === null ? org.desk.name : (org.findUnit(id)?.name ?? id));
}

/** Each unit with open tickets: how many, and how many of them are overdue (the digest's picture). */
export function openAndOverdueByUnit(org: Org, figures: DigestFigures): { name: string; open: number; overdue: number }[] {
  const unitName = unitNameOf(org);
  return figures.openByUnit.map((row) => ({
    name: unitName(row.unitId),
    open: row.count,
    overdue: figures.overdueByUnit.find((late) => late.unitId === row.unitId)?.count ?? 0,
  }));
}

/** The digest's text, beside its picture: the day's flow, the open count, and who is late since when. */
export function formatDigest(org: Org, figures: DigestFigures, now: Date): string {
  const unitName = unitNameOf(org);
  const total = figures.opened.reduce((sum, row) => sum + row.count, 0);
  const lastDay = new Date(figures.to.getTime() - DAY_MS);
  const span = figures.from.getTime() === lastDay.getTime() ? '昨日' : `${dayLabel(figures.from)}至${dayLabel(lastDay)}`;
  const lines = [
    `**95598 每日简报 · ${dayLabel(now)}**`,
    `${span}受理 ${total} 件${total ? '：' + figures.opened.map((row) => `${KINDS[row.kind].name} ${row.count}`).join(' · ') : ''}`,
    `${span}办结 ${figures.closed} 件，新增超时 ${figures.newlyOverdue} 件`,
  ];
  const open = figures.openByUnit.reduce((sum, row) => sum + row.count, 0);
  const overdue = figures.overdueByUnit.reduce((sum, row) => sum + row.count, 0);
  // Overdue tickets are open tickets: one count of tickets, so the two lines never disagree.
  lines.push(open ? `在办 ${open} 件（其中超时 ${overdue} 件），各单位见上图` : '在办 0 件');
  lines.push(
    overdue
      ? `<font color="warning">超时 ${overdue} 件</font>：` +
          figures.overdueByUnit
            .map((row) => `${unitName(row.unitId)} ${row.count}（最早 ${dayLabel(row.oldestDueAt)} ${shanghaiTime(row.oldestDueAt)} 到期）`)
            .join(' · ')
      : '当前无超时事项',
  );
  return lines.join('\n');
}

