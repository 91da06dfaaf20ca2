import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT, Desk, numberIn } from '../tickets/desk';

/**
 * A limit edited through PUT /api/sla-policies is what every name and message stating it says afterwards: the
 * assessment's names and the reply that tells a crew its next deadline (the monthly analysis' points take the same rows:
 * test/regulation.test.ts).
 */
let desk: Desk;
beforeAll(async () => (desk = await Desk.open()));
afterAll(() => desk.app.stop());

async function limitNames(): Promise<Record<string, string>> {
  const body = (await (await desk.app.api('/api/reports/assessment')).json()) as { limits: { id: string; name: string }[] };
  return Object.fromEntries(body.limits.map((limit) => [limit.id, limit.name]));
}

async function arrivedReply(n: number): Promise<string> {
  const no = numberIn(await desk.say('wangfang', CHAT.desk, `/报修 城关镇 人民路${n}号 变压器冒烟 1380000000${n}`));
  expect(await desk.say('yangfan', CHAT.khzx, `/接单 ${no}`)).toContain(no);
  return desk.say('yangfan', CHAT.khzx, `/到达 ${no}`);
}

describe('a limit edited through the admin API', () => {
  it('is the figure the names and the replies state from then on', async () => {
    expect(await limitNames()).toMatchObject({ arrival: '到达现场（城市 45 / 农村 90 / 边远 120 分钟）', onsite_report: '向县公司客服班报告（20 分钟）' });
    expect(await arrivedReply(1)).toContain('请在 10:20 前报告现场情况');

    const response = await desk.app.api('/api/sla-policies', {
      method: 'PUT',
      body: { policies: [{ code: 'repair.arrival.rural', limitAmount: 80 }, { code: 'repair.onsite_report', limitAmount: 15 }] },
    });
    expect(response.status).toBe(200);

    expect(await limitNames()).toMatchObject({ arrival: '到达现场（城市 45 / 农村 80 / 边远 120 分钟）', onsite_report: '向县公司客服班报告（15 分钟）' });
    expect(await arrivedReply(2)).toContain('请在 10:15 前报告现场情况');
  });
});
