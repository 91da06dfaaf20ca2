import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT, Desk, numberIn } from '../tickets/desk';

/**
 * Regulation chapter 3, 一.2: before dispatching, the desk checks for a published outage and for a fault already
 * reported; if one covers the call, the caller is told the cause and the restore time, and nobody is sent.
 */
let desk: Desk;
beforeAll(async () => (desk = await Desk.open()));
afterAll(() => desk.close());

async function cardsIn(chatId: string): Promise<number> {
  return (await desk.seen(chatId)).filter((s) => s.channel === 'push' && s.taskId).length;
}

describe('a report covered by a known cause', () => {
  it('inside a published outage’s area is answered with its cause and restore time, and not dispatched', async () => {
    const published = await desk.say('wangfang', CHAT.desk, '/停电 计划 南溪镇 09:00 18:00 10kV南溪线检修 线路:10kV南溪线');
    expect(published).toBe(
      '已发布：计划停电 TD20261124-0001：南溪镇（10kV南溪线），09:00 起，预计 18:00 恢复供电。原因：10kV南溪线检修（通知提前量不足：计划停电应提前 7 天发布）\n已通知客户中心、调度中心和所涉区域的抢修单位；该区域此后的报修将直接告知客户，不再派工（漏电、冒烟等险情照常派工）。',
    );
    const before = await cardsIn(CHAT.nanxi);

    const reply = await desk.say('wangfang', CHAT.desk, '/报修 南溪镇 场镇街5号 家里没电 刘七 13800000005');
    const no = numberIn(reply);
    expect(reply).toBe(
      [
        `已受理 **${no}**。该区域有已发布的停电，无需派工，请告知客户：`,
        '> 计划停电 TD20261124-0001：南溪镇（10kV南溪线），09:00 起，预计 18:00 恢复供电。原因：10kV南溪线检修',
        `如客户所报与此停电无关，请发送 \`/派单 ${no}\` 派工。`,
      ].join('\n'),
    );
    expect(await desk.ticket(no)).toMatchObject({ state: 'linked', owner_unit_id: 'nanxi', dispatched_at: null });
    expect((await desk.events(no)).map((e) => e.type)).toEqual(['created', 'linked']);
    expect(await cardsIn(CHAT.nanxi)).toBe(before);
  });

  it('a village inside the town under outage is covered too', async () => {
    const no = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 石门村 二组 停电了 13800000006'));
    expect((await desk.ticket(no)).state).toBe('linked');
  });

  it('the desk overrides the link with /派单 when the call is about something else', async () => {
    const no = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 南溪镇 场镇街7号 电表箱冒火 13800000007'));
    expect((await desk.ticket(no)).state).toBe('linked');
    expect(await desk.say('wangfang', CHAT.desk, `/派单 ${no}`)).toBe(`**${no}** 已派工，待接单。已派至南溪供电所，须在 11:30 前到达现场。`);
    expect(await desk.ticket(no)).toMatchObject({ state: 'dispatched', linked_outage_id: null });
    expect((await desk.lastCard(CHAT.nanxi)).text).toContain(no);
    expect(await desk.say('zhengyong', CHAT.nanxi, `/派单 ${no}`)).toBe(`抱歉，「派工」由客户服务班办理，郑勇不能操作 ${no}`);
  });

  it('a second report at the same address as an open repair is linked to it', async () => {
    const first = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000'));
    const cards = await cardsIn(CHAT.khzx);
    const reply = await desk.say('chenjing', CHAT.desk, '/报修 城关镇 人民路１２號 变压器响得厉害 李四 13900000000');
    const second = numberIn(reply);
    expect(reply).toContain(`已关联到 **${first}**，不重复派工`);
    expect(reply).toContain('客户中心正在处理，当前已派工，待接单，抢修人员 10:45 前到达现场');
    expect(await desk.ticket(second)).toMatchObject({ state: 'linked', linked_ticket_id: (await desk.ticket(first)).id });
    expect(await cardsIn(CHAT.khzx)).toBe(cards);
  });

  it('an outage announced for tomorrow does not cover a fault today', async () => {
    await desk.say('wangfang', CHAT.desk, '/停电 计划 江口镇 明天08:00 明天17:00 配变增容');
    const no = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 江口镇 滨江路2号 停电 13800000008'));
    expect((await desk.ticket(no)).state).toBe('dispatched');
  });

  it('a query about power cuts lists what is published for the area', async () => {
    const reply = await desk.say('wangfang', CHAT.desk, '/查询 停电 江口镇');
    expect(reply).toContain('计划停电 TD20261124-0002：江口镇，11-25 08:00 起，预计 11-25 17:00 恢复供电。原因：配变增容');
  });

  it('outages of 10 kV and above are the desk’s to publish; a station may publish a low-voltage one', async () => {
    expect(await desk.say('zhengyong', CHAT.nanxi, '/停电 临时 龙角镇 11:00 15:00 更换电杆 电压:10kV')).toBe(
      '抱歉，10kV 及以上（或未注明电压）的停电信息由客户服务班发布',
    );
    expect(await desk.say('zhengyong', CHAT.nanxi, '/停电 临时 龙角镇 11:00 15:00 更换低压线 电压:0.4kV')).toMatch(/^已发布：临时停电 TD/);
    expect(await desk.say('zhangsan-outsider', CHAT.nanxi, '/停电 临时 龙角镇 11:00 15:00 更换低压线')).toBe(
      '抱歉，`/停电` 仅限客户服务班或抢修班组使用。',
    );
    expect(await desk.say('wangfang', CHAT.desk, '/停电 检修 龙角镇 11:00 15:00 原因')).toMatch(/缺少「停电类型」（计划、计划停电、临时/);
    expect(await desk.say('wangfang', CHAT.desk, '/停电 计划 龙角镇 15:00 11:00 原因')).toBe('抱歉，预计恢复时间须晚于停电开始时间');
  });
});
