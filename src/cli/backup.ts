import { takeBackup } from '../backup/backup';
import { backupTargets } from '../backup/files';
import { attachDatabase } from '../db/attach';
import { runCli } from './run';

/** `npm run backup`: one consistent backup now, beside a running bot or not; prints the file(s) written. */
await runCli(async (config, logger) => {
  const database = await attachDatabase(config, logger);
  try {
    const result = await takeBackup(database.pool, backupTargets(config), logger);
    if (!result) throw new Error('另一个备份正在进行，请稍后再试 (another backup is running)');
    process.stdout.write([result.file, result.copy].filter(Boolean).join('\n') + '\n');
  } finally {
    await database.close();
  }
});
