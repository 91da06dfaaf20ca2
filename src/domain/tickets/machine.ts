/**
 * The ticket state machine, as data: for each kind, which action moves a ticket from which states to which, and who
 * may do it. `transition()` is the only code that moves a ticket, and it reads nothing but this table.
 */
export const KINDS = {
  repair: { name: '故障报修', prefix: 'GZ' },
  complaint: { name: '投诉', prefix: 'TS' },
  report: { name: '举报', prefix: 'JB' },
  suggestion: { name: '建议', prefix: 'JY' },
  praise: { name: '表扬', prefix: 'BY' },
  inquiry: { name: '咨询', prefix: 'ZX' },
  query: { name: '查询', prefix: 'CX' },
  connection: { name: '业扩报装', prefix: 'YK' },
} as const;
export type Kind = keyof typeof KINDS;
export const KIND_LIST = Object.keys(KINDS) as Kind[];
/** The kinds handled as an electronic work order by a department or unit (chapter 3, 二). */
export const WORK_ORDER_KINDS = ['complaint', 'report', 'suggestion', 'praise'] as const satisfies readonly Kind[];
export type WorkOrderKind = (typeof WORK_ORDER_KINDS)[number];
export function isWorkOrder(kind: Kind): kind is WorkOrderKind {
  return (WORK_ORDER_KINDS as readonly Kind[]).includes(kind);
}

export const STATES = {
  received: '已受理',
  offered: '已列出知识库候选，待客户选择',
  referred: '已转专业人员',
  linked: '已关联，不派工',
  dispatched: '已派工，待接单',
  accepted: '已接单',
  arrived: '已到达现场',
  returned: '已退回客服班',
  completed: '已完成，待审核',
  rework: '审核退回，待重新处理',
  archived: '已归档',
  revisited: '已回访',
  answered: '已答复',
  restored: '已恢复供电',
  plan_answered: '已答复供电方案，待验收',
  inspected: '验收合格，待送电',
  powered: '已送电',
  closed: '已办结（客户不需回访）',
  follow_up: '回访不满意，待客服班跟进',
} as const;
export type State = keyof typeof STATES;

/** States in which somebody still has to act on the ticket. */
export const OPEN_STATES: State[] = ['received', 'offered', 'referred', 'dispatched', 'accepted', 'arrived', 'returned', 'completed', 'rework', 'plan_answered', 'inspected', 'follow_up'];
/** Of those, the ones where the owning unit has to act (the rest wait for the desk). */
export const OWNER_STATES: State[] = ['dispatched', 'accepted', 'arrived', 'rework', 'plan_answered', 'inspected'];

export type Action =
  | 'link'
  | 'dispatch'
  | 'accept'
  | 'arrive'
  | 'return'
  | 'report'
  | 'report_city'
  | 'restore'
  | 'complete'
  | 'approve'
  | 'reject'
  | 'revisit'
  | 'answer'
  | 'hand_over'
  | 'refer'
  | 'answer_plan'
  | 'inspect'
  | 'power_on'
  | 'reopen'
  | 'close'
  | 'coordinate'
  | 'reclassify';

/** Names of actions for refusals where a kind has no such step (到达 on a complaint). */
export const ACTION_NAMES: Record<Action, string> = {
  link: '关联',
  dispatch: '派工',
  accept: '接单',
  arrive: '到达',
  return: '退回',
  report: '报告现场情况',
  report_city: '报告市公司',
  restore: '恢复供电',
  complete: '完成',
  approve: '审核通过',
  reject: '审核退回',
  revisit: '回访',
  reopen: '回访',
  answer: '答复',
  hand_over: '转人工',
  refer: '转专业',
  answer_plan: '答复供电方案',
  inspect: '验收合格',
  power_on: '送电',
  close: '办结',
  coordinate: '协调交办',
  reclassify: '改类',
};

/**
 * Who may take an action: members of the unit that owns the ticket (or the leader it was handed to), the desk,
 * or nobody but the bot itself (linking a report to a known cause). The bot may take any action.
 */
export type Performer = 'owner' | 'desk' | 'desk_or_owner' | 'system';

export interface Step {
  from: readonly State[];
  /** The new state; `from` states moving to themselves record an event without changing state (an on-site report). */
  to: State;
  by: Performer;
  /** The event row's type: what the timeline and the SLA clocks see. */
  event: string;
  /** The Chinese verb people read: 已由 张三 于 10:03 接单. */
  verb: string;
}

const review = {
  approve: { from: ['completed'], to: 'archived', by: 'desk', event: 'approved', verb: '审核通过' },
  reject: { from: ['completed'], to: 'rework', by: 'desk', event: 'sent_back', verb: '审核退回' },
  revisit: { from: ['archived'], to: 'revisited', by: 'desk', event: 'revisited', verb: '回访' },
} as const satisfies Partial<Record<Action, Step>>;

const REPAIR: Partial<Record<Action, Step>> = {
  link: { from: ['received'], to: 'linked', by: 'system', event: 'linked', verb: '关联' },
  dispatch: { from: ['received', 'linked', 'returned', 'dispatched'], to: 'dispatched', by: 'desk', event: 'dispatched', verb: '派工' },
  accept: { from: ['dispatched'], to: 'accepted', by: 'owner', event: 'accepted', verb: '接单' },
  arrive: { from: ['accepted'], to: 'arrived', by: 'owner', event: 'arrived', verb: '到达' },
  return: { from: ['dispatched', 'accepted'], to: 'returned', by: 'owner', event: 'returned', verb: '退回' },
  report: { from: ['arrived'], to: 'arrived', by: 'owner', event: 'onsite_reported', verb: '报告现场情况' },
  report_city: { from: ['arrived'], to: 'arrived', by: 'owner', event: 'city_reported', verb: '报告市公司95598客户服务中心' },
  // Power is back over the outage (or repair) a report was linked to, and its customer is told (chapter 3, 一.2).
  restore: { from: ['linked'], to: 'restored', by: 'system', event: 'restored', verb: '恢复供电' },
  complete: { from: ['arrived', 'rework'], to: 'completed', by: 'owner', event: 'completed', verb: '完成' },
  ...review,
};

/**
 * Complaints, reports, suggestions and praise: an electronic work order a department or unit receives, returns or
 * replies to; the desk reviews the reply and answers the customer, which is what the 5 / 10 working days run to
 * (chapter 5, 二); then the revisit, unless the customer wants none.
 */
const WORK_ORDER: Partial<Record<Action, Step>> = {
  dispatch: { from: ['received', 'returned', 'dispatched', 'follow_up'], to: 'dispatched', by: 'desk', event: 'dispatched', verb: '交办' },
  // The leader coordinating a complaint of several departments (or none) names the lead department (chapter 3, 二.6).
  coordinate: { from: ['dispatched', 'accepted'], to: 'dispatched', by: 'owner', event: 'dispatched', verb: '协调交办' },
  accept: { from: ['dispatched'], to: 'accepted', by: 'owner', event: 'accepted', verb: '接收' },
  return: { from: ['dispatched', 'accepted'], to: 'returned', by: 'owner', event: 'returned', verb: '退回' },
  complete: { from: ['dispatched', 'accepted', 'rework'], to: 'completed', by: 'owner', event: 'completed', verb: '答复' },
  approve: review.approve,
  reject: review.reject,
  answer: { from: ['archived', 'follow_up'], to: 'answered', by: 'desk', event: 'answered', verb: '答复客户' },
  close: { from: ['answered'], to: 'closed', by: 'system', event: 'closed', verb: '办结（客户不需回访）' },
  revisit: { from: ['answered'], to: 'revisited', by: 'desk', event: 'revisited', verb: '回访' },
  // A dissatisfied customer: the desk follows up (re-dispatches, or answers again).
  reopen: { from: ['answered'], to: 'follow_up', by: 'desk', event: 'revisited', verb: '回访' },
  reclassify: { from: ['received', 'dispatched', 'accepted', 'returned'], to: 'received', by: 'desk', event: 'reclassified', verb: '改类' },
};

/** Queries: the desk answers (or the bot, from published outages or the marketing system). */
const ANSWERED: Partial<Record<Action, Step>> = {
  answer: { from: ['received'], to: 'answered', by: 'desk', event: 'answered', verb: '答复' },
};

/**
 * Inquiries (chapter 3, 三): the bot answers from the knowledge base, or offers candidates and waits for the asker's pick
 * (offered); 转人工 or a lapsed offer hands it to the desk (and an answer that did not help goes back the same way).
 * The desk may pass it to the specialist of its topic and area (referred), who answers, or the desk does.
 */
const INQUIRY: Partial<Record<Action, Step>> = {
  answer: { from: ['received', 'offered', 'referred', 'answered'], to: 'answered', by: 'desk_or_owner', event: 'answered', verb: '答复' },
  hand_over: { from: ['offered', 'answered'], to: 'received', by: 'system', event: 'handed_over', verb: '转人工' },
  refer: { from: ['received', 'offered', 'referred'], to: 'referred', by: 'desk', event: 'referred', verb: '转专业' },
};

/**
 * A connection application (业扩报装, chapter 5, 五): the responsible unit replies the supply plan, passes the acceptance
 * inspection and powers the customer on; the plan and the power-on are timed in working days by the application's class.
 */
const CONNECTION: Partial<Record<Action, Step>> = {
  answer_plan: { from: ['received'], to: 'plan_answered', by: 'owner', event: 'plan_answered', verb: '答复供电方案' },
  inspect: { from: ['plan_answered'], to: 'inspected', by: 'owner', event: 'inspected', verb: '验收合格' },
  power_on: { from: ['inspected'], to: 'powered', by: 'owner', event: 'powered', verb: '送电' },
};

export const MACHINE: Record<Kind, Partial<Record<Action, Step>>> = {
  repair: REPAIR,
  complaint: WORK_ORDER,
  report: WORK_ORDER,
  suggestion: WORK_ORDER,
  praise: WORK_ORDER,
  inquiry: INQUIRY,
  query: ANSWERED,
  connection: CONNECTION,
};

export function stepFor(kind: Kind, action: Action): Step | undefined {
  return MACHINE[kind][action];
}

/** Reports from site are written, not tapped: they carry the situation; so does naming a lead and helpers. */
const WRITTEN_ONLY: Action[] = ['report', 'report_city', 'coordinate'];

/** The actions the owning unit can still take from a state, in the order a crew meets them (the card's buttons). */
export function ownerActions(kind: Kind, state: State): Action[] {
  return (Object.entries(MACHINE[kind]) as [Action, Step][])
    .filter(([action, step]) => step.by === 'owner' && step.from.includes(state) && !WRITTEN_ONLY.includes(action))
    .map(([action]) => action);
}
