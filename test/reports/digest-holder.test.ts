import { afterAll, beforeAll, expect, it } from 'vitest';
import { digestFigures } from '../../src/domain/reports/digest';
import { CHAT, Desk, numberIn } from '../tickets/desk';

/** The digest names, for each overdue ticket, whoever held it when its step ran out. Tuesday 24 November 2026. */
let desk: Desk;
beforeAll(async () => (desk = await Desk.open()), 60_000);
afterAll(() => desk.close());

it('blames a complaint returned in time and never re-sent on the desk, not on the unit that returned it', async () => {
  const no = numberIn(await desk.say('wangfang', CHAT.desk, '/投诉 南溪供电所 电表走得快 李四 13900000000'));
  await desk.advance(20 * 60_000);
  await desk.say('zhengyong', CHAT.nanxi, `/退回 ${no} 电表校验属市场营销部计量班`);
  await desk.advance(2 * 3_600_000);
  const figures = await digestFigures(desk.db, desk.app.ctx.calendar, desk.app.clock.now());
  expect(figures.overdueByUnit.map(({ unitId, count }) => ({ unitId, count }))).toEqual([{ unitId: null, count: 1 }]);
});
