import { shanghaiDate, shanghaiTime, type WorkCalendar } from '../calendar/calendar';
import type { Executor } from '../db/database';
import type { AreaClass } from '../db/schema';
import { CONNECTION_CLASS_NAMES } from '../domain/connections';
import type { MarketingAnswer } from '../domain/marketing';
import type { Org, Role } from '../domain/org';
import { OUTAGE_KINDS } from '../domain/outages';
import { SATISFACTION } from '../domain/tickets/flow';
import { KINDS, MACHINE, STATES, isWorkOrder, type Action, type Kind, type State } from '../domain/tickets/machine';
import { REVISIT_METHODS, partState, type Part } from '../domain/tickets/work-orders';
import type { Outage, Ticket, TicketEvent } from '../domain/tickets/session';
import type { Hazard } from '../domain/tickets/open';
import type { WorkItem } from '../domain/tickets/store';
import { duration } from '../domain/sla/messages';
import { runningClocks, type RunningClock } from '../domain/sla';
import { SECTIONS, type Command, type CommandIndex } from './define';

/**
 * Every sentence the bot says, in one place: replies, notices, timelines. Markdown as WeCom renders it. The bot
 * cannot @ anyone: who must act is woken by the @ line (plain text, for the group robot) that goes with a notice.
 */

export const AREA_CLASSES: Record<AreaClass, string> = { urban: '城区', rural: '农村', remote: '特殊边远地区' };

/** 10:03 today, 11-23 10:03 on another day. */
export function when(at: Date, now: Date): string {
  const day = shanghaiDate(at);
  return day === shanghaiDate(now) ? shanghaiTime(at) : `${day.slice(5)} ${shanghaiTime(at)}`;
}

/** A working-day deadline as `when` writes it, marked 待确认 when its year's holidays are not confirmed yet. */
export function workingDue(at: Date, now: Date, calendar: Pick<WorkCalendar, 'isProvisional'>): string {
  return `${when(at, now)}${calendar.isProvisional(at) ? '（待确认）' : ''}`;
}

export function ownerName(org: Org, ticket: Ticket): string {
  if (!ticket.owner_unit_id) return org.desk.name;
  const unit = org.unit(ticket.owner_unit_id).name;
  return ticket.owner_user_id ? `${org.personName(ticket.owner_user_id)}（${unit}）` : unit;
}

export function place(ticket: Ticket): string {
  return [ticket.area, ticket.address].filter(Boolean).join(' ');
}

/** The verb of an action for a kind: 接单 for a crew, 受理 for a department. */
export function verb(kind: Kind, action: Action): string {
  return MACHINE[kind][action]?.verb ?? action;
}

/** One line per ticket in lists. */
export function ticketLine(org: Org, ticket: Ticket): string {
  const what = ticket.kind === 'repair' ? place(ticket) : (ticket.subject ?? ticket.description);
  return `- **${ticket.no}** ${KINDS[ticket.kind].name} · ${clip(what, 24)} · ${STATES[ticket.state]} · ${ownerName(org, ticket)}`;
}

export function ticketList(org: Org, title: string, tickets: Ticket[], empty: string, page = 1): string {
  if (tickets.length === 0) return `${title}\n${empty}`;
  const shown = pageOf(tickets, page);
  return [`${title}（${tickets.length} 张${shown.label}）`, ...shown.items.map((t) => ticketLine(org, t))].join('\n');
}

/** A unit's work list: each order with the deadline it owes next (超时 when passed); helpers' parts marked 协办. */
export function workList(org: Org, title: string, items: WorkItem[], empty: string, now: Date, page = 1): string {
  if (items.length === 0) return `${title}\n${empty}`;
  const line = ({ ticket, dueAt, part }: WorkItem) =>
    `${ticketLine(org, ticket)}${part ? ' · 协办' : ''}${dueAt ? ` · ${when(dueAt, now)} 前${dueAt < now ? '（超时）' : ''}` : ''}`;
  const shown = pageOf(items, page);
  return [`${title}（${items.length} 张${shown.label}）`, ...shown.items.map(line)].join('\n');
}

/**
 * Lines per page of a list in chat: a ticket line is at most about 200 bytes, so a page stays far below WeCom's 20,480
 * bytes per message, and a phone screen can still take it in.
 */
export const LIST_PAGE_SIZE = 40;

/** One page of a list, and what to say about it: （第 2/8 页）, or nothing when it fits on one. */
export function pageOf<T>(items: T[], page: number): { items: T[]; label: string; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / LIST_PAGE_SIZE));
  const at = Math.min(page, pages);
  return { items: items.slice((at - 1) * LIST_PAGE_SIZE, at * LIST_PAGE_SIZE), label: pages > 1 ? `，第 ${at}/${pages} 页` : '', pages };
}

/** What `/查单` shows: status, the facts, and the timeline. */
export function ticketDetail(
  org: Org,
  ticket: Ticket,
  events: TicketEvent[],
  clocks: RunningClock[],
  now: Date,
  calendar: Pick<WorkCalendar, 'isProvisional'>,
  parts: Part[] = [],
): string {
  const facts: [string, string | null | undefined][] = [
    ['状态', STATES[ticket.state]],
    ['责任单位', ownerName(org, ticket)],
    ['区域', ticket.area ? `${ticket.area}（${AREA_CLASSES[ticket.area_class!]}）` : null],
    ['地址', ticket.address],
    ['地标', ticket.landmark],
    ['对象', ticket.subject],
    ['情况', ticket.description],
    ['诉求', ticket.demand],
    ['客户', person(ticket)],
    ['到达时限', ticket.arrival_due_at ? when(ticket.arrival_due_at, now) : null],
    ['办理时限', ticket.handling_due_at ? workingDue(ticket.handling_due_at, now, calendar) : null],
    ['回访方式', ticket.revisit_method ? REVISIT_METHODS[ticket.revisit_method] : null],
    ['处理结果', ticket.result],
    ['客户意见', ticket.customer_acceptance],
    ['答复', ticket.answer ? `${ticket.answer}${ticket.answer_method ? `（${REVISIT_METHODS[ticket.answer_method]}）` : ''}` : null],
    ['满意度', ticket.satisfaction ? SATISFACTION[ticket.satisfaction] : null],
  ];
  return [
    `**${KINDS[ticket.kind].name} ${ticket.no}**`,
    ...facts.filter(([, value]) => value).map(([key, value]) => `${key}：${value}`),
    ...(clocks.length ? ['', '**时限**', ...clocks.map((clock) => clockLine(org, clock, now))] : []),
    ...(parts.length ? ['', '**协办**', ...parts.map((part) => `${org.unit(part.unit_id).name}：${partState(part, now)}，${workingDue(part.due_at, now, calendar)} 前`)] : []),
    '',
    '**进程**',
    ...events.map((event) => `${when(event.at, now)} ${eventText(event)}`),
  ].join('\n');
}

/** 待城关供电所到达现场：10:45 前（超时 5 分钟） */
function clockLine(org: Org, clock: RunningClock, now: Date): string {
  const who = clock.unitId ? org.unit(clock.unitId).name : org.desk.name;
  const state = clock.lateMs > 0 ? `超时 ${duration(clock.lateMs)}` : `还剩 ${duration(clock.dueAt.getTime() - now.getTime())}`;
  return `待${who}${clock.awaited}：${when(clock.dueAt, now)} 前（${clock.provisional ? '待确认，' : ''}${state}）`;
}

export function person(ticket: Ticket): string | null {
  const text = [ticket.reporter_name, ticket.phone].filter(Boolean).join(' ');
  return text || null;
}

/** One timeline line: who did what, with the reason, result or situation they gave. */
export function eventText(event: TicketEvent): string {
  const data = event.data as Record<string, string | boolean | undefined>;
  switch (event.type) {
    case 'created':
      return `${event.actor_name} 受理`;
    case 'linked':
      return data.outageNo ? `关联停电 ${data.outageNo}（${data.cause}），不派工` : `关联在修工单 ${data.ticketNo}，不派工`;
    case 'dispatched':
      return data.helpers ? `${event.actor_name} 协调：${data.rule}` : `${event.actor_name} 派工至${data.unitName}`;
    case 'returned':
      return `${event.actor_name} 退回：${data.reason}`;
    case 'onsite_reported':
      return `${event.actor_name} 报告现场：${data.situation}${data.outageNo ? `（已登记故障停电 ${data.outageNo}）` : ''}`;
    case 'completed':
      return `${event.actor_name} 完成：${data.result}${data.acceptance ? `（客户意见：${data.acceptance}）` : ''}`;
    case 'assist_assigned':
      return `${event.actor_name} 指定${data.unitName}协办`;
    case 'assist_accepted':
      return `${data.unitName} ${event.actor_name} 接收协办`;
    case 'assist_replied':
      return `${data.unitName} ${event.actor_name} 协办答复${data.late ? '（超时）' : ''}：${data.result}`;
    case 'reclassified':
      return `${event.actor_name} 改类：${data.from} → ${data.to}`;
    case 'closed':
      return '客户不需回访，工单闭环';
    case 'sent_back':
      return `${event.actor_name} 审核退回：${data.reason}`;
    case 'revisited':
      return `${event.actor_name} 回访：${SATISFACTION[data.satisfaction as keyof typeof SATISFACTION]}${data.note ? `，${data.note}` : ''}`;
    case 'answered':
      return `${event.actor_name} 答复${data.pick ? `（客户选择候选 ${data.pick}）` : data.method ? `（${data.method}）` : ''}：${data.answer}`;
    case 'learned':
      return `${event.actor_name} 入库：知识库条目 ${data.faq}`;
    default: {
      const step = Object.values(MACHINE).flatMap((m) => Object.values(m)).find((s) => s?.event === event.type);
      return `${event.actor_name} ${step?.verb ?? event.type}`;
    }
  }
}

export function outageText(outage: Outage, now: Date): string {
  const restore = outage.restore_at ? `预计 ${when(outage.restore_at, now)} 恢复供电` : '恢复时间待定';
  return `${OUTAGE_KINDS[outage.kind]} ${outage.no}：${outage.areas.join('、')}${outage.line ? `（${outage.line}）` : ''}，${when(outage.starts_at, now)} 起，${restore}。原因：${outage.cause}`;
}

/**
 * A notice as the chats it concerns read it: published (with the key customers and remarks, and for the customer
 * centre of a planned or temporary cut, the request to announce it), or ended.
 */
export function outageNotice(outage: Outage, event: 'published' | 'ended', announce: boolean, now: Date): string {
  if (event === 'ended') {
    return `【恢复供电】${OUTAGE_KINDS[outage.kind]} ${outage.no}（${outage.areas.join('、')}）已于 ${when(outage.ended_at!, now)} 结束，恢复供电。${announce ? '请同步更新对外公告。' : ''}`;
  }
  const lines = [`【停电信息】${outageText(outage, now)}`];
  if (outage.key_customers) lines.push(`重点客户：${outage.key_customers}`);
  if (outage.remarks) lines.push(`备注：${outage.remarks}`);
  lines.push(announce ? '请客户中心按规定向媒体、用户和社会公告。' : `客户来电时请据此答复；结束后发送 \`/停电 恢复 ${outage.no}\`。`);
  return lines.join('\n');
}

/** The reply to whoever ended a notice by hand. */
export function outageEnded(outage: Outage, now: Date): string {
  return `已结束${OUTAGE_KINDS[outage.kind]} ${outage.no}（${outage.areas.join('、')}），已通知客户中心、调度中心和所涉区域的抢修单位；关联的报修将提示客服班告知客户。（${when(outage.ended_at!, now)}）`;
}

// ---- commands: usage and help ----

/** The usage of a command; after a failed parse, what was wrong and the nearest correct form of what was typed. */
export function usage(command: Command, problems: string[] = [], nearest?: string): string {
  const lead = problems.length ? `抱歉，${problems.join('；')}。` : '';
  const closest = nearest ? `\n应为：\`${nearest}\`` : '';
  return `${lead}${closest}\n用法：\`${command.usage}\`\n例如：\`${command.example}\``.trim();
}

/** The sections each role works in, shown in full and first; the desk works in all of them. */
const ROLE_SECTIONS: Record<Role, readonly (typeof SECTIONS)[number][]> = {
  desk: SECTIONS,
  crew: ['处理', '查看'],
  leader: ['查看', '受理'],
};

/**
 * The command list as this person needs it: the sections of their roles in full, then every other command on one
 * line, so a crew member is not handed the desk's thirty lines. Without a known role, everything in full.
 */
export function helpList(registry: CommandIndex, roles: readonly Role[]): string {
  const ordered: readonly string[] = roles.length ? [...new Set(roles.flatMap((role) => ROLE_SECTIONS[role]))] : SECTIONS;
  const sections = ordered.map((section) => [
    `**${section}**`,
    ...registry.commands.filter((c) => c.section === section).map((c) => `- \`/${c.name}\` ${c.summary}`),
  ]);
  const others = registry.commands.filter((c) => !ordered.includes(c.section)).map((c) => `\`/${c.name}\``);
  return [
    '**95598 客服机器人指令**（@我 后发送，全角／也可以）',
    ...sections.flat(),
    ...(others.length ? ['', `其他指令：${others.join(' ')}`] : []),
    '',
    '发送 `/帮助 报修` 查看某条指令的用法。',
  ].join('\n');
}

export function helpOne(command: Command): string {
  const aliases = command.aliases.length ? `\n也可以写作：${command.aliases.map((a) => `/${a}`).join('、')}` : '';
  return `**/${command.name}** ${command.summary}\n用法：\`${command.usage}\`\n例如：\`${command.example}\`${aliases}`;
}

export function unknownCommand(word: string, suggestions: Command[]): string {
  const guess = suggestions.length ? `您是不是要用：${suggestions.map((c) => `\`/${c.name}\``).join('、')}？` : '';
  return `没有「/${clip(word, 12)}」这条指令。${guess}\n发送 \`/帮助\` 查看全部指令。`;
}

export const NOT_A_COMMAND = '您好，我是 95598 客服机器人。请用指令告诉我要办的事，例如 `/报修 …`；发送 `/帮助` 查看全部指令。';

export const SORRY = '抱歉，处理时出了点问题，这条消息没有生效。请稍后重试，或联系客服班值班人员。';

// ---- what people see when a ticket is opened or moves ----

export function repairDispatched(org: Org, ticket: Ticket, rule: string, now: Date, hazard?: Hazard): string {
  return [
    `已受理故障报修 **${ticket.no}**，派至${ownerName(org, ticket)}（${rule}）。`,
    ...(hazard ? [hazardText(hazard)] : []),
    `${place(ticket)}${ticket.landmark ? `（${ticket.landmark}）` : ''}：${ticket.description}`,
    `抢修人员须在 ${when(ticket.arrival_due_at!, now)} 前到达现场（${AREA_CLASSES[ticket.area_class!]}）。可随时发送 \`/查单 ${ticket.no}\` 查看进度。`,
  ].join('\n');
}

/** Why a fault report under a known cause went out all the same: its words say danger. */
export function hazardText(hazard: Hazard): string {
  const under = hazard.outageNo ? `，虽在停电 ${hazard.outageNo} 范围内` : hazard.ticketNo ? `，虽同一地点已有在修工单 ${hazard.ticketNo}` : '';
  return `⚠ 险情「${hazard.word}」${under}，仍须派人到场处置。`;
}

export function repairKnownOutage(ticket: Ticket, outage: Outage, now: Date): string {
  return [
    `已受理 **${ticket.no}**。该区域有已发布的停电，无需派工，请告知客户：`,
    `> ${outageText(outage, now)}`,
    `如客户所报与此停电无关，请发送 \`/派单 ${ticket.no}\` 派工。`,
  ].join('\n');
}

export function repairKnownFault(org: Org, ticket: Ticket, parent: Ticket, now: Date): string {
  return [
    `已受理 **${ticket.no}**。同一地点的故障已在处理，已关联到 **${parent.no}**，不重复派工。请告知客户：`,
    `> ${ownerName(org, parent)}正在处理，当前${STATES[parent.state]}${parent.arrival_due_at ? `，抢修人员 ${when(parent.arrival_due_at, now)} 前到达现场` : ''}。`,
    `如确属另一处故障，请发送 \`/派单 ${ticket.no}\` 派工。`,
  ].join('\n');
}

export function workOrderOpened(org: Org, ticket: Ticket, rule: string): string {
  return `已受理${KINDS[ticket.kind].name} **${ticket.no}**，已交办${ownerName(org, ticket)}（${rule}）。办理结果将回复客服班，可发送 \`/查单 ${ticket.no}\` 查看进度。`;
}

/** A connection application accepted: who handles it and by when the supply plan is due. */
export function connectionOpened(org: Org, ticket: Ticket, rule: string, planDueAt: Date | null, now: Date): string {
  const className = ticket.connection_class ? CONNECTION_CLASS_NAMES[ticket.connection_class] : '';
  return [
    `已受理业扩报装 **${ticket.no}**（${className}），交${ownerName(org, ticket)}办理（${rule}）。`,
    `${place(ticket)}：${ticket.description}${person(ticket) ? `；申请人 ${person(ticket)}` : ''}`,
    `${planDueAt ? `供电方案须在 ${when(planDueAt, now)} 前答复。` : ''}客户可凭申请编号查询进度：\`/查询 报装进度 ${ticket.no}\``,
  ].join('\n');
}

export function questionOpened(org: Org, ticket: Ticket): string {
  return `已受理${KINDS[ticket.kind].name} **${ticket.no}**，${org.desk.name}将尽快答复。`;
}

/** A query the marketing system answered, or why the desk will answer it instead. */
export function marketingAnswer(org: Org, ticket: Ticket, answer: MarketingAnswer): string {
  if (answer.kind === 'answered') return `查询 **${ticket.no}**：${answer.text}`;
  const why = {
    unknown_account: '营销系统中没有找到这个户号，请核对后再查；',
    not_connected: '营销系统尚未接入本机器人，',
    unavailable: '营销系统暂时无法查询，',
  }[answer.kind];
  return `${why}已记录为查询工单 **${ticket.no}**，${org.desk.name}将尽快答复。`;
}

export function outagesAnswer(ticket: Ticket, outages: Outage[], now: Date): string {
  if (outages.length === 0) return `已受理查询 **${ticket.no}**：${ticket.area ?? '该区域'}目前没有已发布的停电信息。`;
  return [`已受理查询 **${ticket.no}**，已发布的停电信息：`, ...outages.map((o) => `- ${outageText(o, now)}`)].join('\n');
}

/** What stepReply needs of a command's context. */
export interface StepContext {
  org: Org;
  now: Date;
  tx: Executor;
  deps: { calendar: WorkCalendar };
}

/**
 * After a step: where the ticket stands and what comes next, with the command for it. A next step under a time limit
 * states the deadline of the ticket's own running clock, so it says what the policy row in force set.
 * `onsiteReported`: the answer to the on-site report itself, which must not ask for that report again.
 */
export async function stepReply({ org, now, tx, deps }: StepContext, ticket: Ticket, { onsiteReported = false } = {}): Promise<string> {
  const no = ticket.no;
  const timed = ticket.state === 'arrived' || ticket.state === 'inspected' ? await runningClocks(tx, deps.calendar, ticket.id, now) : [];
  const before = (prefix: string) => {
    const clock = timed.find((c) => c.policy.startsWith(prefix));
    return clock ? `在 ${when(clock.dueAt, now)} 前` : '';
  };
  const repair = ticket.kind === 'repair';
  const next: Partial<Record<State, string>> = {
    dispatched: repair
      ? `已派至${ownerName(org, ticket)}${ticket.arrival_due_at ? `，须在 ${when(ticket.arrival_due_at, now)} 前到达现场` : ''}。`
      : `已交办${ownerName(org, ticket)}${ticket.handling_due_at ? `，办理时限 ${when(ticket.handling_due_at, now)}` : ''}。`,
    accepted: repair ? `到达现场后请发送 \`/到达 ${no}\`。` : `办理完毕请发送 \`/答复 ${no} 处理结果 客户意见:认可\`。`,
    arrived: onsiteReported
      ? `处理完毕发送 \`/完成 ${no} 结果\`；情况有变可再发 \`/现场 ${no} 情况\`。`
      : `请${before('repair.onsite_report')}报告现场情况：\`/现场 ${no} 情况\`；处理完毕发送 \`/完成 ${no} 结果\`。`,
    returned: `已退回${org.desk.name}，等待重新派工。`,
    completed: `已提交${org.desk.name}审核。`,
    rework: `已退回${ownerName(org, ticket)}重新处理。`,
    archived: repair
      ? `回访请发送 \`/回访 ${no} 满意|基本满意|不满意\`。`
      : `请答复客户：\`/回复客户 ${no} ${answerWay(ticket)} 答复内容\`。`,
    answered: isWorkOrder(ticket.kind) ? `回访请发送 \`/回访 ${no} 满意|基本满意|不满意\`。` : '',
    closed: '客户不需回访，工单闭环。',
    follow_up: `已告知${ownerName(org, ticket)}负责人。请跟进：\`/转派 ${no} 部门\` 重新交办，或 \`/回复客户 ${no} 电话 内容\` 再次答复。`,
    revisited: '回访已记录，工单闭环。',
    referred: `已转${ownerName(org, ticket)}，专业人员答复后工单闭环。`,
    plan_answered: `受电工程验收合格后请发送 \`/验收 ${no}\`。`,
    inspected: `请${before('connection.power_on.') || '在时限内'}装表送电，送电后发送 \`/送电 ${no}\`。`,
    powered: '业扩报装已办结。',
  };
  return `**${no}** ${STATES[ticket.state]}。${next[ticket.state] ?? ''}`;
}

/** The way the desk answers unless it says otherwise: the customer's chosen one, else by phone. */
function answerWay(ticket: Ticket): string {
  return ticket.revisit_method && ticket.revisit_method !== 'none' ? REVISIT_METHODS[ticket.revisit_method] : '电话';
}

/** The @ line that wakes a crew or department to new work (plain text: the group robot shows no markdown). */
export function workArrived(ticket: Ticket, note?: string): string {
  const what =
    ticket.kind === 'repair'
      ? `新的故障抢修工单 ${ticket.no}：${place(ticket)}，${clip(ticket.description, 40)}`
      : `新的${KINDS[ticket.kind].name}工单 ${ticket.no}：${clip(ticket.subject ?? ticket.description, 40)}`;
  // A note (sent back for rework) says itself what to do next.
  return note ?? `${what}。${firstStep(ticket)}（或点工单卡片的按钮）`;
}

/** What the owner does first with new work: accept (接单, 接收) it, or for a connection application, reply the supply plan. */
function firstStep(ticket: Ticket): string {
  const take = verb(ticket.kind, 'accept');
  return ticket.kind === 'connection' ? `请答复供电方案：/方案答复 ${ticket.no} 方案要点` : `请${take}：/${take} ${ticket.no}`;
}

/** A work card as one line of a folded list: enough to find the place, and the command that takes it. */
export function workLine(ticket: Ticket): string {
  return `${KINDS[ticket.kind].name} **${ticket.no}** ${clip(ticket.address ?? ticket.subject ?? ticket.description, 16)} · \`/接单 ${ticket.no}\``;
}

/** A typed command moved a ticket whose card is in this chat: the card's buttons answer to this now. */
export function statusLine(ticket: Ticket, event: TicketEvent): string {
  return `**${ticket.no}** ${STATES[ticket.state]}（${event.actor_name} 发送指令）；以此为准，旧卡片点按即更新。`;
}

export function returnedNotice(org: Org, ticket: Ticket, event: TicketEvent): string {
  const unit = ticket.owner_unit_id ? org.unit(ticket.owner_unit_id).name : '';
  return `**${ticket.no}** 被${unit} ${event.actor_name} 退回：${(event.data as { reason: string }).reason}\n请重新派工：\`/转派 ${ticket.no} 单位\``;
}

export function onSiteNotice(ticket: Ticket, event: TicketEvent, now: Date): string {
  const data = event.data as { situation: string; outageNo?: string; powerCutKv?: number; restoreAt?: string };
  const lines = [`**${ticket.no}** 现场情况（${event.actor_name}，${when(event.at, now)}）：${data.situation}`];
  if (data.outageNo) lines.push(`已登记为片区故障停电 ${data.outageNo}，后续来电将自动告知。`);
  if (data.powerCutKv !== undefined) lines.push(`抢修需 ${data.powerCutKv}kV 停电。`);
  return lines.join('\n');
}

export function powerCutNotice(ticket: Ticket, event: TicketEvent): string {
  const data = event.data as { situation: string; powerCutKv: number };
  return `抢修需停电：**${ticket.no}** ${place(ticket)}，需 ${data.powerCutKv}kV 停电。现场情况：${data.situation}（${event.actor_name}）。请调度值班员联系并发布停电信息。`;
}

export function completedNotice(ticket: Ticket, event: TicketEvent): string {
  const { result, acceptance } = event.data as { result: string; acceptance?: string };
  const reply = `已由 ${event.actor_name} ${verb(ticket.kind, 'complete')}：${result}${acceptance ? `（客户意见：${acceptance}）` : ''}`;
  return `**${ticket.no}** ${reply}\n请审核：\`/审核 ${ticket.no} 通过\` 或 \`/审核 ${ticket.no} 退回 原因\``;
}

export function sentBackNote(ticket: Ticket, event: TicketEvent): string {
  const again = ticket.kind === 'repair' ? `/完成 ${ticket.no} 结果` : `/答复 ${ticket.no} 处理结果 客户意见:认可`;
  return `**${ticket.no}** 审核退回：${(event.data as { reason: string }).reason}。请重新处理后发送 \`${again}\``;
}

/** To a helper department: its part of a jointly handled order (the @ line; plain text for the group robot). */
export function partArrived(org: Org, ticket: Ticket): string {
  return `协办${KINDS[ticket.kind].name} ${ticket.no}：${clip(ticket.subject ?? ticket.description, 40)}，${ownerName(org, ticket)}牵头。请接收并答复协办意见：/接收 ${ticket.no}、/答复 ${ticket.no} 协办意见（或点工单卡片的按钮）`;
}

/** To the lead department: a helper's reply, to consolidate. */
export function partRepliedNotice(ticket: Ticket, event: TicketEvent): string {
  return `**${ticket.no}** ${eventText(event)}\n汇总各协办意见后请答复：\`/答复 ${ticket.no} 处理结果 客户意见:认可\``;
}

/** To the unit's leader: a customer dissatisfied at the revisit; the desk follows it up. */
export function dissatisfiedNotice(ticket: Ticket, event: TicketEvent): string {
  const note = (event.data as { note?: string }).note;
  return `**${ticket.no}** 客户回访不满意${note ? `：${note}` : ''}。客服班将跟进处理，请督促本单位配合。`;
}

export function approvedNotice(ticket: Ticket): string {
  return `**${ticket.no}** 审核通过，已归档。`;
}

/** To the desk: a report explained by an outage or repair now has power back; its caller is to be told. */
export function restoredNotice(ticket: Ticket): string {
  return `【恢复供电】**${ticket.no}**（${place(ticket)}）已恢复供电，请告知客户 ${person(ticket) ?? ''}`.trim();
}

export function answeredNotice(ticket: Ticket): string {
  return `${KINDS[ticket.kind].name} **${ticket.no}** 答复：${ticket.answer}`;
}

export function newQuestionNotice(ticket: Ticket): string {
  return `新${KINDS[ticket.kind].name} **${ticket.no}**：${ticket.description}\n请答复：\`/答复 ${ticket.no} 内容\``;
}

export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

/**
 * What a tap on 完成 or 答复 says instead of closing the step: a button carries no result, and a complaint's reply needs
 * the answer and the customer's opinion, so the command to type.
 */
export function resultNeeded(ticket: Ticket, part = false): string {
  if (part) return `请发送协办意见（按钮不能代替答复）：/答复 ${ticket.no} 协办意见`;
  if (ticket.kind === 'repair') return `请发送处理结果（按钮不能代替结果）：/完成 ${ticket.no} 处理结果，例如 /完成 ${ticket.no} 更换熔断器，11:20 恢复供电`;
  const opinion = ticket.kind === 'complaint' || ticket.kind === 'report' ? ' 客户意见:认可|不认可' : '';
  return `请发送处理结果${opinion ? '和客户意见' : ''}（按钮不能代替答复）：/答复 ${ticket.no} 处理结果${opinion}`;
}
