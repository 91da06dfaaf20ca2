import type { Executor } from '../db/database';

/**
 * What the bot sends, as the chat and domain layers decide it: a reply to a message, a push into a chat, a card update,
 * or a group-robot webhook post. How it reaches WeCom (order, rate limits, retries) is the transport's business.
 * `chatId` is the WeCom conversation: a group's chatid, or the userid for a 1:1 chat.
 */
export type Outbound =
  | { channel: 'reply'; chatId: string; reqId: string; body: WecomBody }
  | { channel: 'push'; chatId: string; body: WecomBody | PictureBody; handling?: Handling }
  | { channel: 'update'; chatId: string; reqId: string; body: CardUpdateBody }
  | { channel: 'webhook'; webhookKey: string; body: WebhookBody; handling?: Handling };

/**
 * What the transport may do with a push or a webhook post when a chat's budget runs short. Replies and card updates
 * always go first; then cards and notices; nags last, since a nag late by a minute still says the truth.
 */
export interface Handling {
  rank?: 'notice' | 'nag';
  /** The message as one line of a list: a storm that fills its chat's minute folds such messages into one. */
  foldLine?: string;
  /** The SLA clocks a nag is about: when all of them have stopped by its turn, it is dropped. */
  clockIds?: number[];
  /** A warning is dropped once this passes (its deadline came, and the breach says so). */
  staleAt?: Date;
}

export type WecomBody =
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'template_card'; template_card: TemplateCard };

/**
 * A picture pushed into a chat: the transport uploads it as temporary media (init → 512 KiB chunks → finish, PROTOCOL.md
 * §1d) when it sends the row, and sends an `image` message with the media_id it got. Kept as bytes in the row, since a
 * media_id lives 3 days and a row may wait.
 */
export interface PictureBody {
  msgtype: 'picture';
  picture: { filename: string; base64: string };
}

export function picture(png: Buffer, filename: string): PictureBody {
  return { msgtype: 'picture', picture: { filename, base64: png.toString('base64') } };
}

export interface CardUpdateBody {
  response_type: 'update_template_card';
  userids?: string[];
  template_card: TemplateCard;
}

export type WebhookBody =
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'text'; text: { content: string; mentioned_list?: string[] } };

/** A group-robot text that @s `userIds` for real (the only @ WeCom notifies: docs/wecom-protocol.md "@ mentions"). */
export function mentionText(content: string, userIds: string[]): WebhookBody {
  return { msgtype: 'text', text: { content, mentioned_list: userIds } };
}

/** A WeCom template card (button_interaction, text_notice, …), as sent on the wire. */
export type TemplateCard = { card_type: string; task_id?: string } & Record<string, unknown>;

export function markdown(content: string): { msgtype: 'markdown'; markdown: { content: string } } {
  return { msgtype: 'markdown', markdown: { content } };
}

export function card(templateCard: TemplateCard): WecomBody {
  return { msgtype: 'template_card', template_card: templateCard };
}

/**
 * Where messages are handed over to be sent: written in the caller's transaction, so they leave exactly when the
 * work that caused them commits. A `dedupeKey` makes a logical message (a nag, a digest) once-only. Returns the ids
 * of the rows written.
 */
export interface OutboxPort {
  enqueue(tx: Executor, messages: Outbound | Outbound[], dedupeKey?: string): Promise<number[]>;
  /** Whether a message with this dedupe key was queued already (sent or not). */
  isQueued(tx: Executor, dedupeKey: string): Promise<boolean>;
  /** The chat has messaged the bot: what it refused before that goes out now, in order. Returns how many. */
  releaseWaiting(tx: Executor, chatId: string): Promise<number>;
}
