import { expect, it } from 'vitest';
import { WorkCalendar } from '../../src/calendar/calendar';
import { nagMessage, type NagItem } from '../../src/domain/sla/messages';

/** A nag counts tickets in 件 and names each ticket once, however many of its steps are late. */
const now = new Date('2026-11-24T03:00:00Z');
const minutes = (n: number) => new Date(now.getTime() - n * 60_000);
const item = (ticketNo: string, awaitedText: string, startedAgo: number, limit: number): NagItem => ({
  step: 'breach',
  ticketNo,
  policy: { sinceText: '到达', awaitedText, actionText: '请处理', limitAmount: limit, limitUnit: 'minutes' },
  startedAt: minutes(startedAgo),
  dueAt: minutes(startedAgo - limit),
  unitName: '江口供电所',
});

it('counts two tickets with three late steps as 2 件 and lists each number once', () => {
  const items = [
    item('GZ20261124-0001', '报告现场情况', 40, 20),
    item('GZ20261124-0001', '报告市公司', 40, 30),
    item('GZ20261124-0002', '到达现场', 100, 90),
  ];
  const { texts, atLine } = nagMessage(new WorkCalendar(), '江口供电所', items, now);
  const text = texts.join('\n');
  expect(text.split('\n')[0]).toBe('【催办】江口供电所 2 件超时：');
  expect(text.split('\n').filter((line) => /^\d+\./.test(line))).toHaveLength(2);
  expect(atLine).toBe('【催办】江口供电所 2 件超时：GZ20261124-0001、GZ20261124-0002，请尽快处理（明细见本群机器人消息）');
});
