import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../src/clock';
import { takeBackup } from '../../src/backup/backup';
import { NOT_BACKED_UP } from '../../src/backup/format';
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
