import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../src/clock';
import { takeBackup } from '../../src/backup/backup';
import { END_OF_TABLE, NOT_BACKED_UP, TABLE_PREFIX, type BackupHeader } from '../../src/backup/format';
import { restoreDatabase } from '../../src/backup/restore';
import type { Executor } from '../../src/db/database';
import { CHAT, Desk } from '../tickets/desk';
import { createTestDatabase, type TestDatabase } from '../support/db';

const logger = pino({ level: 'silent' });
let desk: Desk;
let dir: string;
const restored: TestDatabase[] = [];
beforeAll(async () => {
  desk = await Desk.open();
  dir = await mkdtemp(path.join(tmpdir(), 'wtb-backup-'));
});
afterAll(async () => {
  for (const database of restored) await database.close();
  await desk.close();
  await rm(dir, { recursive: true, force: true });
});

/** Every backed-up table's rows, as text, in a stable order. */
async function contents(db: Executor): Promise<Record<string, string[]>> {
  const { rows: tables } = await sql<{ name: string }>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`.execute(db);
  const result: Record<string, string[]> = {};
  for (const { name } of tables.filter((table) => !NOT_BACKED_UP.includes(table.name))) {
    const { rows } = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(name)} t ORDER BY 1`.execute(db);
    result[name] = rows.map((r) => r.row);
  }
  return result;
}

describe('backup and restore', () => {
  it('restores every ticket, clock, timer and outbox row into a new, empty database', async () => {
    await desk.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000');
    await desk.say('wangfang', CHAT.desk, '/报修 南溪镇 南溪村3组 线路断了 李四 13800000001');
    await desk.say('wangfang', CHAT.desk, '/投诉 客户中心 抢修人员态度差 王五 13800000002');
    // Past the dispatch and arrival limits: timers fire, nags are queued.
    desk.app.clock.advance(60 * MINUTE_MS);
    await desk.app.jobs.services.sla.sweep();
    let source = await contents(desk.db);
    for (const table of ['tickets', 'ticket_events', 'sla_clocks', 'sla_timers', 'outbox', 'org_versions']) {
      expect(source[table]!.length, table).toBeGreaterThan(0);
    }
    expect(source.sla_timers!.some((row) => row.includes('sent'))).toBe(true);

    // The bot keeps running (its jobs may touch a row meanwhile): the backup is a snapshot of some moment between two
    // readings, so it is checked against them only when nothing moved in between.
    let backup = await takeBackup(desk.app.ctx.database.pool, { dir, copyDir: undefined, keep: 5 }, logger);
    for (let attempt = 0; JSON.stringify(await contents(desk.db)) !== JSON.stringify(source) && attempt < 5; attempt++) {
      source = await contents(desk.db);
      backup = await takeBackup(desk.app.ctx.database.pool, { dir, copyDir: undefined, keep: 5 }, logger);
    }
    const target = await createTestDatabase({ empty: true });
    restored.push(target);
    await restoreDatabase(target.pool, backup!.file, logger);

    expect(await contents(target.db)).toEqual(source);
    // Numbering goes on after the restored rows.
    const { rows } = await sql<{ next: number; max: number }>`
      SELECT nextval('tickets_id_seq') AS next, (SELECT max(id) FROM tickets) AS max`.execute(target.db);
    expect(rows[0]!.next).toBeGreaterThan(rows[0]!.max);

    // A database in use is never overwritten.
    await expect(restoreDatabase(target.pool, backup!.file, logger)).rejects.toThrow(/already holds data/);
  });

  it('restores a backup of an earlier version at its own schema, then brings it up to date', async () => {
    await desk.say('wangfang', CHAT.desk, '/报修 江口镇 江口街8号 电杆倾斜 赵六 13800000003');
    // A backup as the version before part clocks (migration 120) wrote it: without that migration, the columns it
    // added to sla_clocks, and the policy rows it seeded.
    const backup = await takeBackup(desk.app.ctx.database.pool, { dir, copyDir: undefined, keep: 5 }, logger);
    const [magic, headerLine, ...body] = gunzipSync(await readFile(backup!.file)).toString('utf8').split('\n');
    const header = JSON.parse(headerLine!) as BackupHeader;
    const added = ['part_of', 'limit_amount', 'limit_unit'];
    const clockColumns = header.tables.find((table) => table.name === 'sla_clocks')!.columns;
    const dropped = added.map((column) => clockColumns.indexOf(column));
    expect(dropped.every((index) => index >= 0)).toBe(true);
    const older: BackupHeader = {
      ...header,
      migrations: header.migrations.filter((name) => name !== '120_part_clocks.sql'),
      tables: header.tables.map((table) => (table.name === 'sla_clocks' ? { ...table, columns: clockColumns.filter((c) => !added.includes(c)) } : table)),
    };
    let table = '';
    let backedUpClocks = 0;
    const rows = body.flatMap((line) => {
      if (line.startsWith(TABLE_PREFIX)) table = line.slice(TABLE_PREFIX.length);
      if (line.startsWith(TABLE_PREFIX) || line === END_OF_TABLE || line === '') return [line];
      if (table === 'sla_policies' && /\t\w+\.assist\t/.test(line)) return [];
      if (table === 'sla_clocks') {
        backedUpClocks++;
        return [line.split('\t').filter((_, i) => !dropped.includes(i)).join('\t')];
      }
      return [line];
    });
    const file = path.join(dir, 'before-120.backup.gz');
    await writeFile(file, gzipSync([magic, JSON.stringify(older), ...rows].join('\n')));

    const target = await createTestDatabase({ empty: true });
    restored.push(target);
    await restoreDatabase(target.pool, file, logger);
    // Every clock restored, each with its policy's limit; the migration's policy rows there once.
    const clocks = await target.db
      .selectFrom('sla_clocks as c')
      .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
      .select(['c.limit_amount', 'c.limit_unit', 'p.limit_amount as policy_amount', 'p.limit_unit as policy_unit', 'c.part_of'])
      .execute();
    expect(clocks.length).toBeGreaterThan(0);
    expect(clocks.length).toBe(backedUpClocks);
    expect(clocks.every((c) => c.limit_amount === c.policy_amount && c.limit_unit === c.policy_unit && c.part_of === null)).toBe(true);
    const assist = await target.db.selectFrom('sla_policies').select('code').where('code', 'like', '%.assist').execute();
    expect(assist.map((p) => p.code).sort()).toEqual(['complaint.assist', 'praise.assist', 'report.assist', 'suggestion.assist']);
    const { rows: applied } = await sql<{ name: string }>`SELECT name FROM schema_migrations WHERE name = '120_part_clocks.sql'`.execute(target.db);
    expect(applied).toHaveLength(1);
  });

  it('keeps the newest BACKUP_KEEP backups, in the backup directory and the off-site copy', async () => {
    const main = path.join(dir, 'main');
    const copy = path.join(dir, 'offsite');
    const written: string[] = [];
    for (let i = 0; i < 4; i++) {
      const at = new Date(Date.UTC(2026, 10, 24, 18, 0, i));
      const result = await takeBackup(desk.app.ctx.database.pool, { dir: main, copyDir: copy, keep: 2 }, logger, at);
      written.push(path.basename(result!.file));
    }
    expect((await readdir(main)).sort()).toEqual(written.slice(2).sort());
    expect((await readdir(copy)).sort()).toEqual(written.slice(2).sort());
  });

  it('refuses a file that is not a backup, and a truncated one, leaving the target without data', async () => {
    const target = await createTestDatabase({ empty: true });
    restored.push(target);
    await expect(restoreDatabase(target.pool, path.resolve('package.json'), logger)).rejects.toThrow();
    const backup = await takeBackup(desk.app.ctx.database.pool, { dir, copyDir: undefined, keep: 5 }, logger);
    const whole = gunzipSync(await readFile(backup!.file));
    const truncated = path.join(dir, 'truncated.backup.gz');
    await writeFile(truncated, gzipSync(whole.subarray(0, Math.floor(whole.length * 0.7))));
    await expect(restoreDatabase(target.pool, truncated, logger)).rejects.toThrow(/incomplete|damaged|COPY|syntax/);
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM tickets`.execute(target.db);
    expect(rows[0]!.n).toBe(0);
  });

  it('schedules the daily backup at 02:00 Beijing time', async () => {
    const job = await sql<{ next_run_at: Date; repeat_interval: string; repeat_timezone: string }>`
      SELECT next_run_at, repeat_interval, repeat_timezone FROM agenda_jobs WHERE name = 'daily-backup'`.execute(desk.db);
    expect(job.rows).toHaveLength(1);
    expect(job.rows[0]).toMatchObject({ repeat_interval: '0 2 * * *', repeat_timezone: 'Asia/Shanghai' });
    expect(job.rows[0]!.next_run_at.toISOString()).toMatch(/T18:00:00\.000Z$/);
  });
});
