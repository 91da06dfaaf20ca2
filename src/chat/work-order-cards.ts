import type { WorkCalendar } from '../calendar/calendar';
import type { Executor } from '../db/database';
import type { Org } from '../domain/org';
import type { Ticket } from '../domain/tickets/session';
import { ticketEvents } from '../domain/tickets/store';
import { forChat, partState, type Part } from '../domain/tickets/work-orders';
import type { TemplateCard } from '../protocol/outbound';
import { KEY, ticketCard } from './cards';
import { workingDue } from './format';

/**
 * The card a chat sees of a ticket: a helper department sees its own part with 接收 · 答复; every other chat sees the
 * work card, with a 举报's reporter left out where it may not be known.
 */
export async function cardFor(
  tx: Executor,
  org: Org,
  calendar: Pick<WorkCalendar, 'isProvisional'>,
  ticket: Ticket,
  chatId: string,
  taskId: string,
  now: Date,
  note?: string,
): Promise<TemplateCard> {
  const visible = forChat(org, ticket, chatId);
  const card = ticketCard(org, visible, await ticketEvents(tx, ticket.id), taskId, now, calendar, note);
  const unit = org.doc.units.find((u) => u.chatId === chatId);
  const part = unit && unit.id !== ticket.owner_unit_id
    ? await tx.selectFrom('ticket_parts').selectAll().where('ticket_id', '=', ticket.id).where('unit_id', '=', unit.id).executeTakeFirst()
    : undefined;
  return part ? partCard(org, card, part, now, calendar) : card;
}

function partCard(org: Org, card: TemplateCard, part: Part, now: Date, calendar: Pick<WorkCalendar, 'isProvisional'>): TemplateCard {
  const buttons = {
    dispatched: [
      { text: '接收', style: 1, key: 'accept' },
      { text: '答复', style: 1, key: 'complete' },
    ],
    accepted: [{ text: '答复', style: 1, key: 'complete' }],
    replied: [{ text: '已答复', style: 2, key: KEY.status }],
  }[part.state];
  const facts = (card.horizontal_content_list as { keyname: string; value: string }[] | undefined) ?? [];
  return {
    ...card,
    main_title: { ...(card.main_title as object), desc: `协办 · ${partState(part, now)}` },
    horizontal_content_list: [
      { keyname: '协办单位', value: org.unit(part.unit_id).name },
      { keyname: '协办时限', value: `${workingDue(part.due_at, now, calendar)} 前` },
      ...facts.filter((fact) => fact.keyname !== '回访方式'),
    ].slice(0, 6),
    button_list: buttons,
  };
}
