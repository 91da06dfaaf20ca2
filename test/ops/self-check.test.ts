import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsSelfCheck } from '../../jobs/ops-self-check';
import { takeBackup } from '../../src/backup/backup';
import { backupTargets } from '../../src/backup/files';
import { fromShanghai } from '../../src/calendar/calendar';
import { HOUR_MS } from '../../src/clock';
import { markdown } from '../../src/protocol/outbound';
import { frozenClock } from '../support/app';
import { Chats } from '../tickets/chats';
import { CHAT, Desk, numberIn } from '../tickets/desk';

const quiet = pino({ level: 'silent' });
let dir: string;
beforeAll(async () => (dir = await mkdtemp(path.join(tmpdir(), 'wtb-self-check-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the twice-daily self-check in the desk chat', () => {
  let chats: Chats;
  // Saturday 28 November 2026, 07:00: a day off, and the desk is on duty all the same.
  beforeAll(async () => {
    chats = await Chats.open({}, frozenClock(new Date('2026-11-28T07:00:00+08:00')), {
      env: { OPS_REPORTS: '1', BACKUP_DIR: path.join(dir, 'backups'), BACKUP_COPY_DIR: path.join(dir, 'offsite') },
    });
  }, 60_000);
  afterAll(() => chats.close());

  const checks = () => chats.shows(CHAT.desk).filter((e) => e.content.includes('系统巡视'));
  const runJob = () => opsSelfCheck.handle(chats.app.jobs.services);

  it('at 08:30 shows the connection, a message stuck for an hour and a half, what is overdue, the night’s backup and the disk; once', async () => {
    const { app, clock } = chats;
    await runJob();
    expect(checks()).toEqual([]);

    // A fault reported at 07:00 that nobody accepts or reaches.
    numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000'));
    // A notice to 修试所 that WeCom kept refusing since 07:00: its next try is at 09:00.
    const stuck = await app.ctx.db.transaction().execute(async (tx) => {
      const [id] = await app.ctx.outbox.enqueue(tx, { channel: 'push', chatId: CHAT.xiushi, body: markdown('线路检修通知') });
      await tx.updateTable('outbox').set({ attempts: 5, next_attempt_at: fromShanghai('2026-11-28', '09:00') }).where('id', '=', id!).execute();
      return id!;
    });
    // The night's backup, at 02:00.
    const backup = await takeBackup(app.ctx.database.pool, backupTargets(app.ctx.config), quiet, fromShanghai('2026-11-28', '02:00'));
    const bytes = (await stat(backup!.file)).size;

    // The bot is up: the holder has told the lease that its long connection is logged in (what /readyz reads).
    await until(async () => (await app.ctx.db.selectFrom('wecom_leases').select('connected').executeTakeFirst())?.connected === true);

    // Everything the fault set off by 08:29 has been sent; then 08:30 comes.
    clock.advance(89 * 60_000);
    await app.jobs.services.sla.sweep();
    await onlyStuckLeft(stuck);
    clock.advance(60_000);
    // Two processes' jobs at once, and one more later: one message.
    await Promise.all([runJob(), runJob()]);
    await runJob();
    const check = await chats.waitFor(CHAT.desk, (e) => e.content.includes('系统巡视'));
    const lines = check.content.split('\n');
    expect(lines[0]).toBe('**95598 系统巡视 · 11月28日（周六）08:30**');
    // This process holds the connection in the test.
    expect(lines[1]).toBe(`✅ 企业微信连接正常（${hostname()} 进程 ${process.pid}）`);
    expect(lines[2]).toBe('⚠️ <font color="warning">待发消息 1 条</font>，最早一条已等 1 小时 30 分钟');
    // Not accepted within 5 minutes (due 07:05) and nobody on site within 45 (due 07:45).
    expect(lines[3]).toBe('⚠️ <font color="warning">超时未办 2 项</font>，最早 11月28日 07:05 到期');
    expect(lines[4]).toBe(
      `✅ 最近备份 11月28日 02:00，${(bytes / 1024).toFixed(1)} KB，${path.join(dir, 'backups')}，已另存 ${path.join(dir, 'offsite')}`,
    );
    expect(lines[5]).toMatch(new RegExp(`^(✅|⚠️) .*磁盘剩余 \\d+(\\.\\d)? [KMGT]?B.*（\\d+%），${escape(path.join(dir, 'backups'))}$`));
    // From 1 November next year's holidays must be confirmed: the package knows none of 2027.
    expect(lines[6]).toBe(
      '⚠️ <font color="warning">2027 年节假日安排未确认</font>：该年的截止时间暂按农历推算的法定假日计算（待确认，调休上班日未知），请管理员录入国务院办公厅通知（控制台“工作日历”，或发送 /节假日 通知全文）',
    );
    expect(lines.at(-1)).toBe(lines[5]!.startsWith('✅') ? '**3 项需要处理**' : '**4 项需要处理**');

    await onlyStuckLeft(stuck);
    expect(checks()).toHaveLength(1);
  });

  it('at 17:30 comes again, when the stuck message has got through', async () => {
    chats.clock.advance(9 * HOUR_MS);
    await chats.app.jobs.services.sla.sweep();
    await chats.waitFor(CHAT.xiushi, (e) => e.content.includes('线路检修通知'));
    await chats.delivered();
    await runJob();
    const evening = await chats.fake.waitFor(() => checks()[1], 10_000);
    const lines = evening.content.split('\n');
    expect(lines[0]).toBe('**95598 系统巡视 · 11月28日（周六）17:30**');
    expect(lines[2]).toBe('✅ 待发消息 0 条');
    expect(lines[4]).toMatch(/^✅ 最近备份 11月28日 02:00，/);
    await runJob();
    // Long after the slot, a process that comes back does not send a stale check.
    chats.clock.advance(3 * HOUR_MS);
    await runJob();
    expect(checks()).toHaveLength(2);
  });

  async function onlyStuckLeft(stuck: number): Promise<void> {
    const others = () =>
      chats.app.ctx.db.selectFrom('outbox').select('id').where('status', '=', 'pending').where('id', '<>', stuck).limit(1).executeTakeFirst();
    for (const deadline = Date.now() + 10_000; (await others()) !== undefined; ) {
      if (Date.now() > deadline) throw new Error('messages other than the stuck one are still waiting after 10 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
});

describe('a self-check that finds the bot cut off and no backup', () => {
  let desk: Desk;
  const backups = () => path.join(dir, 'not-a-directory');
  // Tuesday 24 November 2026, 08:00, before the morning check.
  beforeAll(async () => {
    await writeFile(backups(), 'a file where the backups should go');
    desk = await Desk.open({ OPS_REPORTS: '1', BACKUP_DIR: backups() }, frozenClock(new Date('2026-11-24T08:00:00+08:00')));
  }, 60_000);
  afterAll(() => desk.close());

  it('says so, with the messages piling up and the failed backup', async () => {
    // This process holds the lease but WeCom never answers, so it never logs in.
    await until(async () => (await desk.db.selectFrom('wecom_leases').select('holder').executeTakeFirst()) !== undefined);
    // The night's backup could not be written.
    await expect(
      takeBackup(desk.app.ctx.database.pool, backupTargets(desk.app.ctx.config), quiet, fromShanghai('2026-11-24', '02:00')),
    ).rejects.toThrow();

    // A fault reported at 08:00: with WeCom cut off, the reply and the crew's card stay in the queue.
    numberIn(await desk.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000'));
    desk.app.clock.advance(45 * 60_000);
    // What 08:45 brings first: the nags of the missed limits, the leaders' 08:30 digest.
    await desk.app.jobs.services.sla.sweep();
    await desk.app.jobs.services.digest.sendIfDue();
    const pending = await desk.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
    await opsSelfCheck.handle(desk.app.jobs.services);
    const [check, ...more] = (await desk.seen(CHAT.desk)).filter((s) => s.text.includes('系统巡视'));
    expect(more).toEqual([]);
    const lines = check!.text.split('\n');
    expect(lines[0]).toBe('**95598 系统巡视 · 11月24日（周二）08:45**');
    expect(lines[1]).toBe(`⚠️ <font color="warning">企业微信未连接</font>：${hostname()} 进程 ${process.pid} 持有连接但未登录成功`);
    // Nothing leaves: the reply, the crew's card and group-robot posts, the nags and the digest all wait.
    expect(pending.n).toBeGreaterThan(5);
    expect(lines[2]).toBe(`⚠️ <font color="warning">待发消息 ${pending.n} 条</font>，最早一条已等 45 分钟`);
    expect(lines[3]).toBe('⚠️ <font color="warning">超时未办 2 项</font>，最早 11月24日 08:05 到期');
    expect(lines[4]).toBe(`⚠️ <font color="warning">没有备份</font>（${backups()}）`);
    expect(lines[5]).toBe('⚠️ <font color="warning">备份失败</font>：11月24日 02:00 的备份没有成功，请查看日志');
    // Only the desk has spoken to the bot: every other configured group would refuse its pushes.
    expect(lines.find((line) => line.includes('个群未激活'))).toMatch(/^⚠️ <font color="warning">11 个群未激活<\/font>：修试所、客户中心/);
    expect(lines.at(-1)).toMatch(/^\*\*[67] 项需要处理\*\*$/);
  });
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 10_000; !(await check()); ) {
    if (Date.now() > deadline) throw new Error('not within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
