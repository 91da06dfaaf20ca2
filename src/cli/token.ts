import { storedAdminToken } from '../admin-token';
import { attachDatabase } from '../db/attach';
import { runCli } from './run';

/** `npm run token`: shows the admin API token again, to whoever can read the database. */
await runCli(async (config, logger) => {
  if (config.ADMIN_TOKEN) {
    // Whoever runs this already has it in their environment: no need to print it.
    process.stderr.write('管理令牌由环境变量 ADMIN_TOKEN 设定 (the admin token is the ADMIN_TOKEN setting)\n');
    return;
  }
  const database = await attachDatabase(config, logger);
  try {
    const token = await storedAdminToken(database.db).catch(() => undefined);
    if (!token) throw new Error('尚未生成管理令牌，请先启动一次机器人 (no admin token yet: start the bot once)');
    process.stdout.write(token + '\n');
  } finally {
    await database.close();
  }
});
