import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import { MIGRATIONS_DIR, runMigrations } from '../db/migrate';
import type { Logger } from '../log';
import { END_OF_TABLE, ident, MAGIC, TABLE_PREFIX, type BackupHeader } from './format';

/** Tables whose rows mean the database is in use: a restore never mixes a backup into live data. */
const IN_USE = ['tickets', 'org_versions', 'inbox', 'outbox'];

/**
 * Restores a backup into a database with no data of its own: the migrations the backup was taken at build its schema
 * (and seed what they seed), then, in one transaction, the tables are emptied, foreign keys set aside (outages and tickets refer to
 * each other, so no table order satisfies them row by row), the rows copied in, the foreign keys checked again as
 * they are re-added, and the sequences moved on. Anything wrong rolls the whole restore back. A backup of an earlier
 * version is then brought up to this one by the later migrations, as a running bot of that version would be.
 */
export async function restoreDatabase(pool: pg.Pool, file: string, logger: Logger): Promise<BackupHeader> {
  // pipeline, not pipe: a missing file or broken gzip then surfaces as an error of the line reader.
  const input = pipeline(createReadStream(file), createGunzip(), () => undefined);
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    return line.done ? undefined : line.value;
  };
  if ((await next()) !== MAGIC) throw new Error(`${file} is not a wecom-ticket-bot backup`);
  const header = JSON.parse((await next()) ?? '{}') as BackupHeader;
  const known = new Set((await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')));
  const unknown = header.migrations.filter((name) => !known.has(name));
  if (unknown.length) throw new Error(`the backup comes from a newer version (migrations ${unknown.join(', ')}); update the bot first`);

  await runMigrations(pool, logger, header.migrations);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const table of IN_USE) {
      const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM ${ident(table)}) AS used`);
      if (rows[0].used) throw new Error(`the target database already holds data (${table}); restore into a new database or DATA_DIR`);
    }
    const foreignKeys = await client.query<{ table: string; name: string; definition: string }>(
      `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
         FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`,
    );
    for (const fk of foreignKeys.rows) await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${ident(fk.name)}`);
    await client.query(`TRUNCATE ${header.tables.map((table) => ident(table.name)).join(', ')}`);

    let copy: CopyStreamQuery | undefined;
    // COPY reports a bad row asynchronously, as the stream's error: kept here and raised at the next step.
    let copyError: Error | undefined;
    let rows = 0;
    try {
      for (let line = await next(); line !== undefined; line = await next()) {
        if (copyError) throw copyError;
        if (!copy) {
          if (!line.startsWith(TABLE_PREFIX)) throw new Error(`${file} is damaged: a table section was expected`);
          const table = header.tables.find((candidate) => candidate.name === line.slice(TABLE_PREFIX.length));
          if (!table) throw new Error(`${file} is damaged: table ${line.slice(TABLE_PREFIX.length)} is not in its header`);
          copy = client.query(copyFrom(`COPY ${ident(table.name)} (${table.columns.map(ident).join(', ')}) FROM STDIN`));
          copy.on('error', (error: Error) => (copyError ??= error));
        } else if (line === END_OF_TABLE) {
          const done = finished(copy);
          copy.end();
          await done;
          rows += copy.rowCount;
          copy = undefined;
        } else if (!copy.write(line + '\n')) {
          await Promise.race([once(copy, 'drain'), finished(copy)]);
        }
      }
      if (copy) throw new Error(`${file} is incomplete: it ends inside a table`);
    } catch (error) {
      // Abandons a COPY in progress (CopyFail) so the connection can roll back.
      if (copy && !copy.destroyed) {
        const closed = finished(copy).catch(() => undefined);
        copy.destroy(error as Error);
        await closed;
      }
      throw error;
    }

    for (const fk of foreignKeys.rows) {
      await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${ident(fk.name)} ${fk.definition}`);
    }
    for (const sequence of header.sequences) {
      await client.query('SELECT setval($1::regclass, $2, true)', [ident(sequence.name), sequence.lastValue]);
    }
    await client.query('COMMIT');
    logger.info({ file, tables: header.tables.length, rows, takenAt: header.createdAt }, 'backup restored');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  await runMigrations(pool, logger);
  return header;
}
