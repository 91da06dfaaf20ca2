import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../src/clock';
import { LIMITS, OTHER_POLICIES } from '../../src/domain/sla/limits';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';

/**
 * The limits of the regulation held from the real commands that start and stop them, through WeCom:
 * a returned repair nobody re-dispatches, a return after accepting, an area outage on one street only,
 * a linked report told when power is back, and a complaint answered after a return and a re-dispatch.
 */
let chats: Chats;
beforeAll(async () => (chats = await Chats.open()), 60_000);
afterAll(() => chats.close());

async function passes(minutes: number): Promise<void> {
  chats.clock.advance(minutes * MINUTE_MS);
  await chats.app.jobs.services.sla.sweep();
}

describe('the limits table', () => {
  it('names every policy row that is seeded, the connection (业扩) limits included', async () => {
    const response = await chats.app.api('/api/sla-policies');
    const { policies } = (await response.json()) as { policies: { code: string }[] };
    const held = LIMITS.flatMap((limit) => limit.policies).sort();
    expect(held).toEqual(policies.map((p) => p.code).filter((code) => !OTHER_POLICIES.includes(code)).sort());
    expect(LIMITS).toHaveLength(11);
    expect(LIMITS.filter((l) => l.held === 'notice').map((l) => l.id)).toEqual(['notice_lead']);
  });
});

describe('a repair returned as not ours', () => {
  it('left lying: the desk is chased to re-dispatch within 5 minutes, and /查单 shows the clock running late', async () => {
    const no = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路30号 邮局旁 路灯线掉落 赵六 13600000000'));
    await passes(2);
    expect(await chats.say('zhangwei', CHAT.khzx, `/退回 ${no} 属于35kV线路，应由修试所处理`)).toContain(no);
    await passes(6);
    const chase = await chats.waitFor(CHAT.desk, (e) => e.kind === 'markdown' && e.content.includes(`【催办】${no} 退回后已 6 分钟未重新派工`));
    expect(chase.content).toContain(`/转派 ${no} 单位`);
    const shown = await chats.say('wangfang', CHAT.desk, `/查单 ${no}`);
    expect(shown).toMatch(/待客户服务班重新派工：\d\d:\d\d 前（超时 1 分钟）/);

    expect(await chats.say('wangfang', CHAT.desk, `/转派 ${no} 修试所`)).toContain(no);
    const timeline = (await (await chats.app.api(`/api/tickets/${no}`)).json()) as { clocks: { policy: string; lateMs: number }[] };
    expect(timeline.clocks.map((c) => c.policy)).toEqual(['repair.acknowledge', 'repair.arrival.urban']);
  });

  it('returned after accepting, 8 minutes after dispatch: the return limit is missed', async () => {
    const no = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路40号 药店对面 电表箱冒火 钱七 13500000000'));
    await passes(1);
    expect(await chats.say('zhangwei', CHAT.khzx, `/接单 ${no}`)).toContain(no);
    await passes(7);
    expect(await chats.say('zhangwei', CHAT.khzx, `/退回 ${no} 用户产权设备`)).toContain(no);
    const clock = await chats.app.ctx.db
      .selectFrom('sla_clocks as c')
      .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
      .innerJoin('tickets as k', 'k.id', 'c.ticket_id')
      .select(['c.stop_event', 'c.stopped_at', 'c.due_at', 'k.overdue_at'])
      .where('k.no', '=', no)
      .where('p.code', '=', 'repair.acknowledge')
      .executeTakeFirstOrThrow();
    expect(clock.stop_event).toBe('returned');
    expect(clock.stopped_at!.getTime() - clock.due_at.getTime()).toBe(3 * MINUTE_MS);
    expect(clock.overdue_at).toEqual(clock.due_at);
  });
});

describe('an area outage', () => {
  it('covers the streets the crew names: a fault on another street is dispatched; a linked caller is told when power is back', async () => {
    const first = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 建设街5号 菜场门口 整条街停电 孙八 13400000000'));
    expect(await chats.say('zhangwei', CHAT.khzx, `/接单 ${first}`)).toContain(first);
    expect(await chats.say('zhangwei', CHAT.khzx, `/到达 ${first}`)).toContain(first);
    expect(await chats.say('zhangwei', CHAT.khzx, `/现场 ${first} 台变低压出线烧断 片区停电`)).toContain('请写明停电范围');
    const onsite = await chats.say('zhangwei', CHAT.khzx, `/现场 ${first} 台变低压出线烧断 片区停电 范围:建设街 已报市公司`);
    expect(onsite).toContain('已记录现场情况及向市公司的报告');

    const elsewhere = await chats.say('wangfang', CHAT.desk, '/报修 城关镇 新华路9号 银行旁 一户没电 周九 13300000000');
    expect(elsewhere).toContain('派至');
    const inside = await chats.say('wangfang', CHAT.desk, '/报修 城关镇 建设街18号 学校对面 家里没电 吴十 13200000000');
    const linked = numberIn(inside);
    expect(inside).toContain('故障停电');

    expect(await chats.say('zhangwei', CHAT.khzx, `/完成 ${first} 已更换出线电缆，恢复供电`)).toContain('已完成');
    const told = await chats.waitFor(CHAT.desk, (e) => e.content.includes(`【恢复供电】**${linked}**`));
    expect(told.content).toContain('请告知客户 吴十 13200000000');
    expect(await chats.say('wangfang', CHAT.desk, `/查单 ${linked}`)).toContain('状态：已恢复供电');
  });
});

describe('a complaint', () => {
  it('returned, re-dispatched and answered: one clock from the first hand-over to the answer, on the unit holding it', async () => {
    const no = numberIn(await chats.say('wangfang', CHAT.desk, '/投诉 南溪供电所 抄表员态度恶劣 要求:当面道歉 李四 13900000000'));
    await passes(60);
    expect(await chats.say('zhengyong', CHAT.nanxi, `/退回 ${no} 抄表属营销部管理`)).toContain(no);
    expect(await chats.say('wangfang', CHAT.desk, `/转派 ${no} 市场营销部`)).toContain(no);
    expect(await chats.say('wangfang', CHAT.desk, `/答复 ${no} 已道歉`)).toContain('不能答复客户');
    const clocks = await chats.app.ctx.db
      .selectFrom('sla_clocks as c')
      .innerJoin('sla_policies as p', 'p.id', 'c.policy_id')
      .innerJoin('tickets as k', 'k.id', 'c.ticket_id')
      .select(['c.unit_id', 'c.started_at', 'k.created_at'])
      .where('k.no', '=', no)
      .where('p.code', '=', 'complaint.resolve')
      .execute();
    expect(clocks).toHaveLength(1);
    expect(clocks[0]!.started_at).toEqual(clocks[0]!.created_at);
    expect(clocks[0]!.unit_id).not.toBe('nanxi');
  });
});
