import type { WorkCalendar } from '../calendar/calendar';
import type { Org } from '../domain/org';
import { duration } from '../domain/sla/messages';
import { KINDS, STATES, ownerActions, type Action, type State } from '../domain/tickets/machine';
import type { Ticket, TicketEvent } from '../domain/tickets/session';
import { REVISIT_METHODS } from '../domain/tickets/work-orders';
import type { TemplateCard } from '../protocol/outbound';
import { CONNECTION_CLASS_NAMES } from '../domain/connections';
import { READING_WORDS, type Reading } from '../faq/intent';
import type { Hazard } from '../domain/tickets/open';
import { AREA_CLASSES, clip, eventText, hazardText, ownerName, person, place, verb, when, workingDue } from './format';

/** Reasons a crew can pick when it taps 退回 (chapter 3, 一.8); anything else is typed with /退回. */
export const RETURN_REASONS = {
  // Four characters each: a card's buttons sit side by side on a phone, and a longer label wraps.
  not_ours: { button: '非本辖区', reason: '不属于本单位管辖范围' },
  address: { button: '地址不详', reason: '地址不详，无法找到现场' },
  duplicate: { button: '重复报修', reason: '重复报修' },
} as const;
export type ReturnReason = keyof typeof RETURN_REASONS;

/**
 * Button keys: the owner's actions, the return-reason menu, a status button for cards with nothing left to do, and an
 * inquiry's candidate numbers and 转人工.
 */
const PICK = 'pick:';
const CONVERT = 'as:';
export const KEY = {
  status: 'status',
  cancel: 'cancel',
  reason: (code: ReturnReason) => `return:${code}`,
  pick: (number: number) => `${PICK}${number}`,
  person: 'to_person',
  convert: (reading: Reading) => `${CONVERT}${reading}`,
} as const;

/** The reading a `KEY.convert` button carries; undefined for any other key. */
export function convertedReading(key: string): Reading | undefined {
  const reading = key.startsWith(CONVERT) ? key.slice(CONVERT.length) : '';
  return reading in READING_WORDS ? (reading as Reading) : undefined;
}

/** The candidate number a `KEY.pick` button carries; undefined for any other key. */
export function pickedNumber(key: string): number | undefined {
  const number = key.startsWith(PICK) ? Number(key.slice(PICK.length)) : NaN;
  return Number.isInteger(number) && number > 0 ? number : undefined;
}

/** Events shown on the card: the crew's progress, newest last, at most four, so the card stays short. */
const PROGRESS = new Set(['dispatched', 'accepted', 'arrived', 'onsite_reported', 'returned', 'completed', 'sent_back', 'approved', 'plan_answered', 'inspected', 'powered']);

/**
 * The work card a crew or department sees: the facts they need on the way, their progress, and the buttons for
 * the steps that remain. `note` shows one person a private remark (why a tap was refused).
 */
export function ticketCard(
  org: Org,
  ticket: Ticket,
  events: TicketEvent[],
  taskId: string,
  now: Date,
  calendar: Pick<WorkCalendar, 'isProvisional'>,
  note?: string,
): TemplateCard {
  const facts: [string, string | null | undefined][] =
    ticket.kind === 'repair'
      ? [
          ['地址', ticket.address],
          ['地标', ticket.landmark],
          ['报修人', person(ticket)],
          ['区域', ticket.area ? `${ticket.area} · ${AREA_CLASSES[ticket.area_class!]}` : null],
          ['到达时限', arrivalLimit(ticket, now)],
          ['责任单位', ownerName(org, ticket)],
        ]
      : ticket.kind === 'connection'
        ? [
            ['类别', ticket.connection_class ? CONNECTION_CLASS_NAMES[ticket.connection_class] : null],
            ['地址', place(ticket)],
            ['申请人', person(ticket)],
            ['责任单位', ownerName(org, ticket)],
          ]
        : [
            ['对象', ticket.subject],
            ['诉求', ticket.demand],
            ['客户', person(ticket)],
            ['回访方式', ticket.revisit_method ? REVISIT_METHODS[ticket.revisit_method] : null],
            ['办理时限', ticket.handling_due_at ? `${workingDue(ticket.handling_due_at, now, calendar)} 前` : null],
            ['责任单位', ownerName(org, ticket)],
          ];
  const hazard = events.findLast((e) => e.type === 'dispatched')?.data.hazard as Hazard | undefined;
  const actions = ownerActions(ticket.kind, ticket.state);
  const buttons = actions.length
    ? actions.map((action) => ({ text: verb(ticket.kind, action), style: styleOf(action), key: action }))
    : [{ text: STATES[ticket.state], style: 2, key: KEY.status }];
  return {
    card_type: 'button_interaction',
    task_id: taskId,
    source: { desc: `${org.doc.company} 95598` },
    main_title: { title: `${KINDS[ticket.kind].name} ${ticket.no}`, desc: `${STATES[ticket.state]}${ticket.overdue_at ? ' · 超时' : ''}` },
    sub_title_text: clip(ticket.description, 120),
    horizontal_content_list: facts.filter(([, v]) => v).map(([keyname, value]) => ({ keyname, value: clip(value!, 30) })),
    // button_interaction has no vertical list (a news_notice field): the progress is the quote area's lines.
    quote_area: note ? { title: '提示', quote_text: note } : hazard ? { title: '险情', quote_text: hazardText(hazard) } : progressArea(events, now),
    button_list: buttons,
  };
}

function progressArea(events: TicketEvent[], now: Date): { title: string; quote_text: string } | undefined {
  const lines = events
    .filter((e) => PROGRESS.has(e.type))
    .slice(-4)
    .map((e) => `${when(e.at, now)} ${clip(eventText(e), 60)}`);
  return lines.length ? { title: '进展', quote_text: lines.join('\n') } : undefined;
}

/** The same card for one person who tapped 退回: pick a reason, or go back. */
export function returnReasonCard(card: TemplateCard): TemplateCard {
  return {
    ...card,
    quote_area: { title: '退回原因', quote_text: '请选择退回原因；其他原因请发送 /退回 单号 原因' },
    button_list: [
      ...(Object.keys(RETURN_REASONS) as ReturnReason[]).map((code) => ({ text: RETURN_REASONS[code].button, style: 2, key: KEY.reason(code) })),
      { text: '取消', style: 2, key: KEY.cancel },
    ],
  };
}

/** The arrival limit while the crew is still on its way: when, or how late; gone once the crew has arrived. */
function arrivalLimit(ticket: Ticket, now: Date): string | null {
  if (!ticket.arrival_due_at || !EN_ROUTE.includes(ticket.state)) return null;
  const late = now.getTime() - ticket.arrival_due_at.getTime();
  return late > 0 ? `已超时 ${duration(late)}` : `${when(ticket.arrival_due_at, now)} 前`;
}

const EN_ROUTE: State[] = ['dispatched', 'accepted'];

function styleOf(action: Action): number {
  return action === 'return' ? 2 : 1;
}
