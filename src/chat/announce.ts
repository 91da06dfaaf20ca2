import { outageRecipients } from '../domain/outages';
import { OUTAGE_TOPIC } from '../domain/tickets/open';
import type { UnitDoc } from '../domain/org';
import { withWake } from '../domain/org/wake';
import { isWorkOrder } from '../domain/tickets/machine';
import type { Notifier, Session, Ticket, TicketEvent } from '../domain/tickets/session';
import { runningClocks } from '../domain/sla';
import { card, markdown } from '../protocol/outbound';
import { cardChats, issueCard } from './card-store';
import { cardFor } from './work-order-cards';
import {
  answeredNotice,
  approvedNotice,
  completedNotice,
  dissatisfiedNotice,
  newQuestionNotice,
  partArrived,
  partRepliedNotice,
  onSiteNotice,
  outageNotice,
  powerCutNotice,
  restoredNotice,
  returnedNotice,
  sentBackNote,
  statusLine,
  workArrived,
  workLine,
} from './format';
import { handedOverNotice, pickCard, readingCard, referredNotice } from './inquiries';
import type { Reading } from '../faq/intent';
import type { Outgoing } from './outgoing';

/**
 * Tells the people concerned about each ticket event, into the message's outgoing batch: the crew gets its card,
 * the desk what it must act on, the dispatch group a power cut it must arrange, each woken by an @ line. The asking
 * chat learns from the reply; a chat holding a card the event made stale gets a status line.
 */
export function announcer(out: Outgoing): Notifier {
  return {
    async ticketChanged(session, { ticket, event }) {
      const { org, now } = session;
      const desk = org.desk;
      await tellCardChats(session, out, ticket, event);
      switch (event.type) {
        case 'created': {
          // An application is accepted into its unit's hands at once: the card with its steps goes there.
          if (ticket.kind === 'connection') return pushWorkCard(session, out, ticket);
          const { faq, candidates, reading } = event.data as { faq?: string; candidates?: number; reading?: Reading };
          if (ticket.kind === 'inquiry' && reading && session.via.chatId) {
            const taskId = await issueCard(session.tx, ticket, session.via.chatId, now);
            out.push(session.via.chatId, card(readingCard(org, ticket, reading, taskId)));
            return;
          }
          if (ticket.kind === 'inquiry' && candidates && session.via.chatId) {
            const taskId = await issueCard(session.tx, ticket, session.via.chatId, now);
            out.push(session.via.chatId, card(pickCard(org, ticket, candidates, taskId)));
            return;
          }
          // An inquiry is the desk's only when the knowledge base had nothing to offer; otherwise the bot answered it
          // or its asker is choosing among candidates, and the desk hears of it only on 转人工 (handed_over).
          const deskAnswers = ticket.kind === 'inquiry' ? faq === 'none' : ticket.kind === 'query' && ticket.topic !== OUTAGE_TOPIC;
          if (deskAnswers && session.via.chatId !== desk.chatId) notify(session, out, desk, newQuestionNotice(ticket));
          return;
        }
        case 'dispatched':
          return pushWorkCard(session, out, ticket);
        case 'sent_back':
          return pushWorkCard(session, out, ticket, sentBackNote(ticket, event));
        case 'assist_assigned': {
          const unit = org.unit((event.data as { unitId: string }).unitId);
          return pushCard(session, out, ticket, unit, org.onDuty(unit.id), partArrived(org, ticket));
        }
        case 'assist_replied':
          if (ticket.owner_unit_id) notify(session, out, org.unit(ticket.owner_unit_id), partRepliedNotice(ticket, event));
          return;
        case 'revisited':
          if (ticket.state === 'follow_up' && ticket.owner_unit_id) {
            const unit = org.unit(ticket.owner_unit_id);
            notify(session, out, unit, dissatisfiedNotice(ticket, event), [unit.leader]);
          }
          return;
        case 'returned':
          return notify(session, out, desk, returnedNotice(org, ticket, event));
        case 'onsite_reported':
          out.push(desk.chatId, markdown(onSiteNotice(ticket, event, now)));
          if ((event.data as { dispatchTold?: boolean }).dispatchTold) notify(session, out, org.dispatch, powerCutNotice(ticket, event));
          return;
        case 'completed':
          return notify(session, out, desk, completedNotice(ticket, event));
        case 'approved':
          if (ticket.owner_unit_id) out.push(org.unit(ticket.owner_unit_id).chatId, markdown(approvedNotice(ticket)));
          return;
        case 'restored':
          return notify(session, out, desk, restoredNotice(ticket));
        case 'handed_over':
          return notify(session, out, desk, handedOverNotice(ticket, event));
        case 'referred': {
          const [clock] = await runningClocks(session.tx, session.deps.calendar, ticket.id, now);
          const unit = org.unit(ticket.owner_unit_id!);
          return notify(session, out, unit, referredNotice(org, ticket, event, clock?.dueAt, now), [ticket.owner_user_id!]);
        }
        case 'answered':
          if (ticket.source_chat_id && ticket.source_chat_id !== session.via.chatId) {
            out.push(ticket.source_chat_id, markdown(answeredNotice(ticket)));
          }
          if (isWorkOrder(ticket.kind) && ticket.owner_unit_id) out.push(org.unit(ticket.owner_unit_id).chatId, markdown(answeredNotice(ticket)));
          return;
      }
    },
    /** A notice, published or ended, goes to every chat it concerns but the one it was given in (that one has the reply). */
    async outageChanged(session, { outage, event }) {
      for (const recipient of outageRecipients(session.org, outage)) {
        if (recipient.chatId === session.via.chatId) continue;
        out.push(recipient.chatId, markdown(outageNotice(outage, event, recipient.announce, session.now)));
      }
    },
  };
}

/** A notice that someone on duty in `unit` must act on: the text on the bot, its first line as the @ line. */
function notify(session: Session, out: Outgoing, unit: UnitDoc, text: string, userIds = session.org.onDuty(unit.id)): void {
  const atLine = (text.split('\n')[0] ?? text).replace(/\*\*|`/g, '');
  for (const message of withWake(session.org, unit, { body: markdown(text) }, { userIds, text: atLine })) {
    out.add(message);
  }
}

/**
 * The work card into the owner's chat: one message carrying the details and the buttons, while the @ that wakes those
 * on duty goes by the chat's group robot, on the robot's own budget. Both fold into a list when a storm fills the chat.
 */
async function pushWorkCard(session: Session, out: Outgoing, ticket: Ticket, note?: string): Promise<void> {
  const { org } = session;
  const unit = org.unit(ticket.owner_unit_id!);
  const duty = ticket.owner_user_id ? [ticket.owner_user_id] : org.onDuty(unit.id);
  // Praise is passed on to the leader of the unit praised (chapter 1, 二.5).
  const mentions = ticket.kind === 'praise' && !duty.includes(unit.leader) ? [unit.leader, ...duty] : duty;
  await pushCard(session, out, ticket, unit, mentions, workArrived(ticket, note?.replace(/\*\*|`/g, '')));
}

/** A card as `unit`'s chat may see it (a helper its part; a 举报's reporter only where known), and the @ line waking `mentions`. */
async function pushCard(session: Session, out: Outgoing, ticket: Ticket, unit: UnitDoc, mentions: string[], atLine: string): Promise<void> {
  const { org, tx, now } = session;
  const taskId = await issueCard(tx, ticket, unit.chatId, now);
  const body = card(await cardFor(tx, org, session.deps.calendar, ticket, unit.chatId, taskId, now));
  const line = workLine(ticket);
  const wake = { userIds: mentions, text: atLine, handling: { foldLine: line.replace(/\*\*|`/g, '') } };
  for (const message of withWake(org, unit, { body, handling: { foldLine: line } }, wake)) out.add(message);
}

/**
 * A typed command (or the desk re-dispatching) moved a ticket whose card sits in other chats: each gets a short status
 * line, so nobody acts on the card's old buttons (a tap on them shows the current state anyway). A tap updates its own
 * card; the asking chat reads the reply; a chat about to get a fresh card needs no line.
 */
async function tellCardChats(session: Session, out: Outgoing, ticket: Ticket, event: TicketEvent): Promise<void> {
  // An inquiry's only card is its offer in the asking chat, which hears of every answer anyway. An event that leaves
  // the ticket in its state and with its owner (a helper's part, an on-site report) left every card as it was; a
  // dispatch may keep the state but moves the owner.
  const unmoved = event.from_state === event.to_state && event.type !== 'dispatched';
  if (session.via.channel === 'tap' || event.type === 'created' || ticket.kind === 'inquiry' || unmoved) return;
  const fresh = event.type === 'dispatched' || event.type === 'sent_back' ? session.org.unit(ticket.owner_unit_id!).chatId : null;
  for (const chatId of await cardChats(session.tx, ticket.id)) {
    if (chatId !== session.via.chatId && chatId !== fresh) out.push(chatId, markdown(statusLine(ticket, event)));
  }
}
