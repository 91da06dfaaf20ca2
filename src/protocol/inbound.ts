import type { Tx } from '../db/database';

/**
 * What the rest of the bot sees of WeCom: a person said something in a chat, or tapped a card button.
 * Commands and card actions consume only these; frames and the SDK stay inside src/wecom.
 */
export interface ChatRef {
  /** A group's chatid, or the user's id for a 1:1 chat (WeCom pushes to a 1:1 chat by userid). */
  chatId: string;
  chatType: 'group' | 'single';
}

interface InboundBase {
  inboxId: number;
  /** The callback's req_id: replies and card updates must quote it. */
  reqId: string;
  chat: ChatRef;
  userId: string;
  receivedAt: Date;
}

export interface InboundText extends InboundBase {
  kind: 'text';
  msgId: string;
  /** The text with the leading @bot mention removed and whitespace trimmed. */
  text: string;
}

export interface InboundTap extends InboundBase {
  kind: 'tap';
  eventId: string;
  taskId: string;
  eventKey: string;
}

export type InboundEvent = InboundText | InboundTap;

/**
 * What the bot does with one inbound event, inside the transaction that also marks the inbox row handled: domain
 * work plus outbox rows (`enqueue(tx, …)`), all or nothing. Throwing rolls everything back; the transport retries a
 * few times, then gives the person a polite apology. Called at most once per successful handling of a msgid, in
 * arrival order within a chat.
 */
export type InboundHandler = (tx: Tx, event: InboundEvent) => Promise<void>;
