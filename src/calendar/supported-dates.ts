import { z } from 'zod';

/**
 * The span of dates the service accepts from people and programs. Deadlines, the working-day calendar and reports
 * are about the present; a year 0001 or 9999 is a typing mistake, and far outside what `Date` arithmetic and the
 * holiday tables handle well.
 */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;
const SPAN = `${FIRST_YEAR}-01-01 至 ${LAST_YEAR}-12-31`;

function yearOk(text: string): boolean {
  const year = Number(text.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

/** A calendar day YYYY-MM-DD within the supported years; `label` names the field in the Chinese message. */
export function supportedDate(label: string) {
  return z.iso
    .date({ error: `${label}须为日期，格式如 2026-12-01` })
    .refine(yearOk, `${label}须在 ${SPAN} 之间`);
}

/** A month YYYY-MM within the supported years. */
export function supportedMonth(label: string) {
  return z
    .string({ error: `${label}应为 YYYY-MM，例如 2026-11` })
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, `${label}应为 YYYY-MM，例如 2026-11`)
    .refine(yearOk, `${label}须在 ${FIRST_YEAR}-01 至 ${LAST_YEAR}-12 之间`);
}

/** Whether an instant falls within the supported years (checked in UTC; a few hours at either end do not matter). */
export function isSupportedInstant(at: Date): boolean {
  const year = at.getUTCFullYear();
  return !Number.isNaN(year) && year >= FIRST_YEAR && year <= LAST_YEAR;
}

export const SUPPORTED_SPAN = SPAN;
