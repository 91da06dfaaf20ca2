import { attachDatabase } from '../db/attach';
import type { Db } from '../db/database';
import { randomSecret } from '../db/embedded';
import { runCli } from './run';

/** The generated tokens, as the first start keeps them in `app_secrets`, with what a reader needs to know of each. */
const TOKENS = [
  { name: 'admin_token', setting: 'ADMIN_TOKEN', label: '管理令牌 admin ', use: '/api 全部接口' },
  { name: 'leader_token', setting: 'LEADER_TOKEN', label: '领导令牌 leader', use: '只读：控制台与 GET /api' },
] as const;

/**
 * `npm run token`: shows the admin and the leaders' tokens again, to whoever can read the database (one `label token`
 * line each on stdout). `npm run token -- --reissue` replaces the generated ones with new ones first; the running bot
 * keeps accepting the old ones until it is restarted. A token set in the environment is not shown: who runs this has it.
 */
await runCli(async (config, logger) => {
  const reissue = process.argv.includes('--reissue');
  const database = await attachDatabase(config, logger);
  try {
    const generated = TOKENS.filter((token) => !config[token.setting]);
    if (reissue && generated.length > 0) await reissueTokens(database.db, generated.map((token) => token.name));
    const stored = await storedTokens(database.db);
    if (generated.some((token) => !stored.has(token.name))) {
      throw new Error('尚未生成令牌，请先启动一次机器人 (no tokens yet: start the bot once)');
    }
    for (const token of TOKENS) {
      const value = config[token.setting] ? `由环境变量 ${token.setting} 设定` : stored.get(token.name)!;
      process.stdout.write(`${token.label}  ${value}   (${token.use})\n`);
    }
    if (reissue) process.stderr.write('已重新生成；重启机器人后旧令牌失效 (reissued: restart the bot to retire the old tokens)\n');
  } finally {
    await database.close();
  }
});

async function storedTokens(db: Db): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('app_secrets')
    .select(['name', 'value'])
    .where('name', 'in', TOKENS.map((token) => token.name))
    .execute();
  return new Map(rows.map((row) => [row.name, row.value]));
}

/** New values for the named tokens, also for one never generated (its bot has not started since it was added). */
async function reissueTokens(db: Db, names: string[]): Promise<void> {
  await db
    .insertInto('app_secrets')
    .values(names.map((name) => ({ name, value: randomSecret() })))
    .onConflict((conflict) => conflict.column('name').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
}

