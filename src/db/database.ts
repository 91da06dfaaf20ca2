import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or an open transaction: repository functions take this so callers choose the transaction. */
export type Executor = Db | Tx;

// bigint (COUNT, bigserial) as JS numbers: our ids and counts stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
// `date` columns stay YYYY-MM-DD strings: a calendar day has no time zone, and the host's must not shift it.
pg.types.setTypeParser(1082, (value) => value);

export interface DatabaseHandle {
  pool: pg.Pool;
  db: Db;
  close(): Promise<void>;
}

/**
 * A client losing its server must not crash the process; the statement in progress or the next one reports the error,
 * and the pool drops the client when it is released. The pool hears idle clients; a client checked out (a transaction
 * between statements when the server restarts) emits 'error' on itself, which would otherwise throw.
 */
export function survivesServerLoss(pool: pg.Pool): pg.Pool {
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export function connectDatabase(url: string, max = 10): DatabaseHandle {
  const pool = survivesServerLoss(new pg.Pool({ connectionString: url, max, application_name: 'wecom-ticket-bot' }));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { pool, db, close: () => db.destroy() };
}
