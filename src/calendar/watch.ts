import pg from 'pg';
import type { Executor } from '../db/database';
import type { Logger } from '../log';
import type { WorkCalendar } from './calendar';
import { CALENDAR_CHANNEL, loadCalendar } from './store';

export interface CalendarWatch {
  stop(): Promise<void>;
}

const RETRY_MS = 1_000;

/**
 * Reloads this process's calendar whenever any process changes it: LISTEN on the channel the changes NOTIFY in their
 * transaction, over a connection of its own. After a lost connection it reconnects and reloads once, for whatever was
 * announced meanwhile, so a change is never missed for longer than the outage.
 */
export async function watchCalendar(options: {
  databaseUrl: string;
  db: Executor;
  calendar: WorkCalendar;
  logger: Logger;
}): Promise<CalendarWatch> {
  const { databaseUrl, db, calendar, logger } = options;
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const reload = () =>
    loadCalendar(db, calendar).catch((error: unknown) => logger.warn({ err: error }, 'could not reload the calendar'));

  const reconnect = () => {
    if (stopped || retry) return;
    client = null;
    retry = setTimeout(() => {
      retry = undefined;
      void listen(true);
    }, RETRY_MS);
  };

  async function listen(catchUp: boolean): Promise<void> {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'wecom-ticket-bot-calendar' });
    next.on('error', () => next === client && reconnect());
    next.on('end', () => next === client && reconnect());
    next.on('notification', () => void reload());
    try {
      client = next;
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(CALENDAR_CHANNEL)}`);
      if (catchUp) await reload();
    } catch (error) {
      logger.warn({ err: error }, 'calendar change notifications interrupted');
      next.removeAllListeners('end');
      await next.end().catch(() => undefined);
      if (next === client) reconnect();
    }
  }

  await listen(false);
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      const last = client;
      client = null;
      await last?.end().catch(() => undefined);
    },
  };
}
