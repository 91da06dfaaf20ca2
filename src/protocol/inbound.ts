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
  /** Images sent with it (a mixed message, or a lone image 1:1): URLs valid 5 minutes, bytes encrypted with `aeskey`. */
  images?: { url: string; aeskey?: string }[];
  /** The text of the message it quotes (a ticket's card or message names its number). */
  quoted?: string;
  /** Spoken, and transcribed by WeCom: the reply repeats what was understood. */
  voice?: boolean;
}

/** Fetches and decrypts an image or file a person sent (the SDK's downloadFile). */
export interface MediaFetcher {
  download(url: string, aeskey: string | undefined): Promise<Buffer>;
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
