import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsMonthly } from '../../jobs/ops-monthly';
import { takeBackup } from '../../src/backup/backup';
import { backupTargets } from '../../src/backup/files';
import { fromShanghai } from '../../src/calendar/calendar';
import { HOUR_MS } from '../../src/clock';
import { LogEventTap } from '../../src/log';
import { mentionText } from '../../src/protocol/outbound';
import { frozenClock } from '../support/app';
import { Chats, ORG_DOC } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';

/**
 * The monthly operation report (chapter 4: 每月定时上报系统运行情况) for October 2026, from the last day of the month: a
 * few requests, a message WeCom refused for good, two backups of which one failed, and five minutes without WeCom.
 */
const quiet = pino({ level: 'silent' });
const tap = new LogEventTap();
let chats: Chats;
let dir: string;
// Saturday 31 October 2026, 12:00: no self-check or weekly summary is due around it.
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wtb-ops-month-'));
  chats = await Chats.open({}, frozenClock(new Date('2026-10-31T12:00:00+08:00')), {
    env: { OPS_REPORTS: '1', BACKUP_DIR: path.join(dir, 'backups') },
    logEvents: tap,
  });
}, 60_000);
afterAll(async () => {
  await chats.close();
  await rm(dir, { recursive: true, force: true });
});

const reports = () => chats.shows(CHAT.desk).filter((e) => e.content.includes('系统运行月报'));
const leaseConnected = async () => (await chats.app.ctx.db.selectFrom('wecom_leases').select('connected').executeTakeFirst())?.connected === true;

describe('the monthly operation report', () => {
  it('on the 1st at 09:00 gives last month’s availability, messages, failures, backups, errors and tickets, once', async () => {
    const { app, clock } = chats;
    const services = app.jobs.services;
    await until(leaseConnected);
    await services.ops.sampleConnection();

    numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000'));
    numberIn(await chats.say('wangfang', CHAT.desk, '/投诉 城关供电所 抄表员态度恶劣 要求:道歉 李四 13900000000'));
    // Answered from the knowledge base and closed at once.
    numberIn(await chats.say('huanglei', CHAT.khzx, '/咨询 电费逾期了违约金收多少 孙七 13500000000'));

    // WeCom refuses a group-robot post for good (a webhook key that no longer exists): it is given up.
    chats.fake.faults.webhookError = { every: 1, errcode: 93000 };
    const [refused] = await app.ctx.outbox.enqueue(app.ctx.db, { channel: 'webhook', webhookKey: 'sandbox-robot-khzx', body: mentionText('测试', []) });
    await until(async () => (await app.ctx.db.selectFrom('outbox').select('status').where('id', '=', refused!).executeTakeFirstOrThrow()).status === 'failed');
    chats.fake.faults.webhookError = undefined;

    // The night's backup at 02:00, and one at 03:00 that could not be written.
    const backup = await takeBackup(app.ctx.database.pool, backupTargets(app.ctx.config), quiet, fromShanghai('2026-10-31', '02:00'));
    await writeFile(path.join(dir, 'full-disk'), '');
    await expect(
      takeBackup(app.ctx.database.pool, { dir: path.join(dir, 'full-disk'), copyDir: undefined, keep: 5 }, quiet, fromShanghai('2026-10-31', '03:00')),
    ).rejects.toThrow();

    // 14:00: WeCom goes away for five minutes.
    clock.advance(2 * HOUR_MS);
    await services.sla.sweep();
    await chats.delivered();
    chats.fake.faults.refuseConnections('all');
    chats.fake.faults.dropConnections();
    await until(async () => !(await leaseConnected()));
    await services.ops.sampleConnection();
    chats.fake.faults.refuseConnections(0);
    await until(leaseConnected);
    await chats.delivered();
    expect(await app.ctx.db.selectFrom('wecom_uptime').selectAll().orderBy('minute').execute()).toEqual([
      { minute: fromShanghai('2026-10-31', '12:00'), connected: true },
      { minute: fromShanghai('2026-10-31', '14:00'), connected: false },
    ]);
    // The other minutes of the afternoon and evening as the job sampled them: connected, 14:01 to 14:04 not sampled.
    await sql`
      INSERT INTO wecom_uptime (minute, connected)
      SELECT m, true FROM generate_series(${fromShanghai('2026-10-31', '12:01')}::timestamptz, ${fromShanghai('2026-10-31', '23:59')}::timestamptz, interval '1 minute') m
      WHERE m NOT BETWEEN ${fromShanghai('2026-10-31', '14:00')}::timestamptz AND ${fromShanghai('2026-10-31', '14:04')}::timestamptz
    `.execute(app.ctx.db);
    // What WeCom showed in every chat in October: the bot's messages and its group robots' posts.
    const shown = Object.values(CHAT).reduce((sum, chatId) => sum + chats.shows(chatId).length, 0);
    await tap.flush();

    // Sunday 1 November: nothing before 09:00, then one report, whoever runs the job.
    clock.advance(fromShanghai('2026-11-01', '08:50').getTime() - clock.nowMs());
    await opsMonthly.handle(services);
    clock.advance(10 * 60_000);
    await Promise.all([opsMonthly.handle(services), opsMonthly.handle(services)]);
    const report = await chats.waitFor(CHAT.desk, (e) => e.content.includes('系统运行月报'));
    const lines = report.content.split('\n');
    expect(lines[0]).toBe('**95598 系统运行月报 · 2026年10月**');
    // Measured from the first sample, 12:00 to midnight: 715 of 720 minutes.
    expect(lines[1]).toBe('⚠️ <font color="warning">企业微信连接可用率 99.31%</font>（中断 1 次，共 5 分钟）');
    // Besides the story's three messages: each group's first @ of the bot, and the bot's answer to it.
    const activations = ORG_DOC.units.length;
    expect(lines[2]).toBe(`收到消息 ${3 + activations} 条、按钮点击 0 次；发出消息 ${shown + activations} 条`);
    expect(lines[3]).toBe('⚠️ <font color="warning">放弃发送 1 条</font>');
    expect(lines[4]).toBe(`⚠️ <font color="warning">备份成功 1 次，失败 1 次</font>，最大 ${((await stat(backup!.file)).size / 1024).toFixed(1)} KB`);
    // The given-up post is an error; the lost connection a warning (and each refused reconnect one more).
    const [, errors, warnings] = /^⚠️ <font color="warning">错误 (\d+) 条 · 警告 (\d+) 条<\/font>$/.exec(lines[5]!) ?? [];
    expect(Number(errors)).toBe(1);
    expect(Number(warnings)).toBeGreaterThanOrEqual(1);
    // The repair was never accepted: late. The complaint went to its unit at once, and its working day has not begun.
    expect(lines[6]).toBe('工单：受理 3 件 · 办结 1 件 · 超时 1 件');

    await chats.delivered();
    await opsMonthly.handle(services);
    expect(reports()).toHaveLength(1);
  });
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 15_000; !(await check()); ) {
    if (Date.now() > deadline) throw new Error('not within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
