import type { Db } from './database';

/** Facts about this database that decide how the service may start (100_bot_safety.sql). */
const REAL_BOT = 'served_real_bot';

/** The bot id of the first real WeCom bot that connected on this database, if any did. */
export async function realBotServed(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('service_facts').select('value').where('name', '=', REAL_BOT).executeTakeFirst();
  return row?.value;
}

/** Written the first time a real bot's long connection authenticates; kept from then on. */
export async function recordRealBot(db: Db, botId: string): Promise<void> {
  await db.insertInto('service_facts').values({ name: REAL_BOT, value: botId }).onConflict((c) => c.column('name').doNothing()).execute();
}
