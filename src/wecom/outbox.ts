import { sql } from 'kysely';
import type { Clock } from '../clock';
import type { Executor } from '../db/database';
import { markdown, type Outbound, type OutboxPort } from '../protocol/outbound';
import { MAX_BYTES, splitToFit } from '../protocol/sizes';

export const WEBHOOK_CHAT_PREFIX = 'webhook:';

/**
 * Queues messages for bot `botId` in the caller's transaction (only that bot's holder sends them). A `dedupeKey` makes
 * a logical message (a nag, an alert) once-only: queuing it again is a no-op. Returns the ids of the rows written.
 */
export async function enqueue(
  tx: Executor,
  clock: Clock,
  botId: string,
  messages: Outbound | Outbound[],
  dedupeKey?: string,
): Promise<number[]> {
  const list = (Array.isArray(messages) ? messages : [messages]).flatMap(withinLimits);
  if (list.length === 0) return [];
  const now = clock.now();
  const rows = list.map((message, index) => ({
    ...handlingColumns(message),
    bot_id: botId,
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

/**
 * A message over WeCom's size limit as several in order, each within it: a reply's first part stays the reply (a
 * message's req_id takes one answer) and the rest are pushes into the same chat; a robot's @s go with the first part.
 */
function withinLimits(message: Outbound): Outbound[] {
  if (message.channel === 'update') return [message];
  if (message.channel === 'webhook') {
    const body = message.body;
    const text = body.msgtype === 'text' ? body.text.content : body.markdown.content;
    const parts = splitToFit(text, body.msgtype === 'text' ? MAX_BYTES.webhookText : MAX_BYTES.webhookMarkdown);
    if (parts.length === 1) return [message];
    const handling = message.handling && { ...message.handling, foldLine: undefined };
    return parts.map((content, i) => ({
      ...message,
      ...(handling && { handling }),
      body:
        body.msgtype === 'text'
          ? { msgtype: 'text', text: { ...body.text, content, ...(i > 0 && { mentioned_list: [] }) } }
          : { msgtype: 'markdown', markdown: { content } },
    }));
  }
  const body = message.body;
  if (body.msgtype !== 'markdown') return [message];
  const parts = splitToFit(body.markdown.content, MAX_BYTES.markdown);
  if (parts.length === 1) return [message];
  const [first, ...rest] = parts.map((content) => markdown(content));
  const handling = message.channel === 'push' && message.handling ? { ...message.handling, foldLine: undefined } : undefined;
  return [
    { ...message, body: first! },
    ...rest.map((part): Outbound => ({ channel: 'push', chatId: message.chatId, body: part, ...(handling && { handling }) })),
  ];
}

/** Rank 0 for replies and card updates, 1 for cards and notices, 2 for nags (see 070_outbox_budgets.sql). */
function handlingColumns(message: Outbound) {
  if (message.channel === 'reply' || message.channel === 'update') return { rank: 0 };
  const handling = message.handling ?? {};
  return {
    rank: handling.rank === 'nag' ? 2 : 1,
    fold_lines: handling.foldLine === undefined ? null : [handling.foldLine],
    clock_ids: handling.clockIds ?? null,
    stale_at: handling.staleAt ?? null,
  };
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

/** The outbox as the rest of the bot sees it: rows for this process's bot, stamped with the app's clock. */
export function outboxPort(clock: Clock, botId: string): OutboxPort {
  return {
    enqueue: (tx, messages, dedupeKey) => enqueue(tx, clock, botId, messages, dedupeKey),
    async isQueued(tx, dedupeKey) {
      // A key given to several messages at once is stored as key#0, key#1, …
      const row = await tx
        .selectFrom('outbox')
        .select('id')
        .where((eb) => eb.or([eb('dedupe_key', '=', dedupeKey), eb('dedupe_key', 'like', `${dedupeKey}#%`)]))
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
    async releaseWaiting(tx, chatId) {
      const result = await tx
        .updateTable('outbox')
        .set({ status: 'pending', next_attempt_at: clock.now() })
        .where('chat_id', '=', chatId)
        .where('status', '=', 'waiting')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
