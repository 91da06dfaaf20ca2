import path from 'node:path';
import { restoreDatabase } from '../backup/restore';
import { attachDatabase } from '../db/attach';
import { runCli } from './run';

/**
 * `npm run restore -- <file>`: loads a backup into the configured database, which must hold no data yet (a new
 * DATABASE_URL database, or a new DATA_DIR, created here when missing). Then `npm start` as usual.
 */
await runCli(async (config, logger) => {
  const file = process.argv[2];
  if (!file) throw new Error('用法 usage: npm run restore -- <备份文件 backup file>');
  const database = await attachDatabase(config, logger, { create: true });
  try {
    const header = await restoreDatabase(database.pool, path.resolve(file), logger);
    process.stdout.write(`已恢复 restored ${file} (taken ${header.createdAt}, ${header.tables.length} tables)\n`);
  } finally {
    await database.close();
  }
});
