import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHAT, Desk, numberIn } from '../tickets/desk';

/**
 * A report whose words say danger always sends a crew, told of the outage it falls under; an open-ended outage stops
 * explaining reports after the organisation's hours unless the desk renews it; a notice naming its streets explains
 * reports in those streets only. (Tuesday 24 November 2026 from 10:00.)
 */
const HOUR = 3_600_000;
let desk: Desk;
beforeAll(async () => (desk = await Desk.open()), 60_000);
afterAll(() => desk.close());

it('dispatches a hazard under an open-ended outage, names the outage on the card, and keeps it when power is back', async () => {
  const published = await desk.say('wangfang', CHAT.desk, '/停电 临时 双江街道 09:00 配网抢修');
  const td = /TD\d{8}-\d{4}/.exec(published)![0];
  expect(published).toContain(`/停电 续期 ${td}`);

  const reply = await desk.say('wangfang', CHAT.desk, '/报修 双江街道 滨河路2号 路灯杆漏电 赵六 13800000009');
  const no = numberIn(reply);
  expect(reply).toContain(`⚠ 险情「漏电」，虽在停电 ${td} 范围内，仍须派人到场处置。`);
  expect(await desk.ticket(no)).toMatchObject({ state: 'dispatched', owner_unit_id: 'khzx', linked_outage_id: null });
  const card = await desk.lastCard(CHAT.khzx);
  expect(card.text).toContain(no);
  expect(card.text).toContain(`停电 ${td}`);

  // A plain report in the same street is still explained by the outage.
  const plain = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 双江街道 滨河路4号 家里没电 13800000010'));
  expect((await desk.ticket(plain)).state).toBe('linked');

  await desk.say('wangfang', CHAT.desk, `/停电 恢复 ${td}`);
  expect((await desk.ticket(no)).state).toBe('dispatched');
  expect((await desk.events(no)).map((e) => e.type)).toEqual(['created', 'dispatched']);
});

it('stops explaining reports with an open-ended outage a day old, until the desk renews it', async () => {
  const td = /TD\d{8}-\d{4}/.exec(await desk.say('wangfang', CHAT.desk, '/停电 临时 高阳镇 10:00 变电站故障'))![0];
  await desk.advance(26 * HOUR);
  const stale = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 高阳镇 新街3号 家里没电 13800000012'));
  expect((await desk.ticket(stale)).state).toBe('dispatched');

  expect(await desk.say('wangfang', CHAT.desk, `/停电 续期 ${td}`)).toContain(`已续期停电 ${td}`);
  // A renewal changes what the notice explains: recorded with the person, like publishing and ending it.
  const entry = await desk.db.selectFrom('audit_log').select(['actor', 'after']).where('subject', '=', 'outages').orderBy('id', 'desc').executeTakeFirstOrThrow();
  expect(entry.actor).toMatch(/（wangfang）$/);
  expect((entry.after as { no: string; renewed_at: string | null })).toMatchObject({ no: td, renewed_at: expect.any(String) });
  const renewed = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 高阳镇 新街5号 家里没电 13800000013'));
  expect((await desk.ticket(renewed)).state).toBe('linked');
});

it('explains reports in the streets a notice names, and dispatches one from another street of the town', async () => {
  await desk.say('wangfang', CHAT.desk, '/停电 计划 城关镇 11:00 18:00 线路改造 线路:10kV青龙线 范围:人民路、建设街');
  const inside = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 城关镇 人民路20号 家里没电 13800000014'));
  expect((await desk.ticket(inside)).state).toBe('linked');
  const outside = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 城关镇 滨河路9号 家里没电 13800000015'));
  expect((await desk.ticket(outside)).state).toBe('dispatched');
});
