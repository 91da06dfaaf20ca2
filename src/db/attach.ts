import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../log';
import { connectDatabase, type DatabaseHandle } from './database';
import { postgresOf, startEmbeddedPostgres } from './embedded';
import { readOrCreateSecret } from './open';

export interface AttachedDatabase extends DatabaseHandle {
  url: string;
}

/**
 * The service's database for a command-line tool (`npm run token`, `backup`, `restore`), without disturbing a running
 * bot: `DATABASE_URL` when set; else the embedded server the bot is running now (found through its postmaster.pid),
 * or, when none runs, the embedded server started for the tool alone and stopped at `close()`. No migrations run.
 * `create`: a missing embedded data directory is created (a restore onto a new machine) instead of refused.
 */
export async function attachDatabase(
  config: Config,
  logger: Logger,
  options: { create?: boolean } = {},
): Promise<AttachedDatabase> {
  if (config.DATABASE_URL) return { ...connectDatabase(config.DATABASE_URL, 2), url: config.DATABASE_URL };
  const dataDir = path.resolve(config.DATA_DIR);
  const pgDir = path.join(dataDir, 'pg');
  if (options.create) await mkdir(dataDir, { recursive: true });
  const passwordFile = path.join(dataDir, 'pg-password');
  const password = options.create
    ? await readOrCreateSecret(passwordFile)
    : (await readFile(passwordFile, 'utf8').catch(() => '')).trim();
  if (!password) throw new Error(`no embedded database under ${dataDir} (start the bot once, or set DATABASE_URL)`);
  const running = await runningPort(pgDir);
  if (running) {
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${running}/postgres`;
    return { ...connectDatabase(url, 2), url };
  }
  const server = await startEmbeddedPostgres({ dir: pgDir, password, logger });
  const url = server.urlFor('postgres');
  const handle = connectDatabase(url, 2);
  return {
    ...handle,
    url,
    async close() {
      await handle.close();
      await server.stop();
    },
  };
}

/** The port of the embedded server currently serving `pgDir` (line 4 of postmaster.pid), when one is running. */
async function runningPort(pgDir: string): Promise<number | undefined> {
  const lines = (await readFile(path.join(pgDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return undefined;
  return (await postgresOf(pid, pgDir)) === 'this' ? port : undefined;
}
