import type { Tx } from '../db/database';
import { answerPlan, passInspection, powerOn } from '../domain/connections';
import { arrive, returnToDesk } from '../domain/tickets/flow';
import { convertInquiry, handOver, inquiryReading, offeredCandidates, pickCandidate } from '../domain/tickets/inquiry';
import { partsOf, receive } from '../domain/tickets/work-orders';
import { STATES } from '../domain/tickets/machine';
import type { Org } from '../domain/org';
import type { Session, Ticket } from '../domain/tickets/session';
import { ticketById } from '../domain/tickets/store';
import { check } from '../domain/tickets/transition';
import type { InboundTap } from '../protocol/inbound';
import { markdown } from '../protocol/outbound';
import { ticketOfCard } from './card-store';
import { convertedReading, KEY, pickedNumber, RETURN_REASONS, returnReasonCard, type ReturnReason } from './cards';
import { cardFor } from './work-order-cards';
import { attempt, sessionOf, type ChatDeps } from './context';
import { resultNeeded } from './format';
import { answerText, convertedReply, handedOverReply, pickCard, readingCard, type PickState } from './inquiries';
import type { Reading } from '../faq/intent';
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
    const view = await cardFor(tx, org, session.deps.calendar, current, tap.chat.chatId, tap.taskId, session.now, note);
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
  const reading = await inquiryReading(session.tx, ticket);
  if (reading) return tapReading(session, ticket, reading, tap, out);
  const { org, tx } = session;
  const number = pickedNumber(tap.eventKey);
  const show = async (state: PickState, userIds?: string[]) => {
    const offer = await offeredCandidates(tx, ticket.id, session.now);
    // An offer no longer open (answered by a person, handed over, lapsed) keeps no live buttons: the answer to a tap is
    // the only moment a card can change (PROTOCOL.md §7), so it changes now, for everyone, saying where the inquiry is.
    const final = !offer.open && !state.picked && !state.handedOver;
    out.update(tap.chat.chatId, tap.reqId, {
      response_type: 'update_template_card',
      ...(userIds && !final ? { userids: userIds } : {}),
      template_card: pickCard(org, ticket, offer.count, tap.taskId, final ? { closed: closedLabel(org, ticket) } : state),
    });
  };
  if (number === undefined && tap.eventKey !== KEY.person) {
    return show({ note: `${ticket.no} 当前状态：${STATES[ticket.state]}` }, [tap.userId]);
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

/**
 * A tap on the card under an inquiry read as another kind: its button opens that ticket with the inquiry's text, and
 * 转人工 hands the inquiry to the desk, for whoever in the chat taps; the card then shows that for everyone.
 */
async function tapReading(session: Session, ticket: Ticket, reading: Reading, tap: InboundTap, out: Outgoing): Promise<void> {
  const { org, tx } = session;
  const show = (state: Parameters<typeof readingCard>[4], userIds?: string[]) =>
    out.update(tap.chat.chatId, tap.reqId, {
      response_type: 'update_template_card',
      ...(userIds ? { userids: userIds } : {}),
      template_card: readingCard(org, ticket, reading, tap.taskId, state),
    });
  const kind = convertedReading(tap.eventKey);
  if (kind === undefined && tap.eventKey !== KEY.person) return show({ note: `${ticket.no} 当前状态：${STATES[ticket.state]}` }, [tap.userId]);
  const done = await attempt(tx, out, async () => {
    if (kind === undefined) return { text: handedOverReply(org, await handOver(session, ticket)), state: { handedOver: true } };
    const conversion = await convertInquiry(session, kind, ticket);
    return { text: convertedReply(org, conversion, session.now), state: { converted: conversion.inquiry.answer ?? '' } };
  });
  if (!done.ok) return show({ note: done.error.message }, [tap.userId]);
  out.push(tap.chat.chatId, markdown(done.value.text));
  show(done.value.state);
}

/** What a closed offer's card says where its buttons were. */
function closedLabel(org: Org, ticket: Ticket): string {
  return ticket.state === 'answered' ? '已答复' : `已转${org.desk.name}`;
}
