import { sql } from 'kysely';
import type { Executor } from '../../db/database';

/**
 * Site photos kept with a ticket (in PostgreSQL, so every backup holds them). A phone photo is a few MB: one file may be
 * 10 MiB, a ticket 60 MiB in all, so a crew cannot fill the database by mistake.
 */
export const PHOTO_LIMITS = { fileBytes: 10 * 1024 * 1024, ticketBytes: 60 * 1024 * 1024 } as const;

export interface PhotoInfo {
  id: number;
  size: number;
  sentBy: string;
  at: Date;
}

/** Keeps what fits the caps; says for each photo that does not fit why. */
export async function keepPhotos(
  tx: Executor,
  ticketId: number,
  photos: Buffer[],
  by: { userId: string; msgId: string; at: Date },
): Promise<{ kept: number; refused: string[] }> {
  await sql`SELECT id FROM tickets WHERE id = ${ticketId} FOR UPDATE`.execute(tx);
  const used = await tx
    .selectFrom('ticket_photos')
    .select(sql<number>`coalesce(sum(size), 0)::int`.as('bytes'))
    .where('ticket_id', '=', ticketId)
    .executeTakeFirstOrThrow();
  let total = used.bytes;
  let kept = 0;
  const refused: string[] = [];
  for (const [i, photo] of photos.entries()) {
    if (photo.length > PHOTO_LIMITS.fileBytes) {
      refused.push(`第 ${i + 1} 张超过 ${PHOTO_LIMITS.fileBytes / 1024 / 1024} MB`);
      continue;
    }
    if (total + photo.length > PHOTO_LIMITS.ticketBytes) {
      refused.push(`第 ${i + 1} 张放不下：每张工单的照片合计不超过 ${PHOTO_LIMITS.ticketBytes / 1024 / 1024} MB`);
      continue;
    }
    await tx
      .insertInto('ticket_photos')
      .values({ ticket_id: ticketId, bytes: photo, size: photo.length, sent_by: by.userId, msg_id: by.msgId, at: by.at })
      .execute();
    total += photo.length;
    kept++;
  }
  return { kept, refused };
}

export async function photosOf(tx: Executor, ticketId: number): Promise<PhotoInfo[]> {
  const rows = await tx.selectFrom('ticket_photos').select(['id', 'size', 'sent_by', 'at']).where('ticket_id', '=', ticketId).orderBy('id').execute();
  return rows.map((r) => ({ id: Number(r.id), size: r.size, sentBy: r.sent_by, at: r.at }));
}

export async function photoBytes(tx: Executor, ticketId: number, photoId: number): Promise<Buffer | undefined> {
  const row = await tx.selectFrom('ticket_photos').select('bytes').where('ticket_id', '=', ticketId).where('id', '=', photoId).executeTakeFirst();
  return row?.bytes;
}
