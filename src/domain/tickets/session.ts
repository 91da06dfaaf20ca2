import type { Selectable } from 'kysely';
import type { Clock } from '../../clock';
import type { Tx } from '../../db/database';
import type { TicketTables } from '../../db/schema';
import type { FaqAnswer } from '../../faq/matcher';
import type { MarketingSystem } from '../marketing';
import type { Org } from '../org';
import type { ClockDeps } from '../sla/clocks';
import type { Kind, State, Step } from './machine';

export type Ticket = Omit<Selectable<TicketTables['tickets']>, 'state'> & { kind: Kind; state: State };
export type TicketEvent = Selectable<TicketTables['ticket_events']>;
export type Outage = Selectable<TicketTables['outages']>;

export interface Actor {
  userId: string;
  name: string;
}

/** The bot acting on its own: automatic dispatch, linking to a known cause, answering from published outages. */
export const BOT: Actor = { userId: 'system', name: '客服机器人' };

/** Where an action came from: recorded on each event so a timeline says "by tap" or "by message". */
export interface Via {
  channel: 'message' | 'tap' | 'api' | 'system';
  /** The message id or the tap's event id. */
  ref: string | null;
  chatId: string | null;
}

/** A ticket event, as the chat layer needs it to tell the people concerned. */
export interface TicketChange {
  ticket: Ticket;
  event: TicketEvent;
  /** The step taken; absent for the opening of a ticket. */
  step?: Step;
}

/** An outage notice published, or ended (early, at its restore time, or with the repair it came from). */
export interface OutageChange {
  outage: Outage;
  event: 'published' | 'ended';
}

/** How domain services reach people without knowing about chats: the chat layer implements it. */
export interface Notifier {
  ticketChanged(session: Session, change: TicketChange): Promise<void>;
  outageChanged(session: Session, change: OutageChange): Promise<void>;
}

/**
 * One person acting through one message, tap or API call: everything a domain service needs, inside the one
 * transaction that also records the inbound message. `now` is read from the clock once, so every row it writes agrees.
 */
export interface Session {
  tx: Tx;
  deps: SessionDeps;
  org: Org;
  actor: Actor;
  via: Via;
  now: Date;
  notify: Notifier;
}

/** What a session needs of the process: the SLA clocks' settings, the time, the knowledge base and the marketing system. */
export interface SessionDeps extends ClockDeps {
  clock: Clock;
  faq: { answer(question: string): Promise<FaqAnswer> };
  /** Where consumption, bill, payment and connection queries are asked. */
  marketing: MarketingSystem;
}

/** The one way a session is opened, for a chat message, a card tap or an API call alike. */
export function openSession(deps: SessionDeps, tx: Tx, org: Org, userId: string, via: Via, notify: Notifier): Session {
  return { tx, deps, org, actor: { userId, name: org.personName(userId) }, via, now: deps.clock.now(), notify };
}
