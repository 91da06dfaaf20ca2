import { NOTICE_LEAD_HOURS } from '../regulation';
import type { LimitUnit } from './deadlines';

/**
 * The ten time limits of the regulation (县公司95598客户服务管理实施办法, part 1), each with the event that starts it, the
 * events that meet it, what ends or restarts it otherwise, and who is chased. The numbers live in the policy rows
 * (seeded from src/domain/regulation.ts, edited through PUT /api/sla-policies); this table says which rows make up each
 * limit, and the assessment counts per limit. Its names state the rows in force (`limitName`), never a copy of them.
 * test/sla/limits.test.ts walks every row through WeCom.
 */
export interface Limit {
  id: LimitId;
  /** The name without its figures: 到达现场. Empty when the figures say it all (投诉 5 / 举报 10 个工作日). */
  title: string;
  /** The rows whose limits the name states, each with its label (城市, 投诉, …; empty for a single figure). */
  figures: [label: string, policy: string][];
  clause: string;
  /** clock: sla_policies rows; notice: judged when the notice is published. */
  held: 'clock' | 'notice';
  /** The policy rows that hold it. */
  policies: string[];
  start: string;
  stop: string;
  otherwise: string;
  chased: string;
}

export type LimitId =
  | 'dispatch'
  | 'return'
  | 'arrival'
  | 'onsite_report'
  | 'city_report'
  | 'work_order'
  | 'department_return'
  | 'handling'
  | 'notice_lead'
  | 'connection_power_on'
  | 'connection_plan';

const WORK_ORDER_KINDS = ['complaint', 'report', 'suggestion', 'praise'];

export const LIMITS: Limit[] = [
  {
    id: 'dispatch',
    title: '派工',
    figures: [['', 'repair.dispatch']],
    clause: '三、一、3；三、一、8',
    held: 'clock',
    policies: ['repair.dispatch', 'repair.redispatch', 'repair.restore'],
    start: '受理 created；退回 returned（重新派工）；关联停电或在修故障 linked（恢复供电并告知客户，repair.restore）',
    stop: '派工 dispatched；关联 linked 免派工；恢复供电 restored',
    otherwise: '每次退回重新计时',
    chased: '客服班',
  },
  {
    id: 'return',
    title: '不属管辖退回',
    figures: [['', 'repair.acknowledge']],
    clause: '三、一、8',
    held: 'clock',
    policies: ['repair.acknowledge'],
    start: '派工 dispatched',
    stop: '接单 accepted 或退回 returned；接单后再退回，按退回时刻重新判定',
    otherwise: '转派给新单位重新计时，原单位超时留在原单位',
    chased: '责任班组',
  },
  {
    id: 'arrival',
    title: '到达现场',
    figures: [['城市', 'repair.arrival.urban'], ['农村', 'repair.arrival.rural'], ['边远', 'repair.arrival.remote']],
    clause: '二、二、4；三、一、7',
    held: 'clock',
    policies: ['repair.arrival.urban', 'repair.arrival.rural', 'repair.arrival.remote'],
    start: '派工 dispatched',
    stop: '到达 arrived',
    otherwise: '退回 returned 结束计时，不算按时到达；超时则催办并作超时统计',
    chased: '责任班组，再单位领导、公司领导',
  },
  {
    id: 'onsite_report',
    title: '向县公司客服班报告',
    figures: [['', 'repair.onsite_report']],
    clause: '三、一、5',
    held: 'clock',
    policies: ['repair.onsite_report'],
    start: '到达 arrived',
    stop: '/现场 onsite_reported 或完成 completed',
    otherwise: '—',
    chased: '责任班组',
  },
  {
    id: 'city_report',
    title: '向市公司95598客户服务中心报告',
    figures: [['', 'repair.city_report']],
    clause: '三、一、5',
    held: 'clock',
    policies: ['repair.city_report'],
    start: '到达 arrived',
    stop: '/现场 … 已报市公司 city_reported',
    otherwise: '完成 completed 结束计时，不算已报告',
    chased: '责任班组',
  },
  {
    id: 'work_order',
    title: '制作电子工单交办',
    figures: [['', 'complaint.work_order']],
    clause: '三、二、2；三、二、3',
    held: 'clock',
    policies: WORK_ORDER_KINDS.flatMap((kind) => [`${kind}.work_order`, `${kind}.redispatch`]),
    start: '受理 created；退回 returned（重新交办）',
    stop: '交办 dispatched',
    otherwise: '每次退回重新计时',
    chased: '客服班',
  },
  {
    id: 'department_return',
    title: '部门不属本单位退回',
    figures: [['', 'complaint.acknowledge']],
    clause: '三、二、3',
    held: 'clock',
    policies: WORK_ORDER_KINDS.map((kind) => `${kind}.acknowledge`),
    start: '交办 dispatched',
    stop: '受理 accepted、退回 returned 或办结 completed；受理后再退回，按退回时刻重新判定',
    otherwise: '转派给新部门重新计时',
    chased: '责任部门',
  },
  {
    id: 'handling',
    title: '',
    figures: [['投诉', 'complaint.resolve'], ['举报', 'report.resolve']],
    clause: '五、二',
    held: 'clock',
    policies: ['complaint.resolve', 'report.resolve'],
    start: '首次交办 dispatched（只计一次）',
    stop: '答复客户 answered（/回复客户，或客服班 /答复）',
    otherwise: '退回、转派、审核退回返工都不停不重计；计时随工单转到当前责任部门',
    chased: '当前责任部门，再部门领导、公司领导',
  },
  {
    id: 'notice_lead',
    title: '停电信息提前公布',
    figures: [],
    clause: '二、一、4；五、三',
    held: 'notice',
    policies: [],
    start: '发布 published_at',
    stop: `停电开始 starts_at（须不早于发布后 ${NOTICE_LEAD_HOURS.planned! / 24} 天 / ${NOTICE_LEAD_HOURS.temporary} 小时）`,
    otherwise: '发布时即判定；提前量不足当即提示发布人，计入发布人所在单位',
    chased: '发布人',
  },
  {
    id: 'connection_power_on',
    title: '业扩送电',
    figures: [['居民', 'connection.power_on.residential'], ['非居民', 'connection.power_on.non_residential']],
    clause: '五、五、1–2',
    held: 'clock',
    policies: ['connection.power_on.residential', 'connection.power_on.non_residential'],
    start: '验收合格 inspected（/验收）',
    stop: '送电 powered（/送电）',
    otherwise: '按申请类别选用时限：居民，或非居民（低压、高压单电源、高压双电源）',
    chased: '业扩办理单位（市场营销部），再单位领导、分管营销的公司领导',
  },
  {
    id: 'connection_plan',
    title: '供电方案答复',
    figures: [['居民', 'connection.plan.residential'], ['低压', 'connection.plan.low_voltage'], ['高压单电源', 'connection.plan.hv_single'], ['高压双电源', 'connection.plan.hv_dual']],
    clause: '五、五、3',
    held: 'clock',
    policies: ['connection.plan.residential', 'connection.plan.low_voltage', 'connection.plan.hv_single', 'connection.plan.hv_dual'],
    start: '受理申请 created（/报装）',
    stop: '答复方案 plan_answered（/方案答复）',
    otherwise: '按申请类别选用时限',
    chased: '业扩办理单位（市场营销部），再单位领导、分管营销的公司领导',
  },
];

/**
 * Policy rows that are no limit of the regulation, chased like the others but not assessed: an inquiry passed to a
 * specialist (三、三、2) is answered within the limit the desk sets on /转专业 (its row is the limit when the desk names
 * none); a helper's part of a joint work order (三、二、6) is due one working day before the handling deadline, so the
 * lead can consolidate (the row's figure stands only for its cadence: each part carries its own limit).
 */
export const OTHER_POLICIES = [
  'inquiry.specialist',
  ...WORK_ORDER_KINDS.map((kind) => `${kind}.assist`),
  // Steps the regulation sets no figure for (151_step_clocks.sql): rework, and the desk's review.
  'repair.rework',
  ...['repair', ...WORK_ORDER_KINDS].map((kind) => `${kind}.review`),
];

/** The limit a policy row holds, or undefined for a row of no limit of the regulation. */
export function limitOf(policyCode: string): Limit | undefined {
  return LIMITS.find((limit) => limit.policies.includes(policyCode));
}

/** What a name needs of a policy row (SlaPolicy has it). */
export interface PolicyFigure {
  code: string;
  limitAmount: number;
  limitUnit: LimitUnit;
}

const UNIT_WORDS: Record<LimitUnit, string> = { minutes: '分钟', working_days: '个工作日' };

/** One row's limit as people say it, "1 个工作日"; empty when the row is missing. */
export function figureOf(policies: readonly PolicyFigure[], code: string): string {
  const row = policies.find((policy) => policy.code === code);
  return row ? `${row.limitAmount} ${UNIT_WORDS[row.limitUnit]}` : '';
}

/**
 * The limit's name with the figures of the rows in force: 到达现场（城市 45 / 农村 90 / 边远 120 分钟）. The unit is said
 * once when every figure shares it, else after each. The outage notices' lead times are the regulation's own.
 */
export function limitName(limit: Limit, policies: readonly PolicyFigure[]): string {
  let figures: string;
  if (limit.id === 'notice_lead') {
    figures = `计划 ${NOTICE_LEAD_HOURS.planned! / 24} 天 / 临时 ${NOTICE_LEAD_HOURS.temporary} 小时`;
  } else {
    const rows = limit.figures.flatMap(([label, code]) => {
      const row = policies.find((policy) => policy.code === code);
      return row ? [{ label, row }] : [];
    });
    const oneUnit = rows.every(({ row }) => row.limitUnit === rows[0]?.row.limitUnit);
    const part = ({ label, row }: (typeof rows)[number]) =>
      [label, row.limitAmount, oneUnit ? '' : UNIT_WORDS[row.limitUnit]].filter((word) => word !== '').join(' ');
    figures = rows.length ? `${rows.map(part).join(' / ')}${oneUnit ? ` ${UNIT_WORDS[rows[0]!.row.limitUnit]}` : ''}` : '';
  }
  if (!figures) return limit.title;
  return limit.title ? `${limit.title}（${figures}）` : figures;
}
