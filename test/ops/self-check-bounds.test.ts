import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../../src/clock';
import { dueSlot } from '../../src/domain/ops/index';
import { formatSelfCheck, type SelfCheckFigures } from '../../src/domain/ops/self-check';

/** The bounds of the self-check, figure by figure: what the desk sees just inside and just outside each. */
const at = new Date('2026-11-24T17:30:00+08:00');
const GB = 1024 ** 3;

function figures(change: Partial<SelfCheckFigures> = {}): SelfCheckFigures {
  return {
    at,
    connection: { holder: 'bot-host-1:4242:a1b2c3', live: true, connected: true, silentForMs: 800 },
    outbox: { pending: 0, oldestAt: null },
    overdue: { clocks: 0, oldestDueAt: null },
    backup: {
      dir: '/var/lib/bot/backups',
      copyDir: undefined,
      latest: { file: '/var/lib/bot/backups/b.backup.gz', at: new Date(at.getTime() - 15.5 * HOUR_MS), bytes: 3 * 1024 * 1024, copied: false },
      failedAt: null,
    },
    disks: [{ dir: '/var/lib/bot/backups', free: 40 * GB, total: 100 * GB }],
    unconfirmedYears: [],
    ...change,
  };
}

describe('self-check bounds', () => {
  it('an all-good check says so in one screen', () => {
    expect(formatSelfCheck(figures())).toBe(
      [
        '**95598 系统巡视 · 11月24日（周二）17:30**',
        '✅ 企业微信连接正常（bot-host-1 进程 4242）',
        '✅ 待发消息 0 条',
        '✅ 超时未办 0 项',
        '✅ 最近备份 11月24日 02:00，3.0 MB，/var/lib/bot/backups',
        '✅ 磁盘剩余 40.0 GB（40%），/var/lib/bot/backups',
        '**各项正常**',
      ].join('\n'),
    );
  });

  it('marks a lease nobody renews, a message waiting ten minutes, a backup older than 26 hours, a missing copy and a full disk', () => {
    const text = formatSelfCheck(
      figures({
        connection: { holder: 'bot-host-1:4242:a1b2c3', live: false, connected: true, silentForMs: 12 * MINUTE_MS },
        outbox: { pending: 4, oldestAt: new Date(at.getTime() - 10 * MINUTE_MS) },
        backup: {
          dir: '/var/lib/bot/backups',
          copyDir: '/mnt/offsite',
          latest: { file: '/var/lib/bot/backups/b.backup.gz', at: new Date(at.getTime() - 26 * HOUR_MS - MINUTE_MS), bytes: 512, copied: true },
          failedAt: null,
        },
        disks: [{ dir: '/var/lib/bot/backups', free: 9 * GB, total: 100 * GB }],
      }),
    );
    expect(text.split('\n')).toEqual([
      '**95598 系统巡视 · 11月24日（周二）17:30**',
      '⚠️ <font color="warning">企业微信未连接</font>：没有进程持有连接（bot-host-1 进程 4242 已 12 分钟未续约）',
      '⚠️ <font color="warning">待发消息 4 条</font>，最早一条已等 10 分钟',
      '✅ 超时未办 0 项',
      '⚠️ <font color="warning">最近备份已是 1 天 2 小时 1 分钟前</font>：11月23日 15:29，512 B，/var/lib/bot/backups，已另存 /mnt/offsite',
      '⚠️ <font color="warning">磁盘剩余 9.0 GB</font>（9%），/var/lib/bot/backups',
      '**4 项需要处理**',
    ]);
    expect(formatSelfCheck(figures({ disks: [{ dir: '/data', free: 0.9 * GB, total: 2 * GB }] }))).toContain(
      '⚠️ <font color="warning">磁盘剩余 921.6 MB</font>（45%），/data',
    );
    const uncopied = figures();
    uncopied.backup = { ...uncopied.backup, copyDir: '/mnt/offsite' };
    expect(formatSelfCheck(uncopied)).toContain('⚠️ <font color="warning">备份未另存</font>：11月24日 02:00，3.0 MB，/var/lib/bot/backups，未另存到 /mnt/offsite');
  });

  it('is due at the start and the end of working hours, for two hours each', () => {
    const slots = ['08:30', '17:30'];
    const on = (time: string) => dueSlot(new Date(`2026-11-24T${time}:00+08:00`), slots);
    expect([on('08:29'), on('08:30'), on('10:29'), on('10:30'), on('17:29'), on('17:30'), on('19:29'), on('19:30')]).toEqual([
      undefined,
      '08:30',
      '08:30',
      undefined,
      undefined,
      '17:30',
      '17:30',
      undefined,
    ]);
  });
});
