import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { OutboxAttempt } from '../db/schema';
import type { Fence } from './leader';

/** The sender's queries on the outbox table (rows are written by `enqueue` in outbox.ts). */

export interface PendingRow {
  id: number;
  channel: 'reply' | 'push' | 'update' | 'webhook';
  chat_id: string;
  req_id: string | null;
  body: unknown;
  dedupe_key: string | null;
  attempts: number;
  next_attempt_at: Date;
  created_at: Date;
  fold_lines: string[] | null;
  clock_ids: number[] | null;
  stale_at: Date | null;
  /** Leased by a sender that vanished before recording the outcome: WeCom may have it already. */
  possibly_sent: boolean;
}

const PENDING_COLUMNS = [
  'id',
  'channel',
  'chat_id',
  'req_id',
  'body',
  'dedupe_key',
  'attempts',
  'next_attempt_at',
  'created_at',
  'fold_lines',
  'clock_ids',
  'stale_at',
  'possibly_sent',
] as const;

/** Replies and card updates (answers to a person, sent at once) and everything else (pushes and robot posts). */
export type SendLane = 'answers' | 'pushes';
const LANE_CHANNELS: Record<SendLane, PendingRow['channel'][]> = { answers: ['reply', 'update'], pushes: ['push', 'webhook'] };

/**
 * The first pending row of each chat in `lane`: for answers, the oldest reply and separately the oldest card update
 * (5-second window) of each chat; for pushes, the first by rank (cards and notices, then nags) and age. Only a chat's
 * head may be sent, so rows of one rank leave in order per chat.
 */
export async function pendingHeads(db: Db, botId: string, lane: SendLane): Promise<PendingRow[]> {
  return db
    .selectFrom('outbox')
    .select(PENDING_COLUMNS)
    .distinctOn(['chat_id', sql<boolean>`channel = 'update'`])
    .where('status', '=', 'pending')
    .where('bot_id', '=', botId)
    .where('channel', 'in', LANE_CHANNELS[lane])
    .orderBy('chat_id')
    .orderBy(sql`channel = 'update'`)
    .orderBy('rank')
    .orderBy('id')
    .execute() as Promise<PendingRow[]>;
}

/** A nag no longer true when its turn came: it leaves the queue unsent. */
export async function drop(db: Db, id: number): Promise<void> {
  await db.updateTable('outbox').set({ status: 'dropped' }).where('id', '=', id).where('status', '=', 'pending').execute();
}

export interface Fold {
  /** The new row standing for the folded ones; null when fewer than two could be folded. */
  row: PendingRow | null;
  folded: number;
}

/**
 * Folds a chat's pending foldable rows, oldest first and as many as `fits` allows, into one new row built by `build`
 * from their lines (and their webhook mentions); the folded rows point at it. Rows another sender holds are left.
 */
export async function foldPending(
  db: Db,
  botId: string,
  chatId: string,
  fits: (lines: string[]) => boolean,
  build: (lines: string[], mentions: string[]) => unknown,
): Promise<Fold> {
  return db.transaction().execute(async (tx) => {
    const candidates = await tx
      .selectFrom('outbox')
      .select(['id', 'channel', 'body', 'fold_lines', 'created_at'])
      .where('bot_id', '=', botId)
      .where('chat_id', '=', chatId)
      .where('status', '=', 'pending')
      .where('channel', 'in', ['push', 'webhook'])
      .where('fold_lines', 'is not', null)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
      .orderBy('id')
      .forUpdate()
      .skipLocked()
      .execute();
    const taken: typeof candidates = [];
    const lines: string[] = [];
    for (const row of candidates) {
      const next = [...lines, ...(row.fold_lines ?? [])];
      if (taken.length > 0 && !fits(next)) break;
      taken.push(row);
      lines.splice(0, lines.length, ...next);
    }
    const first = taken[0];
    if (!first || taken.length < 2) return { row: null, folded: 0 };
    const mentions = [...new Set(taken.flatMap((row) => (row.body as { text?: { mentioned_list?: string[] } }).text?.mentioned_list ?? []))];
    const inserted = (await tx
      .insertInto('outbox')
      .values({
        bot_id: botId,
        channel: first.channel,
        chat_id: chatId,
        body: JSON.stringify(build(lines, mentions)),
        fold_lines: lines,
        next_attempt_at: first.created_at,
        created_at: first.created_at,
      })
      .returning(PENDING_COLUMNS)
      .executeTakeFirstOrThrow()) as PendingRow;
    await tx
      .updateTable('outbox')
      .set({ status: 'folded', folded_into: inserted.id })
      .where('id', 'in', taken.map((row) => row.id))
      .execute();
    return { row: inserted, folded: taken.length };
  });
}

/**
 * Leases rows to this sender, only while it holds the bot's lease at `fence.epoch` (a holder that lost it claims
 * nothing). The lease is the record that an attempt is about to be made: a row found leased by a vanished sender (or by
 * this one before a database failure hid the outcome) is marked possibly sent. Rows leased by another live sender, or
 * locked right now, are skipped.
 */
export async function claim(db: Db, ids: number[], fence: Fence, leaseMs: number): Promise<PendingRow[]> {
  if (ids.length === 0) return [];
  const owner = fence.holder;
  const rows = await db
    .updateTable('outbox')
    .set({
      locked_by: owner,
      locked_until: sql`now() + ${leaseMs} * interval '1 millisecond'`,
      possibly_sent: sql`possibly_sent OR locked_by IS NOT NULL`,
    })
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('wecom_leases')
          .select('epoch')
          .where('bot_id', '=', fence.botId)
          .where('holder', '=', owner)
          .where('epoch', '=', fence.epoch)
          .where('expires_at', '>', sql<Date>`now()`),
      ),
    )
    .where(
      'id',
      'in',
      db
        .selectFrom('outbox')
        .select('id')
        .where('id', 'in', ids)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`), eb('locked_by', '=', owner)]))
        .forUpdate()
        .skipLocked(),
    )
    .returning(PENDING_COLUMNS)
    .execute();
  return rows as PendingRow[];
}

export interface AttemptResult {
  status: 'pending' | 'sent' | 'failed' | 'waiting';
  attempt: OutboxAttempt;
  errcode: number;
  error: string | null;
  nextAttemptAt?: Date;
  sentAt?: Date;
  /** A reply whose req_id expired continues as a push to the same chat. */
  asPush?: boolean;
  /** The attempt's answer was lost after it left: WeCom may have it, so the next attempt is marked. */
  possiblySent?: boolean;
}

/**
 * Records attempts and releases their leases, many rows in one statement (outcomes are recorded in groups); a row
 * another sender took over meanwhile is left as it is.
 */
export async function recordAttempts(db: Db, owner: string, results: { id: number; result: AttemptResult }[]): Promise<void> {
  if (results.length === 0) return;
  const values = results.map(({ id, result }) => ({
    id,
    status: result.status,
    attempt: [result.attempt],
    errcode: result.errcode,
    error: result.error,
    next_at: result.nextAttemptAt?.toISOString() ?? null,
    sent_at: result.sentAt?.toISOString() ?? null,
    as_push: result.asPush ?? false,
    possibly_sent: result.possiblySent ?? false,
  }));
  await sql`
    UPDATE outbox o SET
      status = v.status,
      attempts = o.attempts + 1,
      attempt_log = o.attempt_log || v.attempt,
      last_errcode = v.errcode,
      last_error = v.error,
      locked_by = NULL,
      locked_until = NULL,
      next_attempt_at = coalesce(v.next_at, o.next_attempt_at),
      sent_at = coalesce(v.sent_at, o.sent_at),
      channel = CASE WHEN v.as_push THEN 'push' ELSE o.channel END,
      req_id = CASE WHEN v.as_push THEN NULL ELSE o.req_id END,
      possibly_sent = o.possibly_sent OR v.possibly_sent
    FROM jsonb_to_recordset(${JSON.stringify(values)}::jsonb) AS v(id bigint, status text, attempt jsonb, errcode integer,
      error text, next_at timestamptz, sent_at timestamptz, as_push boolean, possibly_sent boolean)
    WHERE o.id = v.id AND o.locked_by = ${owner}`.execute(db);
}

/**
 * A new holder frees the leases of earlier ones (dead, or fenced off): each such row was in flight, so it is marked
 * possibly sent. Rows queued before messages carried their bot are adopted by a real bot (never by the sandbox).
 */
export async function releaseLeases(db: Db, owner: string, botId: string, adoptUnowned: boolean): Promise<number> {
  if (adoptUnowned) await db.updateTable('outbox').set({ bot_id: botId }).where('bot_id', 'is', null).where('status', '=', 'pending').execute();
  const result = await db
    .updateTable('outbox')
    .set({ locked_by: null, locked_until: null, possibly_sent: true })
    .where('bot_id', '=', botId)
    .where('status', '=', 'pending')
    .where('locked_by', 'is not', null)
    .where('locked_by', '<>', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** What WeCom accepted since `since`, per conversation: the start of the rate windows. */
export async function recentSends(db: Db, botId: string, since: Date): Promise<{ chat_id: string; sent_at: Date }[]> {
  return db
    .selectFrom('outbox')
    .select(['chat_id', 'sent_at'])
    .where('status', '=', 'sent')
    .where('bot_id', '=', botId)
    .where('sent_at', '>', since)
    .orderBy('sent_at')
    .execute() as Promise<{ chat_id: string; sent_at: Date }[]>;
}

