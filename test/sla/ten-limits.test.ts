import { afterEach, describe, expect, it } from 'vitest';
import { fromShanghai, shanghaiDate } from '../../src/calendar/calendar';
import { MINUTE_MS } from '../../src/clock';
import type { UnitAssessment } from '../../src/domain/reports/assessment';
import { LIMITS, type LimitId } from '../../src/domain/sla/limits';
import { frozenClock } from '../support/app';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';

/**
 * Each limit of src/domain/sla/limits.ts walked through WeCom from the command that starts it to the one that stops it.
 * Two tickets per row, started together: one stopped a minute inside the deadline (met), one left a minute past it
 * (超时, 催办 in the owing chat, then 督办 one cadence later) and stopped after that (missed). The month's assessment
 * then shows exactly one met and one missed on the owing unit for that limit.
 * Minute limits run on Tuesday 29 September 2026; the working-day ones start on Wednesday 30 September 10:00 and cross
 * the National Day week (1–7 October off, Saturday 10 October a make-up workday).
 */
let chats: Chats | undefined;
afterEach(async () => {
  await chats?.close();
  chats = undefined;
});

type Say = (user: string, chat: string, text: string) => Promise<string>;

interface Row {
  limit: LimitId;
  /** The policy row this walk exercises. */
  policy: string;
  start: Date;
  /** Opens a ticket and brings it to the event that starts the limit; returns its number. */
  open: (say: Say, n: number) => Promise<string>;
  /** The command that meets the limit. */
  stop: (say: Say, no: string) => Promise<void>;
  due: Date;
  /** The unit leader's 督办: one escalation cadence after the deadline. */
  escalated: Date;
  /** The unit that owes the event and the chat it is chased in. */
  unit: string;
  chat: string;
  /** Other deadlines of the same limit met on the way (the first dispatch of both tickets, at receipt). */
  alsoMet?: number;
  /** Who holds the ticket when the limit is met in time, when not `unit` (the desk answers the customer after the reply). */
  metBy?: string;
}

const SEP29 = fromShanghai('2026-09-29', '10:00');
const SEP30 = fromShanghai('2026-09-30', '10:00');
const after = (minutes: number) => new Date(SEP29.getTime() + minutes * MINUTE_MS);

async function repair(say: Say, n: number, place = '城关镇'): Promise<string> {
  return numberIn(await say('wangfang', CHAT.desk, `/报修 ${place} 人民路${10 + n}号 邮局旁 一户没电 赵${'一二'[n]} 1360000000${n}`));
}
async function accepted(say: Say, n: number, place?: string, crew = { user: 'zhangwei', chat: CHAT.khzx as string }): Promise<string> {
  const no = await repair(say, n, place);
  expect(await say(crew.user, crew.chat, `/接单 ${no}`)).toContain(no);
  return no;
}
async function arrived(say: Say, n: number): Promise<string> {
  const no = await accepted(say, n);
  expect(await say('zhangwei', CHAT.khzx, `/到达 ${no}`)).toContain(no);
  return no;
}
async function complaint(say: Say, n: number): Promise<string> {
  return numberIn(await say('wangfang', CHAT.desk, `/投诉 南溪供电所 抄表员态度恶劣${n} 要求:当面道歉 李${'一二'[n]} 1390000000${n}`));
}
async function answered(say: Say, no: string, user: string, chat: string): Promise<void> {
  expect(await say(user, chat, `/完成 ${no} 已核实处理`)).toContain(no);
  expect(await say('wangfang', CHAT.desk, `/审核 ${no} 通过`)).toContain('已归档');
  expect(await say('wangfang', CHAT.desk, `/答复 ${no} 已核实处理并答复`)).toContain(no);
}

const ROWS: Row[] = [
  {
    // 三、一、8 a repair returned as not ours: the desk re-dispatches within 5 minutes (dispatch limit, desk).
    limit: 'dispatch',
    policy: 'repair.redispatch',
    start: SEP29,
    open: async (say, n) => {
      const no = await repair(say, n);
      expect(await say('zhangwei', CHAT.khzx, `/退回 ${no} 属于35kV线路，应由修试所处理`)).toContain(no);
      return no;
    },
    stop: async (say, no) => void expect(await say('wangfang', CHAT.desk, `/转派 ${no} 修试所`)).toContain(no),
    due: after(5),
    escalated: after(10),
    unit: 'desk',
    chat: CHAT.desk,
    alsoMet: 2,
  },
  {
    // 三、一、8 the crew accepts (or returns) within 5 minutes of the dispatch.
    limit: 'return',
    policy: 'repair.acknowledge',
    start: SEP29,
    open: repair,
    stop: async (say, no) => void expect(await say('zhangwei', CHAT.khzx, `/接单 ${no}`)).toContain(no),
    due: after(5),
    escalated: after(10),
    unit: 'khzx',
    chat: CHAT.khzx,
  },
  {
    limit: 'arrival',
    policy: 'repair.arrival.urban',
    start: SEP29,
    open: (say, n) => accepted(say, n),
    stop: async (say, no) => void expect(await say('zhangwei', CHAT.khzx, `/到达 ${no}`)).toContain(no),
    due: after(45),
    escalated: after(60),
    unit: 'khzx',
    chat: CHAT.khzx,
  },
  {
    limit: 'arrival',
    policy: 'repair.arrival.rural',
    start: SEP29,
    open: (say, n) => accepted(say, n, '南溪镇', { user: 'zhengyong', chat: CHAT.nanxi }),
    stop: async (say, no) => void expect(await say('zhengyong', CHAT.nanxi, `/到达 ${no}`)).toContain(no),
    due: after(90),
    escalated: after(120),
    unit: 'nanxi',
    chat: CHAT.nanxi,
  },
  {
    limit: 'arrival',
    policy: 'repair.arrival.remote',
    start: SEP29,
    open: (say, n) => accepted(say, n, '石门村', { user: 'zhengyong', chat: CHAT.nanxi }),
    stop: async (say, no) => void expect(await say('zhengyong', CHAT.nanxi, `/到达 ${no}`)).toContain(no),
    due: after(120),
    escalated: after(150),
    unit: 'nanxi',
    chat: CHAT.nanxi,
  },
  {
    limit: 'onsite_report',
    policy: 'repair.onsite_report',
    start: SEP29,
    open: arrived,
    stop: async (say, no) => void expect(await say('zhangwei', CHAT.khzx, `/现场 ${no} 跌落式熔断器烧毁 正在更换`)).toContain(no),
    due: after(20),
    escalated: after(30),
    unit: 'khzx',
    chat: CHAT.khzx,
  },
  {
    limit: 'city_report',
    policy: 'repair.city_report',
    start: SEP29,
    open: arrived,
    stop: async (say, no) => void expect(await say('zhangwei', CHAT.khzx, `/现场 ${no} 跌落式熔断器烧毁 正在更换 已报市公司`)).toContain(no),
    due: after(30),
    escalated: after(40),
    unit: 'khzx',
    chat: CHAT.khzx,
  },
  {
    // 三、二、3 a work order returned by the department: the desk hands it over again within 30 minutes.
    limit: 'work_order',
    policy: 'complaint.redispatch',
    start: SEP29,
    open: async (say, n) => {
      const no = await complaint(say, n);
      expect(await say('zhengyong', CHAT.nanxi, `/退回 ${no} 抄表属营销部管理`)).toContain(no);
      return no;
    },
    stop: async (say, no) => void expect(await say('wangfang', CHAT.desk, `/转派 ${no} 市场营销部`)).toContain(no),
    due: after(30),
    escalated: after(45),
    unit: 'desk',
    chat: CHAT.desk,
    alsoMet: 2,
  },
  {
    // 1 working day from Wednesday 30 September: 1–7 October are off, so Thursday 8 October 10:00; 督办 on the 9th.
    limit: 'department_return',
    policy: 'complaint.acknowledge',
    start: SEP30,
    open: complaint,
    stop: async (say, no) => void expect(await say('zhengyong', CHAT.nanxi, `/接单 ${no}`)).toContain(no),
    due: fromShanghai('2026-10-08', '10:00'),
    escalated: fromShanghai('2026-10-09', '10:00'),
    unit: 'nanxi',
    chat: CHAT.nanxi,
  },
  {
    // 5 working days: 8, 9, 10 (make-up Saturday), 12, 13 October; 督办 one working day later.
    limit: 'handling',
    policy: 'complaint.resolve',
    start: SEP30,
    open: async (say, n) => {
      const no = await complaint(say, n);
      expect(await say('zhengyong', CHAT.nanxi, `/接单 ${no}`)).toContain(no);
      return no;
    },
    stop: (say, no) => answered(say, no, 'zhengyong', CHAT.nanxi),
    metBy: 'desk',
    due: fromShanghai('2026-10-13', '10:00'),
    escalated: fromShanghai('2026-10-14', '10:00'),
    unit: 'nanxi',
    chat: CHAT.nanxi,
  },
  {
    // 10 working days: 8, 9, 10, 12–16, 19, 20 October; 督办 two working days later.
    limit: 'handling',
    policy: 'report.resolve',
    start: SEP30,
    open: async (say, n) => {
      const no = numberIn(await say('wangfang', CHAT.desk, `/举报 某抄表员${n} 收取好处费后少抄电量 钱${'一二'[n]} 1350000000${n}`));
      expect(await say('hanxue', CHAT.szb, `/接单 ${no}`)).toContain(no);
      return no;
    },
    stop: (say, no) => answered(say, no, 'hanxue', CHAT.szb),
    metBy: 'desk',
    due: fromShanghai('2026-10-20', '10:00'),
    escalated: fromShanghai('2026-10-22', '10:00'),
    unit: 'szb',
    chat: CHAT.szb,
  },
  // 业扩: from Wednesday 30 September, working days 8, 9, 10 (make-up Saturday), 12, 13 … October. Power-on first: the
  // residential power-on in 3 working days is due on the make-up Saturday, the non-residential in 5 on the 13th.
  {
    limit: 'connection_power_on',
    policy: 'connection.power_on.residential',
    start: SEP30,
    open: async (say, n) => inspected(say, await application(say, n, '居民')),
    stop: powered,
    due: fromShanghai('2026-10-10', '10:00'),
    escalated: fromShanghai('2026-10-12', '10:00'),
    unit: 'yxb',
    chat: CHAT.yxb,
  },
  {
    limit: 'connection_power_on',
    policy: 'connection.power_on.non_residential',
    start: SEP30,
    open: async (say, n) => inspected(say, await application(say, n, '非居民 高压双电源')),
    stop: powered,
    due: fromShanghai('2026-10-13', '10:00'),
    escalated: fromShanghai('2026-10-14', '10:00'),
    unit: 'yxb',
    chat: CHAT.yxb,
  },
  // The supply plan: residential 3, low voltage 7, HV single source 15, HV dual source 30 working days.
  ...(
    [
      ['residential', '居民', '2026-10-10', '2026-10-12'],
      ['low_voltage', '非居民', '2026-10-15', '2026-10-16'],
      ['hv_single', '非居民 高压单电源', '2026-10-27', '2026-10-29'],
      ['hv_dual', '高压双电源', '2026-11-17', '2026-11-20'],
    ] as const
  ).map(
    ([code, words, due, escalated]): Row => ({
      limit: 'connection_plan',
      policy: `connection.plan.${code}`,
      start: SEP30,
      open: (say, n) => application(say, n, words),
      stop: async (say, no) => void expect(await say('jiangli', CHAT.yxb, `/方案答复 ${no} 10kV城北线T接`)).toContain('已答复供电方案'),
      due: fromShanghai(due, '10:00'),
      escalated: fromShanghai(escalated, '10:00'),
      unit: 'yxb',
      chat: CHAT.yxb,
    }),
  ),
];

async function application(say: Say, n: number, words: string): Promise<string> {
  return numberIn(await say('wangfang', CHAT.desk, `/报装 ${words} 城关镇 工业园${n + 1}号 新建用电 孙${'一二'[n]} 1370000000${n}`));
}
async function inspected(say: Say, no: string): Promise<string> {
  expect(await say('jiangli', CHAT.yxb, `/方案答复 ${no} 低压接入`)).toContain('已答复供电方案');
  expect(await say('jiangli', CHAT.yxb, `/验收 ${no}`)).toContain('验收合格');
  return no;
}
async function powered(say: Say, no: string): Promise<void> {
  expect(await say('jiangli', CHAT.yxb, `/送电 ${no}`)).toContain('已送电');
}

async function assessment(month: string): Promise<UnitAssessment[]> {
  const response = await chats!.app.api(`/api/reports/assessment?month=${month}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { units: UnitAssessment[] }).units;
}

async function until(at: Date): Promise<void> {
  chats!.clock.advance(at.getTime() - chats!.clock.nowMs());
  await chats!.app.jobs.services.sla.sweep();
}

describe('the ten limits of the regulation, end to end', () => {
  it.each(ROWS)('$limit ($policy): met a minute inside, 超时 and chased a minute outside, counted for $unit', async (row) => {
    chats = await Chats.open({}, frozenClock(row.start));
    const say: Say = (user, chat, text) => chats!.say(user, chat, text);
    const met = await row.open(say, 0);
    const late = await row.open(say, 1);
    const chased = (no: string, mark: string) => chats!.shows(row.chat).filter((e) => e.content.startsWith(`${mark}${no}`));

    await until(new Date(row.due.getTime() - MINUTE_MS));
    await row.stop(say, met);
    await until(new Date(row.due.getTime() + MINUTE_MS));
    await chats.waitFor(row.chat, (e) => e.kind === 'markdown' && e.content.includes(`【催办】${late}`));
    expect(await say('wangfang', CHAT.desk, `/查单 ${late}`)).toMatch(/超时 /);
    await until(new Date(row.escalated.getTime() + MINUTE_MS));
    await chats.waitFor(row.chat, (e) => e.kind === 'markdown' && e.content.includes(`【督办】${late}`));
    await row.stop(say, late);
    await until(new Date(row.escalated.getTime() + 10 * MINUTE_MS));

    // The ticket met in time was never chased on this limit, and is not marked late on it.
    expect(chased(met, '【催办】').filter((e) => e.content.includes(policyWords(row.policy)))).toEqual([]);
    const overdue = (await (await chats.app.api('/api/tickets?overdue=true')).json()) as { items: { no: string }[] };
    expect(overdue.items.map((t) => t.no)).toContain(late);

    const units = await assessment(shanghaiDate(row.due).slice(0, 7));
    const unit = units.find((u) => u.unitId === row.unit)!;
    const metCount = row.metBy ? 0 : 1 + (row.alsoMet ?? 0);
    expect(unit.categories[row.limit]).toEqual({ met: metCount, missed: 1, open: 0, rate: Math.round((metCount / (metCount + 1)) * 10_000) / 10_000 });
    // The reply came in time and the desk, holding the order from then on, answered the customer in time.
    if (row.metBy) expect(units.find((u) => u.unitId === row.metBy)!.categories[row.limit]).toMatchObject({ met: 1, missed: 0 });
  }, 60_000);

  it('notice lead: a late planned notice counts against the publishing unit, a timely one for it', async () => {
    chats = await Chats.open({}, frozenClock(fromShanghai('2026-10-12', '10:00')));
    // Planned, 3 days ahead: late. Planned, 8 days ahead: in time. Both by the desk.
    expect(await chats.say('wangfang', CHAT.desk, '/停电 计划 城关镇 10-15 08:00 10-15 18:00 10kV城关线检修 线路:10kV城关线')).toContain(
      '（通知提前量不足：计划停电应提前 7 天发布）',
    );
    const timely = await chats.say('wangfang', CHAT.desk, '/停电 计划 青龙街道 10-20 08:00 10-20 18:00 10kV青龙线检修 线路:10kV青龙线');
    expect(timely).toContain('已发布');
    expect(timely).not.toContain('提前量不足');
    // Temporary, 12 hours ahead, by a crew of the customer centre on a low-voltage line: late, on the customer centre.
    expect(await chats.say('zhangwei', CHAT.khzx, '/停电 临时 双江街道 10-12 22:00 10-13 02:00 台区低压线路改造 电压:0.4kV')).toContain(
      '（通知提前量不足：临时停电应提前 24 小时发布）',
    );

    const units = await assessment('2026-10');
    expect(units.find((u) => u.unitId === 'desk')!.categories.notice_lead).toEqual({ met: 1, missed: 1, open: 0, rate: 0.5 });
    expect(units.find((u) => u.unitId === 'khzx')!.categories.notice_lead).toEqual({ met: 0, missed: 1, open: 0, rate: 0 });
  }, 60_000);

  it('walks every limit of the table, and every policy row of the connection (业扩) limits', async () => {
    expect(LIMITS.map((l) => l.id).sort()).toEqual([...new Set(ROWS.map((r) => r.limit)), 'notice_lead'].sort());
    const connection = LIMITS.filter((l) => l.id.startsWith('connection')).flatMap((l) => l.policies);
    expect(ROWS.map((r) => r.policy).filter((p) => p.startsWith('connection'))).toEqual(connection);
  });
});

/** The words a nag of a policy uses for the awaited event (enough to tell one limit's nags from another's). */
function policyWords(policy: string): string {
  if (policy.startsWith('repair.arrival')) return '未到达现场';
  if (policy === 'repair.acknowledge') return '未接单或退回';
  if (policy === 'repair.redispatch') return '未重新派工';
  if (policy === 'repair.onsite_report') return '未报告现场情况';
  if (policy === 'repair.city_report') return '未向市公司';
  if (policy.endsWith('.redispatch')) return '未重新交办';
  if (policy.endsWith('.acknowledge')) return '未受理或退回';
  if (policy.startsWith('connection.plan')) return '未答复供电方案';
  if (policy.startsWith('connection.power_on')) return '未送电';
  return '未答复客户';
}
