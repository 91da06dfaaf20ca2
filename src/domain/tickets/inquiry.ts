import type { Executor } from '../../db/database';
import { faqEntrySchema, type FaqEntry } from '../../faq/entry';
import { readInquiry, type Reading } from '../../faq/intent';
import { findEntry, saveEntry } from '../../faq/store';
import { DomainError } from '../errors';
import type { TicketLimit } from '../sla';
import { resolveArea, route, type Route } from '../routing';
import { KINDS } from './machine';
import { insertTicket, openFeedback, openRepair, type RepairOutcome } from './open';
import { BOT, type Session, type Ticket } from './session';
import { ticketById, ticketEvents } from './store';
import { recordEvent, transition } from './transition';
import { recordChange, sessionActor } from '../audit';
import { OFFER_WINDOW_MINUTES } from '../regulation';


export interface Inquiry {
  question: string;
  area?: string;
  reporter?: string;
  phone?: string;
}

/**
 * What became of an inquiry: answered from the knowledge base, candidates offered to its asker, the desk's, or read as
 * another kind of ticket (a repair, complaint, report, praise or suggestion) that its asker may turn it into.
 */
export type InquiryOutcome =
  | { kind: 'answered'; ticket: Ticket; entry: FaqEntry }
  | { kind: 'offered'; ticket: Ticket; candidates: FaqEntry[] }
  | { kind: 'read'; ticket: Ticket; reading: Reading }
  | { kind: 'desk'; ticket: Ticket };

/**
 * An inquiry (chapter 3, 三.1): answered by the bot when the knowledge base is sure; when it is not, the asker gets up
 * to three numbered candidates and the ticket waits for their pick (the desk is not asked yet); with no candidate at
 * all it goes to the desk at once. One ticket whatever follows: picks and 转人工 (also after an answer that did not
 * help) act on this same ticket.
 */
export async function openInquiry(session: Session, inquiry: Inquiry): Promise<InquiryOutcome> {
  const area = inquiry.area === undefined ? undefined : resolveArea(session.org, inquiry.area);
  const where = route(session.org, { kind: 'inquiry' });
  const reading = readInquiry(inquiry.question);
  if (reading) {
    // Not a question for the knowledge base: the asker is offered the right kind of ticket, on this one's text.
    const ticket = await insertTicket(
      session,
      'inquiry',
      { ...where, ...(area ? { area } : {}) },
      { description: inquiry.question, topic: null, reporter_name: inquiry.reporter ?? null, phone: inquiry.phone ?? null },
      { state: 'offered', data: { faq: 'read', reading } },
    );
    await offer(session, ticket, inquiry.question, []);
    return { kind: 'read', ticket, reading };
  }
  const faq = await session.deps.faq.answer(inquiry.question);
  const best = faq.kind === 'answer' ? faq.entry : faq.kind === 'candidates' ? faq.candidates[0]?.entry : undefined;
  const ticket = await insertTicket(
    session,
    'inquiry',
    { ...where, ...(area ? { area } : {}) },
    {
      description: inquiry.question,
      // The topic of the likeliest entry: which specialist /转专业 passes it to.
      topic: best?.topic ?? null,
      reporter_name: inquiry.reporter ?? null,
      phone: inquiry.phone ?? null,
    },
    {
      state: faq.kind === 'candidates' ? 'offered' : 'received',
      data: { faq: faq.kind, ...(faq.kind === 'candidates' && { candidates: faq.candidates.length }) },
    },
  );
  if (faq.kind === 'none') return { kind: 'desk', ticket };
  const candidates = faq.kind === 'answer' ? [faq.entry] : faq.candidates.map((hit) => hit.entry);
  // An answer outright is offered too: 转人工 after it still reaches the desk on this ticket.
  await offer(session, ticket, inquiry.question, candidates);
  if (faq.kind === 'candidates') return { kind: 'offered', ticket, candidates };
  const data = { answer: faq.entry.answer, faq: faq.entry.id, confidence: Math.round(faq.confidence * 100) / 100 };
  const answered = await transition({ ...session, actor: BOT }, ticket, 'answer', { patch: { answer: faq.entry.answer }, data });
  return { kind: 'answered', ticket: answered.ticket, entry: faq.entry };
}

/** What the asker may pick from for OFFER_WINDOW_MINUTES: entries, or none when the inquiry was read as another kind. */
async function offer(session: Session, ticket: Ticket, question: string, candidates: FaqEntry[]): Promise<void> {
  await session.tx
    .insertInto('faq_offers')
    .values({
      ticket_id: ticket.id,
      chat_id: askingChat(session),
      user_id: session.actor.userId,
      question,
      entry_ids: candidates.map((entry) => entry.id),
      offered_at: session.now,
      expires_at: new Date(session.now.getTime() + OFFER_WINDOW_MINUTES * 60_000),
    })
    .execute();
}

/** The ticket an inquiry became, and how it was handled (a repair may be explained by a known outage or fault). */
export type Conversion =
  | { kind: 'repair'; inquiry: Ticket; outcome: RepairOutcome }
  | { kind: 'work_order'; inquiry: Ticket; ticket: Ticket; route: Route };

/**
 * The asker turns an inquiry into the kind it was read as (or another they choose), in one step: the new ticket
 * carries the inquiry's text, customer and phone; the inquiry is closed with its number, so nothing is answered twice.
 * A repair also needs the supply area and a phone to dispatch; the customer's own words stand for the address.
 */
export async function convertInquiry(session: Session, kind: Reading, ticket?: Ticket): Promise<Conversion> {
  const offered = await openOffer(session, ticket);
  const inquiry = await ticketById(session.tx, offered.ticket_id);
  const customer = { ...(inquiry.reporter_name ? { reporter: inquiry.reporter_name } : {}), ...(inquiry.phone ? { phone: inquiry.phone } : {}) };
  let conversion: Conversion;
  if (kind === 'repair') {
    if (!inquiry.area || !inquiry.phone) {
      throw new DomainError('repair_needs_place', `报修需要区域和客户电话才能派工，请发送：${repairCommand(inquiry)}`);
    }
    const outcome = await openRepair(session, { area: inquiry.area, address: inquiry.description, description: inquiry.description, ...customer, phone: inquiry.phone });
    conversion = { kind: 'repair', inquiry, outcome };
  } else {
    const opened = await openFeedback(session, { kind, cause: inquiry.description, ...customer });
    conversion = { kind: 'work_order', inquiry, ...opened };
  }
  const opened = conversion.kind === 'repair' ? conversion.outcome.ticket : conversion.ticket;
  const answer = `已转为${KINDS[opened.kind].name} ${opened.no}`;
  const closed = await transition({ ...session, actor: BOT }, inquiry, 'answer', { patch: { answer }, data: { answer, converted: opened.no } });
  await closeOffer(session, inquiry);
  return { ...conversion, inquiry: closed.ticket };
}

/** What an inquiry was read as when it was opened (intent.ts), or undefined for one the knowledge base took. */
export async function inquiryReading(tx: Executor, ticket: Ticket): Promise<Reading | undefined> {
  const [created] = await ticketEvents(tx, ticket.id);
  return (created?.data as { reading?: Reading } | undefined)?.reading;
}

/** The /报修 line for an inquiry read as a repair, with what it already holds and the rest to fill in. */
export function repairCommand(inquiry: Pick<Ticket, 'area' | 'description' | 'reporter_name' | 'phone'>): string {
  return `/报修 ${inquiry.area ?? '区域'} 地址 ${inquiry.description.replace(/\s+/g, '，')} ${[inquiry.reporter_name, inquiry.phone ?? '电话'].filter(Boolean).join(' ')}`;
}

/**
 * The asker replied with a candidate's number (or someone tapped it on the offer's card, `ticket`): the bot answers
 * with that entry at once, on the same ticket, and records which entry helped. Another number later answers again;
 * the earlier pick then counts as not having helped.
 */
export async function pickCandidate(session: Session, number: number, ticket?: Ticket): Promise<{ ticket: Ticket; entry: FaqEntry }> {
  const offer = await openOffer(session, ticket);
  if (offer.entry_ids.length === 0) throw new DomainError('no_candidates', '这条咨询没有列出知识库候选：请按卡片上的类型受理，或回复「转人工」');
  const id = offer.entry_ids[number - 1];
  if (id === undefined) throw new DomainError('no_such_candidate', `请回复 1 到 ${offer.entry_ids.length} 之间的编号，或回复「转人工」`);
  const entry = await findEntry(session.tx, id);
  if (!entry) throw new DomainError('entry_gone', '该条目已从知识库删除，请回复其他编号或「转人工」');
  const current = await ticketById(session.tx, offer.ticket_id);
  const data = { answer: entry.answer, faq: entry.id, pick: number, askedBy: session.actor.name };
  const answered = await transition({ ...session, actor: BOT }, current, 'answer', { patch: { answer: entry.answer }, data });
  await notHelped(session, current);
  await session.tx
    .insertInto('faq_feedback')
    .values({ ticket_id: current.id, question: offer.question, entry_id: entry.id, source: 'pick', rank: number, at: session.now })
    .execute();
  return { ticket: answered.ticket, entry };
}

/**
 * The asker wants a person (转人工, typed or tapped on the offer's card of `ticket`): the same ticket goes to the desk,
 * and no candidate counts as having helped.
 */
export async function handOver(session: Session, ticket?: Ticket): Promise<Ticket> {
  const offer = await openOffer(session, ticket);
  const current = await ticketById(session.tx, offer.ticket_id);
  const moved = await transition({ ...session, actor: BOT }, current, 'hand_over', { data: { askedBy: session.actor.name } });
  await closeOffer(session, current);
  await notHelped(session, current);
  return moved.ticket;
}

/** Offers whose window passed: closed, and an inquiry nobody picked for goes to the desk, so every inquiry is answered. */
export async function lapseOffers(session: Session): Promise<number> {
  const lapsed = await session.tx
    .updateTable('faq_offers')
    .set({ closed_at: session.now })
    .where('closed_at', 'is', null)
    .where('expires_at', '<=', session.now)
    .returning('ticket_id')
    .execute();
  let handed = 0;
  for (const { ticket_id } of lapsed) {
    const ticket = await ticketById(session.tx, ticket_id);
    if (ticket.state !== 'offered') continue;
    await transition({ ...session, actor: BOT }, ticket, 'hand_over', { data: { lapsed: true } });
    handed++;
  }
  return handed;
}

/**
 * The desk passes an inquiry it cannot answer to the specialist of its topic and the customer's supply area (三方通话),
 * to answer within `limit` (the policy's when none is given). The specialist's unit owns it until it is answered.
 */
export async function refer(session: Session, ticket: Ticket, options: { topic?: string; limit?: string }): Promise<Ticket> {
  if (ticket.kind !== 'inquiry') throw new DomainError('not_inquiry', `${ticket.no} 不是咨询工单，只有咨询可以转专业人员`);
  const topic = options.topic ?? ticket.topic;
  if (!topic) throw new DomainError('no_topic', `${ticket.no} 没有专业类别，请注明，例如 /转专业 ${ticket.no} 专业:电费`);
  const specialist = session.org.specialistFor(topic, ticket.area);
  if (!specialist) throw new DomainError('no_specialist', `组织机构中没有「${topic}」${ticket.area ? `（${ticket.area}）` : ''}的专业人员`);
  const limit = options.limit === undefined ? undefined : parseLimit(options.limit);
  const moved = await transition(session, ticket, 'refer', {
    patch: { topic, owner_unit_id: specialist.unit, owner_user_id: specialist.userId },
    data: { topic, specialist: specialist.userId, ...(options.limit ? { limit: options.limit } : {}) },
    ...(limit ? { limit } : {}),
  });
  await closeOffer(session, ticket);
  return moved.ticket;
}

/**
 * The desk's answer to an inquiry goes into the knowledge base (/入库): as another way of asking an entry, or as a new
 * entry (its id the ticket's number) with the desk's answer. Written in this transaction, answered by every process
 * as soon as it commits.
 */
export async function learn(session: Session, ticket: Ticket, entryId?: string): Promise<{ entry: FaqEntry; added: 'similar' | 'entry' }> {
  if (ticket.kind !== 'inquiry' || ticket.state !== 'answered' || !ticket.answer) {
    throw new DomainError('not_answered', `${ticket.no} 不是已答复的咨询，答复后才能入库：/答复 ${ticket.no} 内容`);
  }
  const question = ticket.description;
  let draft: FaqEntry;
  let previous: FaqEntry | null = null;
  if (entryId === undefined) {
    draft = { id: ticket.no, ...(ticket.topic ? { topic: ticket.topic } : {}), question, similar: [], answer: ticket.answer, tags: [] };
  } else {
    const entry = await findEntry(session.tx, entryId);
    if (!entry) throw new DomainError('entry_not_found', `知识库中没有条目 ${entryId}`);
    previous = entry;
    const known = [entry.question, ...entry.similar].includes(question);
    draft = known ? entry : { ...entry, similar: [...entry.similar, question] };
  }
  const checked = faqEntrySchema.safeParse(draft);
  if (!checked.success) throw new DomainError('invalid_entry', `不能入库：${checked.error.issues.map((i) => i.message).join('；')}`);
  const entry = checked.data;
  await saveEntry(session.tx, entry, session.now);
  await recordChange(session.tx, { subject: 'faq', actor: sessionActor(session), at: session.now, before: previous, after: entry });
  const added = entryId === undefined ? 'entry' : 'similar';
  await recordEvent(session, ticket, { type: 'learned', from: ticket.state, data: { faq: entry.id, added } });
  await session.tx
    .insertInto('faq_feedback')
    .values({ ticket_id: ticket.id, question, entry_id: entry.id, source: 'desk', rank: null, at: session.now })
    .execute();
  return { entry, added };
}

const LIMIT = /^(\d{1,4})\s*(分钟|小时|个?工作日)$/;

/** 30分钟, 2小时, 1个工作日: the desk's limit for a specialist. */
export function parseLimit(text: string): TicketLimit {
  const match = LIMIT.exec(text.trim());
  const amount = match ? Number(match[1]) : 0;
  if (!match || amount === 0) throw new DomainError('bad_limit', `时限「${text}」看不懂，请写成 30分钟、2小时 或 1个工作日`);
  if (match[2] === '分钟') return { amount, unit: 'minutes' };
  if (match[2] === '小时') return { amount: amount * 60, unit: 'minutes' };
  return { amount, unit: 'working_days' };
}

/**
 * The offer a pick or 转人工 acts on while it is open: a tapped card's own, or else the asker's latest inquiry in this
 * chat, so a typed number always means the inquiry they asked last, never an older one still in its window.
 */
async function openOffer(session: Session, ticket?: Ticket) {
  const offers = session.tx.selectFrom('faq_offers').selectAll().where('expires_at', '>', session.now);
  const latest = await (ticket
    ? offers.where('ticket_id', '=', ticket.id)
    : offers.where('chat_id', '=', askingChat(session)).where('user_id', '=', session.actor.userId)
  )
    .orderBy('offered_at', 'desc')
    .orderBy('ticket_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const offer = latest?.closed_at === null ? latest : undefined;
  if (!offer) {
    throw new DomainError('no_offer', `没有等待您选择的咨询（候选问题 ${OFFER_WINDOW_MINUTES} 分钟内有效）。请发送 /咨询 问题`);
  }
  return offer;
}

/** How many candidates an inquiry's offer listed (0 when it had none). */
export async function offeredCandidates(tx: Executor, ticketId: number, now: Date): Promise<{ count: number; open: boolean }> {
  const offer = await tx.selectFrom('faq_offers').select(['entry_ids', 'closed_at', 'expires_at']).where('ticket_id', '=', ticketId).executeTakeFirst();
  return { count: offer?.entry_ids.length ?? 0, open: offer !== undefined && offer.closed_at === null && offer.expires_at > now };
}

async function closeOffer(session: Session, ticket: Ticket): Promise<void> {
  await session.tx.updateTable('faq_offers').set({ closed_at: session.now }).where('ticket_id', '=', ticket.id).where('closed_at', 'is', null).execute();
}

/** Earlier picks on this inquiry did not help: the asker picked again or asked for a person. */
async function notHelped(session: Session, ticket: Ticket): Promise<void> {
  await session.tx
    .updateTable('faq_feedback')
    .set({ helped: false })
    .where('ticket_id', '=', ticket.id)
    .where('source', '=', 'pick')
    .execute();
}

function askingChat(session: Session): string {
  return session.via.chatId ?? '';
}
