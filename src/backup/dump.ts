import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { END_OF_TABLE, ident, MAGIC, NOT_BACKED_UP, TABLE_PREFIX, type BackupHeader } from './format';

/**
 * Writes a backup of the database to `file`, consistent as of one instant while the bot keeps running: every read
 * happens in one REPEATABLE READ READ ONLY transaction, so all tables come from one snapshot. The file appears
 * only when complete and on disk (written under a temporary name, flushed, then renamed).
 */
export async function dumpDatabase(pool: pg.Pool, file: string, now = new Date()): Promise<BackupHeader> {
  const client = await pool.connect();
  const partial = `${file}.partial`;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const header = await readHeader(client, now);
    await pipeline(contents(client, header), createGzip(), createWriteStream(partial, { mode: 0o600 }));
    await client.query('COMMIT');
    const handle = await open(partial, 'r');
    await handle.sync().finally(() => handle.close());
    await rename(partial, file);
    return header;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  } finally {
    client.release();
  }
}

async function readHeader(client: pg.PoolClient, now: Date): Promise<BackupHeader> {
  // The first statement fixes the snapshot every later read sees.
  const tables = await client.query<{ name: string; columns: string[] }>(
    `SELECT c.relname AS name,
            array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> ALL ($1)
      GROUP BY c.relname
      ORDER BY c.relname`,
    [NOT_BACKED_UP],
  );
  const migrations = await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
  const sequences = await client.query<{ name: string; last_value: string }>(
    `SELECT sequencename AS name, last_value FROM pg_sequences
      WHERE schemaname = current_schema() AND last_value IS NOT NULL ORDER BY sequencename`,
  );
  const server = await client.query<{ server_version: string }>('SHOW server_version');
  return {
    createdAt: now.toISOString(),
    server: server.rows[0]!.server_version,
    migrations: migrations.rows.map((row) => row.name),
    tables: tables.rows,
    sequences: sequences.rows.map((row) => ({ name: row.name, lastValue: Number(row.last_value) })),
  };
}

async function* contents(client: pg.PoolClient, header: BackupHeader): AsyncGenerator<Buffer | string> {
  yield `${MAGIC}\n${JSON.stringify(header)}\n`;
  for (const table of header.tables) {
    yield `${TABLE_PREFIX}${table.name}\n`;
    const rows = client.query(copyTo(`COPY ${ident(table.name)} (${table.columns.map(ident).join(', ')}) TO STDOUT`));
    for await (const chunk of rows) yield chunk as Buffer;
    yield `${END_OF_TABLE}\n`;
  }
}
