import type { Tx } from '../db/database';
import { answerPlan, passInspection, powerOn } from '../domain/connections';
import { arrive, returnToDesk } from '../domain/tickets/flow';
import { handOver, offeredCandidates, pickCandidate } from '../domain/tickets/inquiry';
import { partsOf, receive } from '../domain/tickets/work-orders';
import { STATES } from '../domain/tickets/machine';
import type { Session, Ticket } from '../domain/tickets/session';
import { ticketById } from '../domain/tickets/store';
import { check } from '../domain/tickets/transition';
import type { InboundTap } from '../protocol/inbound';
import { markdown } from '../protocol/outbound';
import { ticketOfCard } from './card-store';
import { KEY, pickedNumber, RETURN_REASONS, returnReasonCard, type ReturnReason } from './cards';
import { cardFor } from './work-order-cards';
import { attempt, sessionOf, type ChatDeps } from './context';
import { resultNeeded } from './format';
import { answerText, handedOverReply, pickCard, type PickState } from './inquiries';
import { Outgoing } from './outgoing';

/** What each button does: the same domain step as its command twin (完成 and 答复 ask for the result instead). */
const STEPS: Record<string, (session: Session, ticket: Ticket) => Promise<Ticket>> = {
  accept: receive,
  arrive,
  answer_plan: (session, ticket) => answerPlan(session, ticket, undefined),
  inspect: passInspection,
  power_on: powerOn,
  ...Object.fromEntries(
    (Object.keys(RETURN_REASONS) as ReturnReason[]).map((code) => [
      KEY.reason(code),
      (session: Session, ticket: Ticket) => returnToDesk(session, ticket, RETURN_REASONS[code].reason),
    ]),
  ),
};

/**
 * A person tapped a button on one of our cards. A tap that moves the ticket updates the card for everyone; anything
 * else (a refusal, the return-reason menu) changes only the tapper's view, since a tap cannot be answered otherwise.
 * A task id we never issued changes nothing and says nothing.
 */
export async function handleTap(deps: ChatDeps, tx: Tx, tap: InboundTap): Promise<void> {
  const ticket = await ticketOfCard(tx, tap.taskId);
  if (!ticket) {
    deps.logger.warn({ taskId: tap.taskId, userId: tap.userId, eventKey: tap.eventKey }, 'tap on a card we did not issue; ignored');
    return;
  }
  const out = new Outgoing();
  const loaded = await attempt(tx, out, () => deps.orgs.current(tx));
  if (!loaded.ok) return;
  const org = loaded.value;
  const session = sessionOf(deps, tx, org, tap.userId, { channel: 'tap', ref: tap.eventId, chatId: tap.chat.chatId }, out);
  if (ticket.kind === 'inquiry') {
    await tapOffer(session, ticket, tap, out);
    return out.flush(tx, deps.outbox);
  }

  const show = async (userIds: string[] | undefined, note?: string, menu = false) => {
    const current = await ticketById(tx, ticket.id);
    const view = await cardFor(tx, org, current, tap.chat.chatId, tap.taskId, session.now, note);
    out.update(tap.chat.chatId, tap.reqId, {
      response_type: 'update_template_card',
      ...(userIds ? { userids: userIds } : {}),
      template_card: menu ? returnReasonCard(view) : view,
    });
  };

  const step = STEPS[tap.eventKey];
  if (step) {
    const moved = await attempt(tx, out, () => step(session, ticket));
    if (moved.ok) await show(undefined);
    else await show([tap.userId], moved.error.message);
  } else if (tap.eventKey === 'complete') {
    // The step closes only with its content: the tapper is told what to type, and nothing moves.
    // A helper department's 答复 is for its part of a joint order: the same command, its own opinion.
    const unit = org.doc.units.find((u) => u.chatId === tap.chat.chatId);
    const part = unit && (await partsOf(session, ticket.id)).find((p) => p.unit_id === unit.id && p.state !== 'replied');
    const allowed = part ? { ok: true as const } : await attempt(tx, out, () => check(session, ticket, 'complete'));
    await show([tap.userId], allowed.ok ? resultNeeded(ticket, part !== undefined) : allowed.error.message);
  } else if (tap.eventKey === 'return') {
    const allowed = await attempt(tx, out, () => check(session, ticket, 'return'));
    await show([tap.userId], allowed.ok ? undefined : allowed.error.message, allowed.ok);
  } else if (tap.eventKey === KEY.cancel) {
    await show([tap.userId]);
  } else {
    await show([tap.userId], `${ticket.no} 当前状态：${STATES[ticket.state]}`);
  }
  await out.flush(tx, deps.outbox);
}

/**
 * A tap on an inquiry's offer card: a number answers in the chat at once and 转人工 hands the inquiry to the desk, for
 * whoever in the chat taps (the asker's colleagues serve the same customer); the card then shows that for everyone.
 * Anything else, or a refusal (the offer lapsed), shows the tapper where the inquiry stands.
 */
async function tapOffer(session: Session, ticket: Ticket, tap: InboundTap, out: Outgoing): Promise<void> {
  const { org, tx } = session;
  const number = pickedNumber(tap.eventKey);
  const show = async (state: PickState, userIds?: string[]) => {
    const candidates = await offeredCandidates(tx, ticket.id);
    out.update(tap.chat.chatId, tap.reqId, {
      response_type: 'update_template_card',
      ...(userIds ? { userids: userIds } : {}),
      template_card: pickCard(org, ticket, candidates, tap.taskId, state),
    });
  };
  if (number === undefined && tap.eventKey !== KEY.person) {
    return show({ note: `${ticket.no} 当前状态：${STATES[ticket.state]}`, handedOver: ticket.state !== 'offered' && ticket.state !== 'answered' }, [tap.userId]);
  }
  const done = await attempt(tx, out, async () => {
    if (number === undefined) return { text: handedOverReply(org, await handOver(session, ticket)), state: { handedOver: true } };
    const picked = await pickCandidate(session, number, ticket);
    return { text: answerText(org, picked.ticket, picked.entry), state: { picked: number } };
  });
  if (!done.ok) return show({ note: done.error.message }, [tap.userId]);
  out.push(tap.chat.chatId, markdown(done.value.text));
  await show(done.value.state);
}
