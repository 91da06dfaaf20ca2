import { sql } from 'kysely';
import type { Clock } from '../clock';
import type { Executor } from '../db/database';

/**
 * The one way anything leaves the bot: a row written in the caller's transaction. The connection holder sends
 * rows in order per chat, honours WeCom's limits and retries (see outbox-sender).
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

export const WEBHOOK_CHAT_PREFIX = 'webhook:';

export function markdown(content: string): { msgtype: 'markdown'; markdown: { content: string } } {
  return { msgtype: 'markdown', markdown: { content } };
}

export function card(templateCard: TemplateCard): WecomBody {
  return { msgtype: 'template_card', template_card: templateCard };
}

/**
 * Queues messages in the caller's transaction. A `dedupeKey` makes a logical message (a nag, an alert) once-only:
 * queuing it again is a no-op. Returns the ids of the rows written.
 */
export async function enqueue(
  tx: Executor,
  clock: Clock,
  messages: Outbound | Outbound[],
  dedupeKey?: string,
): Promise<number[]> {
  const list = Array.isArray(messages) ? messages : [messages];
  if (list.length === 0) return [];
  const now = clock.now();
  const rows = list.map((message, index) => ({
    channel: message.channel,
    chat_id: message.channel === 'webhook' ? WEBHOOK_CHAT_PREFIX + message.webhookKey : message.chatId,
    req_id: message.channel === 'reply' || message.channel === 'update' ? message.reqId : null,
    body: JSON.stringify(message.body),
    dedupe_key: dedupeKey === undefined ? null : list.length === 1 ? dedupeKey : `${dedupeKey}#${index}`,
    next_attempt_at: now,
    created_at: now,
  }));
  const inserted = await tx
    .insertInto('outbox')
    .values(rows)
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return inserted.map((row) => row.id);
}

/** Pending messages per chat, for readiness and metrics. */
export async function pendingCount(tx: Executor): Promise<number> {
  const row = await tx
    .selectFrom('outbox')
    .select(sql<number>`count(*)`.as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return row.n;
}
