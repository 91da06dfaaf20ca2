import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromShanghai } from '../../src/calendar/calendar';
import { MINUTE_MS } from '../../src/clock';
import type { UnitAssessment } from '../../src/domain/reports/assessment';
import { CHAT, Desk, numberIn } from '../tickets/desk';

/**
 * Outage notices as the desk publishes them on Tuesday 24 November 2026, 10:00, in the words it types: who hears of
 * each kind, a late one counted against its unit, an overlap refused then confirmed, the customer's query over
 * overlapping notices, and the end of a cut, by hand or at its restore time, told to the chats and the waiting callers.
 */
let desk: Desk;
beforeAll(async () => (desk = await Desk.open()), 60_000);
afterAll(() => desk.close());

const at = (day: string, time: string) => fromShanghai(day, time);
const outageNo = (text: string) => /TD\d{8}-\d{4}/.exec(text)![0];
const notices = async (chatId: string, mark: string, no: string) =>
  (await desk.seen(chatId)).filter((s) => s.channel === 'push' && s.text.startsWith(mark) && s.text.includes(no));

async function outage(no: string) {
  return desk.db.selectFrom('outages').selectAll().where('no', '=', no).executeTakeFirstOrThrow();
}

/** The bot's own background work (the end at restore time after a clock move) commits a moment later. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await check()).toBe(true);
}

const KINDS = [
  // kind, what the desk types, the crew chat of the area, announced to the public, start, restore
  ['计划', '城关镇 12月2日8点到18点 10kV城关线检修 线路:10kV城关线', CHAT.khzx, true, at('2026-12-02', '08:00'), at('2026-12-02', '18:00')],
  ['临时', '南溪镇 明天8点到18点 配变增容', CHAT.nanxi, true, at('2026-11-25', '08:00'), at('2026-11-25', '18:00')],
  ['欠费', '江口镇 2小时后 欠费停电 重点客户:江口砖厂', CHAT.jiangkou, false, at('2026-11-24', '12:00'), null],
  ['故障', '清水乡 今天14:00-16:30 10kV清水线跳闸', CHAT.qingshui, false, at('2026-11-24', '14:00'), at('2026-11-24', '16:30')],
  ['限电', '高阳镇 今天19:00-21:00 上级电网限电', CHAT.jiangkou, false, at('2026-11-24', '19:00'), at('2026-11-24', '21:00')],
  ['其他', '龙角镇 明天9点到11点 配合市政施工', CHAT.nanxi, false, at('2026-11-25', '09:00'), at('2026-11-25', '11:00')],
] as const;
const published = new Map<string, string>();

describe('publishing a notice', () => {
  it.each(KINDS)('%s: reaches 客户中心, 调度中心 and the crew of the area, with the times as typed', async (kind, text, crewChat, announced, startsAt, restoreAt) => {
    const reply = await desk.say('wangfang', CHAT.desk, `/停电 ${kind} ${text}`);
    expect(reply).toContain('已发布');
    expect(reply).toContain('已通知客户中心、调度中心和所涉区域的抢修单位');
    const no = outageNo(reply);
    published.set(kind, no);
    expect(await outage(no)).toMatchObject({ starts_at: startsAt, restore_at: restoreAt });

    for (const chat of [CHAT.khzx, CHAT.dispatch, crewChat]) {
      const [notice] = await notices(chat, '【停电信息】', no);
      expect(notice, chat).toBeDefined();
      expect(notice!.text.includes('请客户中心按规定向媒体、用户和社会公告'), chat).toBe(announced && chat === CHAT.khzx);
    }
    // The desk published it: its reply says so, and no second copy is pushed into its chat.
    expect(await notices(CHAT.desk, '【停电信息】', no)).toEqual([]);
  });

  it('tells the key customers, and a crew of an area the notice does not cover hears nothing', async () => {
    const arrears = published.get('欠费')!;
    expect((await notices(CHAT.jiangkou, '【停电信息】', arrears))[0]!.text).toContain('重点客户：江口砖厂');
    expect(await notices(CHAT.qingshui, '【停电信息】', arrears)).toEqual([]);
  });

  it('a notice over a town reaches the crew of a village in it', async () => {
    // 石门村 lies in 南溪镇; both are 南溪供电所's, so it is told once.
    const temporary = published.get('临时')!;
    expect(await notices(CHAT.nanxi, '【停电信息】', temporary)).toHaveLength(1);
  });
});

describe('a low-voltage outage reported by a crew (chapter 2, 二.3)', () => {
  it('informs the desk and 调度中心', async () => {
    const reply = await desk.say('zhangwei', CHAT.khzx, '/停电 临时 双江街道 明天9点到11点 台区低压线路改造 电压:0.4kV');
    const no = outageNo(reply);
    expect(await notices(CHAT.desk, '【停电信息】', no)).toHaveLength(1);
    expect(await notices(CHAT.dispatch, '【停电信息】', no)).toHaveLength(1);
    expect(await notices(CHAT.khzx, '【停电信息】', no)).toEqual([]);
  });

  it('an area outage from site informs 调度中心 too', async () => {
    const repair = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 青龙街道 青龙路7号 超市旁 整片没电 周九 13300000009'));
    await desk.say('zhangwei', CHAT.khzx, `/接单 ${repair}`);
    await desk.say('zhangwei', CHAT.khzx, `/到达 ${repair}`);
    const onsite = await desk.say('zhangwei', CHAT.khzx, `/现场 ${repair} 低压出线烧断 片区停电 范围:青龙路`);
    const no = outageNo(onsite);
    expect(await notices(CHAT.dispatch, '【停电信息】', no)).toHaveLength(1);
  });
});

describe('lead time', () => {
  it('a temporary notice 22 hours ahead is flagged, and the month counts it against the desk', async () => {
    const late = await outage(published.get('临时')!);
    expect((late.starts_at.getTime() - late.published_at.getTime()) / 3_600_000).toBe(22);
    const response = await desk.app.api('/api/reports/assessment?month=2026-11');
    const units = ((await response.json()) as { units: UnitAssessment[] }).units;
    // The desk: planned in time, temporary late (the other kinds need no lead). 客户中心: its 0.4 kV temporary, late.
    expect(units.find((u) => u.unitId === 'desk')!.categories.notice_lead).toEqual({ met: 1, missed: 1, open: 0, rate: 0.5 });
    expect(units.find((u) => u.unitId === 'khzx')!.categories.notice_lead).toEqual({ met: 0, missed: 1, open: 0, rate: 0 });
  });

  it('the publisher is told at once', async () => {
    const reply = await desk.say('wangfang', CHAT.desk, '/停电 临时 上坝乡 明天9点到11点 线路消缺');
    expect(reply).toContain('（通知提前量不足：临时停电应提前 24 小时发布）');
  });
});

describe('an overlapping notice', () => {
  it('is refused with the number in force, and published when confirmed', async () => {
    const planned = published.get('计划')!;
    const again = '/停电 计划 城关镇 12月2日9点到12点 城关线T接箱变更换 线路:10kV城关线';
    const refused = await desk.say('wangfang', CHAT.desk, again);
    expect(refused).toContain(`与已发布的计划停电 ${planned}（城关镇，10kV城关线，12月2日 08:00 至 18:00）区域或线路、时间重叠，未发布`);
    expect(refused).toContain('指令末尾加「确认」');
    const confirmed = await desk.say('wangfang', CHAT.desk, `${again} 确认`);
    expect(confirmed).toContain('已发布');
    expect((await outage(outageNo(confirmed))).cause).toBe('城关线T接箱变更换');
  });

  it('through the admin API: 409, then 201 with confirm', async () => {
    const body = { kind: 'temporary', areas: ['石门村'], startsAt: '2026-11-25 10:00', cause: '线路消缺', publishedBy: 'wangfang' };
    const refused = await desk.app.api('/api/outages', { body });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(await refused.json())).toContain(published.get('临时')!);
    expect((await desk.app.api('/api/outages', { body: { ...body, confirm: true } })).status).toBe(201);
  });

  it('a different line in another area at the same time is no overlap', async () => {
    expect(await desk.say('wangfang', CHAT.desk, '/停电 计划 青龙街道 12月2日8点到18点 10kV青龙线检修 线路:10kV青龙线')).toContain('已发布');
  });
});

describe('a customer asking about an area', () => {
  it('is told every notice over it, the overlapping ones included, and those over the town it lies in', async () => {
    const city = await desk.say('wangfang', CHAT.desk, '/查询 停电 城关镇');
    expect(city.match(/计划停电 TD/g)).toHaveLength(2);
    const village = await desk.say('wangfang', CHAT.desk, '/查询 停电 石门村');
    expect(village).toContain(published.get('临时')!);
    expect(village.match(/临时停电 TD/g)).toHaveLength(2);
  });
});

describe('the end of a cut', () => {
  it('ended early with /停电 恢复 and the tail of its number: the chats are told, and the desk which caller to inform', async () => {
    const arrears = published.get('欠费')!;
    desk.app.clock.advance(2 * 60 * MINUTE_MS + 5 * MINUTE_MS);
    const linked = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 江口镇 江口街3号 砖厂门口 厂里没电 郑十 13100000001'));
    expect((await desk.ticket(linked)).state).toBe('linked');

    expect(await desk.say('wangfang', CHAT.desk, '/停电 恢复 99')).toContain('没有编号为 99 的停电信息');
    // Today's notice by its tail, as the desk types today's tickets: TD…-0002 as 2.
    const reply = await desk.say('wangfang', CHAT.desk, `/停电 恢复 ${Number(arrears.slice(-4))}`);
    expect(reply).toContain(`已结束欠费停电 ${arrears}（江口镇）`);
    expect(reply).toContain(`【恢复供电】**${linked}**`);
    expect(reply).toContain('请告知客户 郑十 13100000001');
    expect((await desk.ticket(linked)).state).toBe('restored');
    for (const chat of [CHAT.khzx, CHAT.dispatch, CHAT.jiangkou]) expect(await notices(chat, '【恢复供电】', arrears), chat).toHaveLength(1);
    expect(await desk.say('wangfang', CHAT.desk, `/停电 恢复 ${arrears.toLowerCase()}`)).toContain(`停电 ${arrears} 已于此前结束`);
  });

  it('at its restore time by itself, telling the chats and the callers who were waiting', async () => {
    const fault = published.get('故障')!;
    // 14:10: the cut in 清水乡 has begun; a caller there is told about it instead of a dispatch.
    desk.app.clock.freeze(at('2026-11-24', '14:10'));
    const linked = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 清水乡 清水街8号 卫生院旁 没电了 冯七 13100000002'));
    expect((await desk.ticket(linked)).state).toBe('linked');

    desk.app.clock.freeze(at('2026-11-24', '16:31'));
    await desk.app.jobs.services.outages.endDue();
    await eventually(async () => (await desk.ticket(linked)).state === 'restored');
    expect((await outage(fault)).ended_at).toEqual(at('2026-11-24', '16:30'));
    const told = (await desk.seen(CHAT.desk)).filter((s) => s.text.includes(`【恢复供电】**${linked}**`));
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('请告知客户 冯七 13100000002');
    for (const chat of [CHAT.khzx, CHAT.dispatch, CHAT.qingshui, CHAT.desk]) {
      const [notice] = await notices(chat, '【恢复供电】', fault);
      expect(notice!.text, chat).toContain(`故障停电 ${fault}（清水乡）已于 16:30 结束，恢复供电`);
    }
    // Ended once, whoever ran first.
    await desk.app.jobs.services.outages.endDue();
    expect(await notices(CHAT.khzx, '【恢复供电】', fault)).toHaveLength(1);
  });
});
