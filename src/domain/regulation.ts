import { DAY_MS, HOUR_MS, MINUTE_MS } from '../clock';
import type { TicketTables } from '../db/schema';
import type { SlaPolicy } from './sla/policies';

/**
 * The desk regulation (县公司95598客户服务管理实施办法, part 1) as numbers: every time limit, warning point and escalation
 * cadence, the voltages that decide who repairs and who publishes, the outage notices' lead times and the thresholds of
 * the operations checks. The code reads these; the SQL seed (migrations 042, 043, 080, 090, 120) must say the same
 * (test/regulation.test.ts). The time limits themselves are then the desk's to edit through PUT /api/sla-policies, so
 * whatever states a limit to a person reads the policy row in force, not this file (src/domain/sla/limits.ts).
 */

/** One seeded time limit: a policy row as first installed (its `id` is the database's). */
export type PolicyRule = Omit<SlaPolicy, 'id'>;

const MINUTES = 'minutes';
const WORKING_DAYS = 'working_days';
type Responsible = PolicyRule['responsible'];
type Events = [start: string, stop: string[], cancel: string[]];
type Texts = [since: string, awaited: string, action: string];
type Options = Partial<Pick<PolicyRule, 'areaClass' | 'classes' | 'once' | 'enabled'>>;

/**
 * A policy row: its kind is its code's first part. Warning at `warn` of the limit; the breach at the limit; escalation to
 * the unit leader one cadence (`every`, in the limit's unit) after the breach, to the company leader two cadences after.
 */
function rule(
  code: string,
  responsible: Responsible,
  [startEvent, stopEvents, cancelEvents]: Events,
  [limitAmount, limitUnit]: [number, PolicyRule['limitUnit']],
  [warnFraction, escalateEvery]: [number, number],
  [sinceText, awaitedText, actionText]: Texts,
  options: Options = {},
): PolicyRule {
  return {
    code,
    kind: code.split('.')[0] as PolicyRule['kind'],
    areaClass: options.areaClass ?? null,
    classes: options.classes ?? null,
    startEvent,
    stopEvents,
    cancelEvents,
    once: options.once ?? false,
    limitAmount,
    limitUnit,
    warnFraction,
    escalateEvery,
    responsible,
    sinceText,
    awaitedText,
    actionText,
    enabled: options.enabled ?? true,
  };
}

/** Every time limit, in the order the migrations seed them. */
export const SLA_POLICIES: readonly PolicyRule[] = [
  // 三、一、3 a new fault: the desk tells the repair unit within 5 minutes
  rule('repair.dispatch', 'desk', ['created', ['dispatched'], ['linked']], [5, MINUTES], [0.6, 5],
    ['受理', '派工', '尽快派工：/派单 {no}']),
  // 三、一、8 a fault not in the unit's charge is returned within 5 minutes (accepting it confirms it is theirs)
  rule('repair.acknowledge', 'owner', ['dispatched', ['accepted', 'returned'], []], [5, MINUTES], [0.6, 5],
    ['派工', '接单或退回', '确认接单：/接单 {no}；不属本单位请 /退回 {no} 原因']),
  // 二、二、4 and 三、一、7 on site: towns 45 minutes, countryside 90, remote areas 2 hours
  rule('repair.arrival.urban', 'owner', ['dispatched', ['arrived'], ['returned']], [45, MINUTES], [0.8, 15],
    ['派工', '到达现场', '尽快到达并回复 /到达 {no}'], { areaClass: 'urban' }),
  rule('repair.arrival.rural', 'owner', ['dispatched', ['arrived'], ['returned']], [90, MINUTES], [0.8, 30],
    ['派工', '到达现场', '尽快到达并回复 /到达 {no}'], { areaClass: 'rural' }),
  rule('repair.arrival.remote', 'owner', ['dispatched', ['arrived'], ['returned']], [120, MINUTES], [0.8, 30],
    ['派工', '到达现场', '尽快到达并回复 /到达 {no}'], { areaClass: 'remote' }),
  // 三、一、5 within 20 minutes of arrival, a report to the county desk
  rule('repair.onsite_report', 'owner', ['arrived', ['onsite_reported', 'completed'], []], [20, MINUTES], [0.75, 10],
    ['到达现场', '报告现场情况', '回复 /现场 {no} 现场情况']),
  // 三、一、5 and within 30 to the city company's 95598 centre (recorded by /现场 … 已报市公司)
  rule('repair.city_report', 'owner', ['arrived', ['city_reported'], ['completed']], [30, MINUTES], [0.8, 10],
    ['到达现场', '向市公司95598客户服务中心报告', '向市公司95598客户服务中心值班人员报告现场情况']),
  // 三、二、2 an electronic work order to the department or unit within 30 minutes
  rule('complaint.work_order', 'desk', ['created', ['dispatched'], []], [30, MINUTES], [0.8, 15],
    ['受理', '交办', '尽快制作工单并交办：/派单 {no}']),
  rule('report.work_order', 'desk', ['created', ['dispatched'], []], [30, MINUTES], [0.8, 15],
    ['受理', '交办', '尽快制作工单并交办：/派单 {no}']),
  rule('suggestion.work_order', 'desk', ['created', ['dispatched'], []], [30, MINUTES], [0.8, 15],
    ['受理', '交办', '尽快制作工单并交办：/派单 {no}']),
  rule('praise.work_order', 'desk', ['created', ['dispatched'], []], [30, MINUTES], [0.8, 15],
    ['受理', '交办', '尽快制作工单并交办：/派单 {no}']),
  // 三、二、3 a work order not the department's is returned within 1 working day (accepting confirms it)
  rule('complaint.acknowledge', 'owner', ['dispatched', ['accepted', 'returned', 'completed'], []], [1, WORKING_DAYS], [0.75, 1],
    ['交办', '受理或退回', '确认受理：/接单 {no}；不属本单位请 /退回 {no} 原因']),
  rule('report.acknowledge', 'owner', ['dispatched', ['accepted', 'returned', 'completed'], []], [1, WORKING_DAYS], [0.75, 1],
    ['交办', '受理或退回', '确认受理：/接单 {no}；不属本单位请 /退回 {no} 原因']),
  rule('suggestion.acknowledge', 'owner', ['dispatched', ['accepted', 'returned', 'completed'], []], [1, WORKING_DAYS], [0.75, 1],
    ['交办', '受理或退回', '确认受理：/接单 {no}；不属本单位请 /退回 {no} 原因']),
  rule('praise.acknowledge', 'owner', ['dispatched', ['accepted', 'returned', 'completed'], []], [1, WORKING_DAYS], [0.75, 1],
    ['交办', '受理或退回', '确认受理：/接单 {no}；不属本单位请 /退回 {no} 原因']),
  // 五、二 complaints 5, reports 10 working days, one clock from the first hand-over to the answer to the customer
  rule('complaint.resolve', 'owner', ['dispatched', ['answered'], []], [5, WORKING_DAYS], [0.8, 1],
    ['首次交办', '答复客户', '抓紧办结（/完成 {no} 处理结果），客服班审核后 /答复 {no} 答复内容'], { once: true }),
  rule('report.resolve', 'owner', ['dispatched', ['answered'], []], [10, WORKING_DAYS], [0.8, 2],
    ['首次交办', '答复客户', '抓紧办结（/完成 {no} 处理结果），客服班审核后 /答复 {no} 答复内容'], { once: true }),
  // 三、一、8 a returned fault is dispatched again, in the same 5 minutes, from the return
  rule('repair.redispatch', 'desk', ['returned', ['dispatched'], []], [5, MINUTES], [0.6, 5],
    ['退回', '重新派工', '尽快重新派工：/转派 {no} 单位']),
  // 三、二、3 a returned work order is handed over again, in the same 30 minutes
  rule('complaint.redispatch', 'desk', ['returned', ['dispatched'], []], [30, MINUTES], [0.8, 15],
    ['退回', '重新交办', '尽快重新交办：/转派 {no} 部门']),
  rule('report.redispatch', 'desk', ['returned', ['dispatched'], []], [30, MINUTES], [0.8, 15],
    ['退回', '重新交办', '尽快重新交办：/转派 {no} 部门']),
  rule('suggestion.redispatch', 'desk', ['returned', ['dispatched'], []], [30, MINUTES], [0.8, 15],
    ['退回', '重新交办', '尽快重新交办：/转派 {no} 部门']),
  rule('praise.redispatch', 'desk', ['returned', ['dispatched'], []], [30, MINUTES], [0.8, 15],
    ['退回', '重新交办', '尽快重新交办：/转派 {no} 部门']),
  // 三、一、2 a report explained by a known outage stays the desk's until power is back and the customer told: 4 hours
  // (the regulation names no figure; a fault outage rarely lasts longer without news)
  rule('repair.restore', 'desk', ['linked', ['restored', 'dispatched'], []], [240, MINUTES], [0.75, 60],
    ['关联停电或在修故障', '恢复供电并告知客户', '核实停电进展并告知客户；确属新故障请 /派单 {no}']),
  // 五、五、3 the supply plan: residential 3, low voltage 7, HV single supply 15, HV dual supply 30 working days
  rule('connection.plan.residential', 'owner', ['created', ['plan_answered'], []], [3, WORKING_DAYS], [0.8, 1],
    ['受理报装申请', '答复供电方案', '尽快答复供电方案：/方案答复 {no} 方案要点'], { classes: ['residential'] }),
  rule('connection.plan.low_voltage', 'owner', ['created', ['plan_answered'], []], [7, WORKING_DAYS], [0.8, 1],
    ['受理报装申请', '答复供电方案', '尽快答复供电方案：/方案答复 {no} 方案要点'], { classes: ['low_voltage'] }),
  rule('connection.plan.hv_single', 'owner', ['created', ['plan_answered'], []], [15, WORKING_DAYS], [0.8, 2],
    ['受理报装申请', '答复供电方案', '尽快答复供电方案：/方案答复 {no} 方案要点'], { classes: ['hv_single'] }),
  rule('connection.plan.hv_dual', 'owner', ['created', ['plan_answered'], []], [30, WORKING_DAYS], [0.8, 3],
    ['受理报装申请', '答复供电方案', '尽快答复供电方案：/方案答复 {no} 方案要点'], { classes: ['hv_dual'] }),
  // 五、五、1–2 power on after the inspection: residential 3, non-residential 5 working days
  rule('connection.power_on.residential', 'owner', ['inspected', ['powered'], []], [3, WORKING_DAYS], [0.8, 1],
    ['验收合格', '送电', '尽快装表送电，送电后回复 /送电 {no}'], { classes: ['residential'] }),
  rule('connection.power_on.non_residential', 'owner', ['inspected', ['powered'], []], [5, WORKING_DAYS], [0.8, 1],
    ['验收合格', '送电', '尽快装表送电，送电后回复 /送电 {no}'], { classes: ['low_voltage', 'hv_single', 'hv_dual'] }),
  // 三、三、2 an inquiry passed to a specialist: this row is the limit when /转专业 names none
  rule('inquiry.specialist', 'owner', ['referred', ['answered'], []], [1, WORKING_DAYS], [0.75, 1],
    ['转专业', '专业答复', '请答复客户：/答复 {no} 答复内容']),
  // 三、二、6 a helper's part of a joint work order (each part carries its own limit; the row gives its cadence)
  rule('complaint.assist', 'owner', ['assist_assigned', ['assist_replied'], []], [1, WORKING_DAYS], [0.75, 1],
    ['协办交办', '答复协办意见', '请答复协办意见：/答复 {no} 协办意见']),
  rule('report.assist', 'owner', ['assist_assigned', ['assist_replied'], []], [1, WORKING_DAYS], [0.75, 1],
    ['协办交办', '答复协办意见', '请答复协办意见：/答复 {no} 协办意见']),
  rule('suggestion.assist', 'owner', ['assist_assigned', ['assist_replied'], []], [1, WORKING_DAYS], [0.75, 1],
    ['协办交办', '答复协办意见', '请答复协办意见：/答复 {no} 协办意见']),
  rule('praise.assist', 'owner', ['assist_assigned', ['assist_replied'], []], [1, WORKING_DAYS], [0.75, 1],
    ['协办交办', '答复协办意见', '请答复协办意见：/答复 {no} 协办意见']),
  // Steps the regulation names without a figure (三、一、7 rework; the desk's review of every reply): one working day
  // each, so no ticket sits in rework or review unnoticed; chased and on the board, not in the assessment.
  rule('repair.rework', 'owner', ['sent_back', ['completed'], []], [1, WORKING_DAYS], [0.75, 1],
    ['审核退回', '重新处理完毕', '按审核意见重新处理后发送 /完成 {no} 处理结果']),
  ...(['repair', 'complaint', 'report', 'suggestion', 'praise'] as const).map((kind) =>
    rule(`${kind}.review`, 'desk', ['completed', ['approved', 'sent_back'], []], [1, WORKING_DAYS], [0.75, 1],
      ['提交审核', '审核', '请审核：/审核 {no} 通过 或 /审核 {no} 退回 原因']),
  ),
];

/**
 * The steps of every limit's nags, in order: a warning to the people on duty, the breach (催办), then escalation to the
 * unit leader and the company leader (督办), each one cadence later (sla/deadlines.ts).
 */
export const NAG_STEPS = ['warn', 'breach', 'unit_leader', 'company_leader'] as const;

/**
 * 二、二 (修试所负责35KV以上): faults at this voltage or above go to the repair institute, below it to the area's own unit.
 * The organisation file's `routing.highVoltage.fromKv` may set it per county (this is its default); both routing texts
 * read that one value.
 */
export const HIGH_VOLTAGE_FROM_KV = 35;

/** 二、一、10: outage notices at this voltage or above are published by the desk; below it a crew unit may publish. */
export const DESK_PUBLISHES_FROM_KV = 10;

/** 三、一、5: a repair needing a power cut at this voltage or above is reported to the dispatch group. */
export const DISPATCH_TOLD_FROM_KV = 10;

/**
 * 二、一、4: how long before the cut a notice must be published: planned 7 days, temporary 24 hours. Kinds not listed
 * (arrears, fault, rationing, other) have no lead time.
 */
export const NOTICE_LEAD_HOURS: Partial<Record<TicketTables['outages']['kind'], number>> = {
  planned: 7 * 24,
  temporary: 24,
};

/**
 * How long an asker's numbered FAQ candidates answer a bare 1/2/3 or 转人工 (三、三): long enough to read three questions
 * and ask the customer on the phone which one they meant, short enough that a number typed later is not taken for a pick.
 */
export const OFFER_WINDOW_MINUTES = 30;

/** Chapter 4, the operations checks: when the reports go out, and the bounds the service is held to. */
export const OPERATIONS = {
  /** When the weekly log summary (Monday) and the monthly operation report (the 1st) go out, Beijing time. */
  reportTime: '09:00',
  /** A self-check missed by this much (every process down at its time) is left for the next one. */
  selfCheckGraceMs: 2 * HOUR_MS,
  /** Below this share of minutes with a working connection, the month is marked for attention. */
  uptimeTarget: 0.995,
  /** How long warnings and errors (and the connection's minutes) are kept: a quarter, enough for any monthly report. */
  retentionMs: 90 * DAY_MS,
  /** The self-check's bounds; a figure outside them is marked for the desk. */
  selfCheck: {
    /** The oldest unsent message: replies leave in seconds, a retry backs off for minutes at most. */
    outboxAgeMs: 10 * MINUTE_MS,
    /** The newest backup: the daily one at 02:00, plus slack for a slow night. */
    backupAgeMs: 26 * HOUR_MS,
    /** Free space on the disk of the data and backups, in bytes and as a share of the disk. */
    diskFreeBytes: 1024 ** 3,
    diskFreeShare: 0.1,
  },
} as const;
