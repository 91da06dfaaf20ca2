import { sql } from 'kysely';
import type { Executor, Tx } from '../db/database';

/** What an audit entry is about: the rules the desk works by. */
export type AuditSubject = 'org' | 'sla_policies' | 'calendar';
export const AUDIT_SUBJECTS = ['org', 'sla_policies', 'calendar'] as const satisfies readonly AuditSubject[];

export interface AuditEntry {
  subject: AuditSubject;
  /** Who: the role of the credential used (the admin token is "admin"). */
  actor: string;
  at: Date;
  /** The whole state before the change (null when there was none) and after it. */
  before: unknown;
  after: unknown;
}

/** Records a change in the transaction that makes it, so there is no change without its entry. */
export async function recordChange(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      subject: entry.subject,
      actor: entry.actor,
      at: entry.at,
      before: entry.before === null || entry.before === undefined ? null : JSON.stringify(entry.before),
      after: JSON.stringify(entry.after),
    })
    .execute();
}

/** A page of the audit log, newest first. */
export async function listChanges(
  db: Executor,
  query: { subject?: AuditSubject | undefined; page: number; pageSize: number },
): Promise<{ items: (AuditEntry & { id: number })[]; total: number }> {
  let base = db.selectFrom('audit_log');
  if (query.subject) base = base.where('subject', '=', query.subject);
  const [rows, count] = await Promise.all([
    base
      .select(['id', 'subject', 'actor', 'at', 'before', 'after'])
      .orderBy('id', 'desc')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((row) => ({ ...row, before: row.before as unknown, after: row.after as unknown })), total: count.n };
}
