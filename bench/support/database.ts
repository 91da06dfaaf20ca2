import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { randomSecret, startEmbeddedPostgres } from '../../src/db/embedded';

export interface BenchDatabase {
  url: string;
  close(): Promise<void>;
}

/**
 * A throw-away database for one benchmark: on the server named by DATABASE_URL, else on an embedded PostgreSQL of
 * its own (fsync off unless BENCH_DURABLE is set).
 */
export async function benchDatabase(): Promise<BenchDatabase> {
  if (process.env.DATABASE_URL) {
    const name = `wtb_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async close() {
        await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'wtb-bench-pg-'));
  const server = await startEmbeddedPostgres({
    dir: path.join(dir, 'pg'),
    password: randomSecret(),
    fast: !process.env.BENCH_DURABLE,
    logger: pino({ level: 'silent' }),
  });
  return {
    url: server.urlFor('postgres'),
    async close() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
