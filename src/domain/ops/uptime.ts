import { sql } from 'kysely';
import { MINUTE_MS } from '../../clock';
import type { Db, Executor } from '../../db/database';

/**
 * Records whether the bot's WeCom connection works this minute (the caller asks the same as /readyz: some process
 * holds an unexpired lease and says its long connection is authenticated). Sampled twice a minute by whichever process
 * runs the job, so a late run does not leave a minute empty; a minute is connected when any of its samples was.
 */
export async function recordConnection(db: Db, now: Date, connected: boolean): Promise<void> {
  const minute = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
  await sql`
    INSERT INTO wecom_uptime (minute, connected) VALUES (${minute}, ${connected})
    ON CONFLICT (minute) DO UPDATE SET connected = wecom_uptime.connected OR EXCLUDED.connected
  `.execute(db);
}

export interface Uptime {
  /** Minutes of the period since sampling began (before the first sample nothing was measured). */
  minutes: number;
  connected: number;
  /** Spells of one or more minutes without a working connection, a minute no process ran included. */
  outages: number;
}

/** The connection's record over [from, to); null when nothing was sampled in it. */
export async function uptime(db: Executor, from: Date, to: Date): Promise<Uptime | null> {
  const first = await db.selectFrom('wecom_uptime').select(sql<Date | null>`min(minute)`.as('at')).where('minute', '<', to).executeTakeFirstOrThrow();
  if (!first.at) return null;
  const start = first.at > from ? first.at : from;
  const { rows } = await sql<Uptime>`
    WITH states AS (
      SELECT m.minute, coalesce(u.connected, false) AS up
      FROM generate_series(${start}::timestamptz, ${to}::timestamptz - interval '1 minute', interval '1 minute') AS m (minute)
      LEFT JOIN wecom_uptime u ON u.minute = m.minute
    ), marked AS (
      SELECT up, lag(up) OVER (ORDER BY minute) AS before FROM states
    )
    SELECT count(*)::int AS minutes,
           count(*) FILTER (WHERE up)::int AS connected,
           count(*) FILTER (WHERE NOT up AND before IS DISTINCT FROM false)::int AS outages
    FROM marked
  `.execute(db);
  const row = rows[0]!;
  return row.minutes > 0 ? row : null;
}
