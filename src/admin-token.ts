import type { Db } from './db/database';
import { randomSecret } from './db/embedded';

/**
 * The admin API's bearer token: `ADMIN_TOKEN` when set, otherwise one generated at first start and kept in the
 * database (so it survives restarts and is shared by every process). `created` tells the caller to print it once.
 */
export async function resolveAdminToken(db: Db, configured: string | undefined): Promise<{ token: string; created: boolean }> {
  return resolveToken(db, 'admin_token', configured);
}

/** The leaders' read-only token (GET routes only): `LEADER_TOKEN`, or generated and kept like the admin token. */
export async function resolveLeaderToken(db: Db, configured: string | undefined): Promise<{ token: string; created: boolean }> {
  return resolveToken(db, 'leader_token', configured);
}

async function resolveToken(db: Db, name: string, configured: string | undefined): Promise<{ token: string; created: boolean }> {
  if (configured) return { token: configured, created: false };
  const inserted = await db
    .insertInto('app_secrets')
    .values({ name, value: randomSecret() })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .returning('value')
    .executeTakeFirst();
  if (inserted) return { token: inserted.value, created: true };
  return { token: (await storedToken(db, name))!, created: false };
}

/** The admin token generated at first start, if any (`npm run token`). */
export async function storedAdminToken(db: Db): Promise<string | undefined> {
  return storedToken(db, 'admin_token');
}

async function storedToken(db: Db, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('app_secrets').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value;
}
