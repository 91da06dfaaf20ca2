import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../log';
import { connectDatabase, type DatabaseHandle } from './database';
import { randomSecret, startEmbeddedPostgres } from './embedded';
import { runMigrations } from './migrate';

export interface OpenDatabase extends DatabaseHandle {
  url: string;
  embedded: boolean;
}

/** `DATABASE_URL` when given; otherwise a PostgreSQL of our own under `DATA_DIR/pg`, created on first start. */
export async function openDatabase(config: Config, logger: Logger): Promise<OpenDatabase> {
  if (config.DATABASE_URL) {
    const handle = connectDatabase(config.DATABASE_URL);
    await handle.pool.query('SELECT 1').catch((error: Error) => {
      throw new Error(`cannot reach DATABASE_URL: ${error.message}`);
    });
    await runMigrations(handle.pool, logger);
    return { ...handle, url: config.DATABASE_URL, embedded: false };
  }
  const dataDir = path.resolve(config.DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const server = await startEmbeddedPostgres({
    dir: path.join(dataDir, 'pg'),
    password: await readOrCreateSecret(path.join(dataDir, 'pg-password')),
    port: config.EMBEDDED_PG_PORT,
    logger,
  });
  try {
    const url = server.urlFor('postgres');
    const handle = connectDatabase(url);
    await runMigrations(handle.pool, logger);
    return {
      ...handle,
      url,
      embedded: true,
      async close() {
        await handle.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

export async function readOrCreateSecret(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing?.trim()) return existing.trim();
  const secret = randomSecret();
  await writeFile(file, secret + '\n', { mode: 0o600 });
  return secret;
}
