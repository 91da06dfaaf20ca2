import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsWeekly } from '../../jobs/ops-weekly';
import { fromShanghai } from '../../src/calendar/calendar';
import { DAY_MS, HOUR_MS } from '../../src/clock';
import { LogEventTap } from '../../src/log';
import { frozenClock } from '../support/app';
import { Chats } from '../tickets/chats';
import { CHAT } from '../tickets/desk';

/**
 * The weekly review of the logs (chapter 4: 每周查看系统日志): warnings and errors logged by the service's own logger,
 * kept in the database across restarts, summed up for the desk on Monday morning.
 */
let chats: Chats;
const tap = new LogEventTap();
// Wednesday 25 November 2026, 10:00.
beforeAll(async () => {
  chats = await Chats.open({}, frozenClock(new Date('2026-11-25T10:00:00+08:00')), { env: { OPS_REPORTS: '1' }, logEvents: tap });
}, 60_000);
afterAll(() => chats.close());

const summaries = () => chats.shows(CHAT.desk).filter((e) => e.content.includes('系统日志周报'));
const runJob = () => opsWeekly.handle(chats.app.jobs.services);
const stored = () => chats.app.ctx.db.selectFrom('log_events').selectAll().orderBy('id').execute();

/** WeCom closes the long connection; the bot logs it and reconnects. */
async function connectionDrops(): Promise<void> {
  const subscribed = () => chats.fake.connections('bot-95598').filter((c) => c.subscribed).length;
  chats.fake.faults.dropConnections();
  await chats.fake.waitFor(() => subscribed() === 0, 10_000);
  await chats.fake.waitFor(() => subscribed() === 1, 10_000);
}

describe('the weekly summary of warnings and errors', () => {
  it('counts what the logger wrote during the week, by message, on Monday from 09:00, once', async () => {
    const { app, clock } = chats;
    const marketing = app.ctx.logger.child({ module: 'marketing' });
    await connectionDrops();
    marketing.warn({ topic: 'bill', status: 502, account: '0101234567' }, 'marketing system failed');
    marketing.warn({ topic: 'bill', status: 502 }, 'marketing system failed');
    // Written on its own within seconds, without anyone asking.
    await until(async () => (await stored()).length >= 2);

    clock.advance(HOUR_MS);
    await connectionDrops();
    marketing.warn({ topic: 'payment', status: 502 }, 'marketing system failed');
    // An error whose message carries a password, its object a phone number: neither is kept.
    app.ctx.logger.error(
      { err: Object.assign(new Error('password authentication failed'), { code: '28P01' }), phone: '13800000000' },
      'could not reach postgres://desk:hunter2@db.internal:5432/bot?sslpassword=hunter3',
    );
    for (let i = 1; i <= 9; i++) app.ctx.logger.warn(`probe ${i}`);

    // Monday 30 November, 08:00: a warning of the new week, and no summary before 09:00.
    clock.advance(4 * DAY_MS + 21 * HOUR_MS);
    app.ctx.logger.warn('probe of the new week');
    await tap.flush();
    await runJob();
    expect(summaries()).toEqual([]);

    clock.advance(HOUR_MS);
    await Promise.all([runJob(), runJob()]);
    await runJob();
    const summary = await chats.waitFor(CHAT.desk, (e) => e.content.includes('系统日志周报'));
    const lines = summary.content.split('\n');
    expect(lines[0]).toBe('**95598 系统日志周报 · 11月23日（周一）至11月29日（周日）**');
    // What the test logged (14 warnings, 1 error), plus whatever the service itself warned of meanwhile on a busy
    // machine (a slow check, a refused reconnect): the summary says exactly what the week's stored rows hold.
    const week = (await stored()).filter((row) => row.hour < fromShanghai('2026-11-30', '00:00'));
    const warnings = week.filter((row) => row.level === 'warn').reduce((sum, row) => sum + row.count, 0);
    expect(warnings).toBeGreaterThanOrEqual(14);
    expect(lines[1]).toBe(`⚠️ <font color="warning">错误 1 条 · 警告 ${warnings} 条</font>`);
    expect(lines[2]).toBe('按次数（前 10 类）：');
    // Ranked by count; the service's own warnings of a busy machine may stand among them.
    const listed = lines.slice(3).map((line) => line.replace(/^\d+\. /, ''));
    expect(listed).toContain('【警告】营销系统调用失败（marketing system failed · marketing）：3 次，11月25日 10:00 至 11月25日 11:00');
    expect(listed).toContain('【警告】企业微信长连接断开，自动重连（WeCom long connection lost; the SDK reconnects · wecom）：2 次，11月25日 10:00 至 11月25日 11:00');
    expect(listed).toContain('【错误】could not reach postgres://［redacted］＠db.internal:5432/bot?sslpassword=［redacted］：1 次，11月25日 11:00');
    const counts = listed.flatMap((line) => /：(\d+) 次，/.exec(line)?.[1] ?? []).map(Number);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(lines.filter((line) => /^\d+\. /.test(line))).toHaveLength(10);
    expect(lines.at(-1)).toMatch(/^另有 \d+ 类共 \d+ 条未列出$/);

    await chats.delivered();
    expect(summaries()).toHaveLength(1);
    const rows = await stored();
    expect(JSON.stringify(rows)).not.toMatch(/hunter|13800000000|0101234567/);
    expect(rows.find((row) => row.level === 'error')).toMatchObject({ source: '', code: '28P01', count: 1 });
  });

  it('keeps 90 days', async () => {
    const { clock } = chats;
    // 'probe 1' was logged on 25 November at 11:00: 89 days later it is still there, 91 days later it is gone.
    const loggedAt = fromShanghai('2026-11-25', '11:00').getTime();
    clock.advance(loggedAt + 89 * DAY_MS - clock.nowMs());
    await runJob();
    expect((await stored()).some((row) => row.message === 'probe 1')).toBe(true);
    clock.advance(2 * DAY_MS);
    await runJob();
    expect((await stored()).some((row) => row.message === 'probe 1')).toBe(false);
    // What was logged on the Monday after is younger than that and stays.
    expect((await stored()).map((row) => row.message)).toContain('probe of the new week');
  });
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 10_000; !(await check()); ) {
    if (Date.now() > deadline) throw new Error('not within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
