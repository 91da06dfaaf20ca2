import { sql } from 'kysely';
import type { Db, Executor, Tx } from '../db/database';

/** The inbox table: every frame WeCom delivered, keyed by its msgid, until it is handled. */

export interface NewInboxRow {
  dedupeKey: string;
  kind: 'text' | 'tap';
  reqId: string;
  chatId: string;
  userId: string;
  frame: unknown;
  receivedAt: Date;
}

/**
 * Records frames in one statement (one commit for a whole group that arrived together). Returns each frame's new row
 * id in order, or undefined for a frame whose msgid was recorded before (a redelivery, or a journal read back) or that
 * repeats an earlier frame of the same group.
 */
export async function insertFrames(db: Executor, rows: NewInboxRow[]): Promise<(number | undefined)[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto('inbox')
    .values(
      rows.map((row) => ({
        dedupe_key: row.dedupeKey,
        kind: row.kind,
        req_id: row.reqId,
        chat_id: row.chatId,
        user_id: row.userId,
        frame: JSON.stringify(row.frame),
        received_at: row.receivedAt,
      })),
    )
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .returning(['id', 'dedupe_key'])
    .execute();
  const ids = new Map(inserted.map((row) => [row.dedupe_key, row.id]));
  return rows.map((row) => {
    const id = ids.get(row.dedupeKey);
    ids.delete(row.dedupeKey);
    return id;
  });
}

/**
 * Marks a row handled (or, with `failed`, given up) as the first statement of the transaction that handles it, which
 * also locks it: false when it was handled already, here or by another process. A rollback undoes the mark.
 */
export async function claimForHandling(tx: Tx, id: number, at: Date, failed = false): Promise<boolean> {
  const row = await tx
    .updateTable('inbox')
    .set(failed ? { handled_at: at, failed_at: at } : { handled_at: at, attempts: sql`attempts + 1` })
    .where('id', '=', id)
    .where('handled_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Counts a failed handling (outside the rolled-back transaction); returns the attempts so far. */
export async function recordFailure(db: Db, id: number, error: string): Promise<number> {
  const row = await db
    .updateTable('inbox')
    .set({ attempts: sql`attempts + 1`, last_error: error })
    .where('id', '=', id)
    .returning('attempts')
    .executeTakeFirstOrThrow();
  return row.attempts;
}

/** Rows received but never handled (the process died, or the database failed mid-way), oldest first. */
export async function unhandledRows(db: Db): Promise<{ id: number; frame: unknown; received_at: Date }[]> {
  return db
    .selectFrom('inbox')
    .select(['id', 'frame', 'received_at'])
    .where('handled_at', 'is', null)
    .orderBy('id')
    .execute();
}
