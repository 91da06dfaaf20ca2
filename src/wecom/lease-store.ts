import { sql } from 'kysely';
import type { Db } from '../db/database';

/** Whether some process holds an unexpired lease on the bot and says its long connection is authenticated. */
export async function workingHolder(db: Db, botId: string): Promise<boolean> {
  const row = await db
    .selectFrom('wecom_leases')
    .select('connected')
    .where('bot_id', '=', botId)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.connected === true;
}
