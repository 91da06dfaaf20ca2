import { OUTAGE_TOPIC } from '../domain/tickets/open';
import type { Notifier, Session, Ticket } from '../domain/tickets/session';
import { ticketEvents } from '../domain/tickets/store';
import { runningClocks } from '../domain/sla';
import { card, markdown } from '../protocol/outbound';
import { issueCard } from './card-store';
import { ticketCard } from './cards';
import {
  answeredNotice,
  approvedNotice,
  completedNotice,
  newQuestionNotice,
  onSiteNotice,
  powerCutNotice,
  restoredNotice,
  returnedNotice,
  sentBackNote,
  workArrived,
} from './format';
import { handedOverNotice, referredNotice } from './inquiries';
import type { Outgoing } from './outgoing';

/**
 * Tells the people concerned about each ticket event, into the message's outgoing batch: the crew gets its card,
 * the desk what it must act on, the dispatch group a power cut it must arrange. The asking chat learns from the reply.
 */
export function announcer(out: Outgoing): Notifier {
  return {
    async ticketChanged(session, { ticket, event }) {
      const { org, now } = session;
      const desk = org.desk;
      switch (event.type) {
        case 'created': {
          // An inquiry is the desk's only when the knowledge base had nothing to offer; otherwise the bot answered it
          // or its asker is choosing among candidates, and the desk hears of it only on 转人工 (handed_over).
          const deskAnswers =
            ticket.kind === 'inquiry'
              ? (event.data as { faq?: string }).faq === 'none'
              : ticket.kind === 'query' && ticket.topic !== OUTAGE_TOPIC;
          if (deskAnswers && session.via.chatId !== desk.chatId) {
            out.push(desk.chatId, markdown(newQuestionNotice(ticket, org.onDuty(desk.id))));
          }
          return;
        }
        case 'dispatched':
          return pushWorkCard(session, out, ticket);
        case 'sent_back':
          return pushWorkCard(session, out, ticket, sentBackNote(ticket, event));
        case 'returned':
          return out.push(desk.chatId, markdown(returnedNotice(org, ticket, event, org.onDuty(desk.id))));
        case 'onsite_reported':
          out.push(desk.chatId, markdown(onSiteNotice(ticket, event, now)));
          if ((event.data as { dispatchTold?: boolean }).dispatchTold) {
            out.push(org.dispatch.chatId, markdown(powerCutNotice(ticket, event, org.onDuty(org.dispatch.id))));
          }
          return;
        case 'completed':
          return out.push(desk.chatId, markdown(completedNotice(ticket, event, org.onDuty(desk.id))));
        case 'approved':
          if (ticket.owner_unit_id) out.push(org.unit(ticket.owner_unit_id).chatId, markdown(approvedNotice(ticket)));
          return;
        case 'restored':
          return out.push(desk.chatId, markdown(restoredNotice(ticket, org.onDuty(desk.id))));
        case 'handed_over':
          return out.push(desk.chatId, markdown(handedOverNotice(ticket, event, org.onDuty(desk.id))));
        case 'referred': {
          const [clock] = await runningClocks(session.tx, ticket.id, now);
          return out.push(org.unit(ticket.owner_unit_id!).chatId, markdown(referredNotice(org, ticket, event, clock?.dueAt, now)));
        }
        case 'answered':
          if (ticket.source_chat_id && ticket.source_chat_id !== session.via.chatId) {
            out.push(ticket.source_chat_id, markdown(answeredNotice(ticket)));
          }
          return;
      }
    },
  };
}

/**
 * A markdown line into the owner's chat that @mentions who must act and gives the command twins of the buttons,
 * then the button card. The line always goes, and goes first: whether WeCom shows pushed button cards in a group is
 * unconfirmed, and a chat's messages leave in order, so a card WeCom keeps refusing must not hold the work back.
 */
async function pushWorkCard(session: Session, out: Outgoing, ticket: Ticket, note?: string): Promise<void> {
  const { org, tx, now } = session;
  const unit = org.unit(ticket.owner_unit_id!);
  const mentions = ticket.owner_user_id ? [ticket.owner_user_id] : org.onDuty(unit.id);
  out.push(unit.chatId, markdown(workArrived(ticket, mentions, note)));
  const taskId = await issueCard(tx, ticket, unit.chatId, now);
  out.push(unit.chatId, card(ticketCard(org, ticket, await ticketEvents(tx, ticket.id), taskId, now)));
}
