import { sql } from 'kysely';
import type { Executor } from '../db/database';
import { shanghaiDate } from '../calendar/calendar';

/**
 * The next readable number for a prefix on the Shanghai day of `at`: GZ20261124-0007, read over the phone as
 * "GZ, date, seven". The upsert locks the day's counter row until the caller's transaction ends, so concurrent
 * openings queue for it and never share a number, and a rolled-back opening leaves no gap.
 */
export async function nextNumber(tx: Executor, prefix: string, at: Date): Promise<string> {
  const day = shanghaiDate(at);
  const { last } = await tx
    .insertInto('number_sequences')
    .values({ prefix, day, last: 1 })
    .onConflict((conflict) => conflict.columns(['prefix', 'day']).doUpdateSet({ last: sql`number_sequences.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return `${prefix}${day.replaceAll('-', '')}-${String(last).padStart(4, '0')}`;
}

/** Ticket and outage numbers as people type them: any case, any dash. */
export const NUMBER_PATTERN = /^([A-Za-z]{2})(\d{8})[-_—]?(\d{4,})$/;

/** The tail of a number alone (0004, 4): what people type for a ticket of today. */
export const SHORT_NUMBER_PATTERN = /^\d{1,4}$/;

export function normaliseNumber(text: string): string | undefined {
  const match = NUMBER_PATTERN.exec(text.trim());
  return match ? `${match[1]!.toUpperCase()}${match[2]}-${match[3]}` : undefined;
}
