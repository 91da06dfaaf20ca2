import type { Executor } from '../db/database';

/**
 * What the bot sends, as the chat and domain layers decide it: a reply to a message, a push into a chat, a card update,
 * or a group-robot webhook post. How it reaches WeCom (order, rate limits, retries) is the transport's business.
 * `chatId` is the WeCom conversation: a group's chatid, or the userid for a 1:1 chat.
 */
export type Outbound =
  | { channel: 'reply'; chatId: string; reqId: string; body: WecomBody }
  | { channel: 'push'; chatId: string; body: WecomBody }
  | { channel: 'update'; chatId: string; reqId: string; body: CardUpdateBody }
  | { channel: 'webhook'; webhookKey: string; body: WebhookBody };

export type WecomBody =
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'template_card'; template_card: TemplateCard };

export interface CardUpdateBody {
  response_type: 'update_template_card';
  userids?: string[];
  template_card: TemplateCard;
}

export type WebhookBody =
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'text'; text: { content: string; mentioned_list?: string[] } };

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
}
