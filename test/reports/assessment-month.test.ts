import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromShanghai } from '../../src/calendar/calendar';
import { MINUTE_MS } from '../../src/clock';
import type { UnitAssessment } from '../../src/domain/reports/assessment';
import { frozenClock } from '../support/app';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';

/**
 * October 2026 at the county, with a return and a re-dispatch of a repair and of a complaint; every figure of the
 * assessment below is worked out by hand from the events, limit by limit.
 *
 * Monday 19 October, from 09:00:
 *   R1 a fault in 城关镇 → 客户中心: accepted at +2, on site at +30, reported to the county and the city at +40 (10 min after
 *      arrival), completed, approved, revisited 满意.
 *   R2 a fault in 城关镇 → 客户中心: returned at +3 (in time; its arrival clock ends, neither met nor missed); the desk
 *      re-dispatches to 修试所 8 minutes later (limit 5: missed); 修试所 accepts 1 minute later, arrives 50 minutes after
 *      the re-dispatch (limit 45: missed), reports on site 5 minutes later, completes 10 minutes after arriving (the
 *      city report was not made, but its 30 minutes had not run: neither).
 *   C1 a complaint about 南溪供电所: it returns it after 60 minutes (1 working day: met); the desk hands it to 市场营销部
 *      20 minutes later (30 minutes: met), which accepts at once, completes, is approved and answered the same day
 *      (5 working days: met, on 市场营销部, the unit holding it).
 * Friday 30 October 16:00: R3 a fault in 城关镇 → 客户中心, read two minutes later: its return and arrival deadlines are open.
 */
let chats: Chats;
beforeAll(async () => (chats = await Chats.open({}, frozenClock(fromShanghai('2026-10-19', '09:00')))), 60_000);
afterAll(() => chats.close());

const START = fromShanghai('2026-10-19', '09:00').getTime();
async function at(minutes: number): Promise<void> {
  chats.clock.advance(START + minutes * MINUTE_MS - chats.clock.nowMs());
  await chats.app.jobs.services.sla.sweep();
}
const say = (user: string, chat: string, text: string) => chats.say(user, chat, text);
const repair = async (n: number) =>
  numberIn(await say('wangfang', CHAT.desk, `/报修 城关镇 解放路${n}号 小学门口 一户没电 王${'一二三'[n - 1]} 1370000000${n}`));

describe('the October assessment, by hand', () => {
  it('counts each limit for the unit that owed it, through returns and re-dispatches', async () => {
    const r1 = await repair(1);
    const r2 = await repair(2);
    const c1 = numberIn(await say('wangfang', CHAT.desk, '/投诉 南溪供电所 抄表员态度恶劣 要求:当面道歉 李四 13900000000'));

    await at(2);
    expect(await say('zhangwei', CHAT.khzx, `/接单 ${r1}`)).toContain(r1);
    await at(3);
    expect(await say('zhangwei', CHAT.khzx, `/退回 ${r2} 属于35kV线路，应由修试所处理`)).toContain(r2);
    await at(11);
    expect(await say('wangfang', CHAT.desk, `/转派 ${r2} 修试所`)).toContain(r2);
    await at(12);
    expect(await say('sunqiang', CHAT.xiushi, `/接单 ${r2}`)).toContain(r2);
    await at(30);
    expect(await say('zhangwei', CHAT.khzx, `/到达 ${r1}`)).toContain(r1);
    await at(40);
    expect(await say('zhangwei', CHAT.khzx, `/现场 ${r1} 跌落式熔断器烧毁 正在更换 已报市公司`)).toContain(r1);
    await at(50);
    expect(await say('zhangwei', CHAT.khzx, `/完成 ${r1} 已更换熔断器，恢复供电`)).toContain('已完成');
    expect(await say('wangfang', CHAT.desk, `/审核 ${r1} 通过`)).toContain('已归档');
    expect(await say('liumin', CHAT.desk, `/回访 ${r1} 满意 抢修及时`)).toContain('已回访');
    await at(60);
    expect(await say('zhengyong', CHAT.nanxi, `/退回 ${c1} 抄表属营销部管理`)).toContain(c1);
    await at(61);
    expect(await say('sunqiang', CHAT.xiushi, `/到达 ${r2}`)).toContain(r2);
    await at(66);
    expect(await say('sunqiang', CHAT.xiushi, `/现场 ${r2} 35kV线路避雷器击穿`)).toContain(r2);
    await at(71);
    expect(await say('sunqiang', CHAT.xiushi, `/完成 ${r2} 已更换避雷器`)).toContain('已完成');
    await at(80);
    expect(await say('wangfang', CHAT.desk, `/转派 ${c1} 市场营销部`)).toContain(c1);
    expect(await say('jiangli', CHAT.yxb, `/接单 ${c1}`)).toContain(c1);
    await at(300);
    expect(await say('jiangli', CHAT.yxb, `/完成 ${c1} 已上门当面道歉`)).toContain(c1);
    expect(await say('wangfang', CHAT.desk, `/审核 ${c1} 通过`)).toContain('已归档');
    expect(await say('wangfang', CHAT.desk, `/答复 ${c1} 已当面道歉`)).toContain(c1);

    chats.clock.freeze(fromShanghai('2026-10-30', '16:00'));
    await chats.app.jobs.services.sla.sweep();
    const r3 = await repair(3);
    chats.clock.advance(2 * MINUTE_MS);
    await chats.app.jobs.services.sla.sweep();
    expect(await say('wangfang', CHAT.desk, `/查单 ${r3}`)).toContain(r3);

    const response = await chats.app.api('/api/reports/assessment?month=2026-10');
    expect(response.status).toBe(200);
    const { units } = (await response.json()) as { units: UnitAssessment[] };
    const unit = (id: string) => units.find((u) => u.unitId === id)!;

    // 客户服务班. dispatch: R1, R2, R3 dispatched at receipt (3 met) + R2 re-dispatched after 8 min (1 missed) → 3/4 = 0.75.
    // work_order: C1 handed over at receipt, and again 20 min after its return → 2 met, rate 1.
    // handling: C1's 5 working days, held by the desk from the department's reply on, met by its answer → 1 met.
    // Score (0.75 + 1 + 1) / 3 × 100 = 91.7 → 优秀.
    expect(unit('desk')).toMatchObject({
      categories: {
        dispatch: { met: 3, missed: 1, open: 0, rate: 0.75 },
        work_order: { met: 2, missed: 0, open: 0, rate: 1 },
        handling: { met: 1, missed: 0, open: 0, rate: 1 },
      },
      score: 91.7,
      grade: '优秀',
    });
    expect(Object.keys(unit('desk').categories).sort()).toEqual(['dispatch', 'handling', 'work_order']);

    // 客户中心. return: R1 accepted at +2, R2 returned at +3 → 2 met; R3 not yet due → 1 open; rate 2/2 = 1.
    // arrival: R1 at +30 of 45 → 1 met; R2's ended by its return (neither); R3 open → 1/0/1, rate 1.
    // onsite_report and city_report: R1 reported both 10 min after arrival (limits 20, 30) → 1 met each.
    // satisfaction: R1 满意 → 1. Score (1 + 1 + 1 + 1 + 1) / 5 × 100 = 100 → 优秀.
    expect(unit('khzx')).toMatchObject({
      categories: {
        return: { met: 2, missed: 0, open: 1, rate: 1 },
        arrival: { met: 1, missed: 0, open: 1, rate: 1 },
        onsite_report: { met: 1, missed: 0, open: 0, rate: 1 },
        city_report: { met: 1, missed: 0, open: 0, rate: 1 },
        satisfaction: { satisfied: 1, fair: 0, dissatisfied: 0, rate: 1 },
      },
      score: 100,
      grade: '优秀',
    });
    expect(Object.keys(unit('khzx').categories).sort()).toEqual(['arrival', 'city_report', 'onsite_report', 'return', 'satisfaction']);

    // 修试所 (R2 after the re-dispatch at +11). return: accepted at +12 → 1 met. arrival: +61 is 50 min, limit 45 → 1 missed.
    // onsite_report: 5 min after arrival → 1 met. city_report: completed 10 min after arrival, before its 30 → not counted.
    // Score (1 + 0 + 1) / 3 × 100 = 66.7 → 不合格.
    expect(unit('xiushi')).toMatchObject({
      categories: {
        return: { met: 1, missed: 0, open: 0, rate: 1 },
        arrival: { met: 0, missed: 1, open: 0, rate: 0 },
        onsite_report: { met: 1, missed: 0, open: 0, rate: 1 },
      },
      score: 66.7,
      grade: '不合格',
    });
    expect(Object.keys(unit('xiushi').categories).sort()).toEqual(['arrival', 'onsite_report', 'return']);

    // 南溪供电所: returned C1 after 60 min of its 1 working day → department_return 1 met; the handling clock left with
    // the complaint. Score 100.
    expect(unit('nanxi')).toMatchObject({ categories: { department_return: { met: 1, missed: 0, open: 0, rate: 1 } }, score: 100, grade: '优秀' });
    expect(Object.keys(unit('nanxi').categories)).toEqual(['department_return']);

    // 市场营销部: accepted C1 at once → department_return 1 met; its reply handed the handling clock to the desk.
    // Score 100.
    expect(unit('yxb')).toMatchObject({
      categories: { department_return: { met: 1, missed: 0, open: 0, rate: 1 } },
      score: 100,
      grade: '优秀',
    });
    expect(Object.keys(unit('yxb').categories).sort()).toEqual(['department_return']);

    // Nobody else had anything to answer for.
    for (const other of ['jiangkou', 'qingshui', 'ddzx', 'szb', 'gsb', 'scb', 'leaders']) {
      expect(unit(other)).toMatchObject({ categories: {}, score: null, grade: null });
    }
  }, 60_000);
});
