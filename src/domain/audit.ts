import { sql } from 'kysely';
import type { Executor, Tx } from '../db/database';
import { maskCredentials } from '../secrets';

/** What an audit entry is about: the rules the desk works by, the outage notices, the knowledge base, the API tokens. */
export type AuditSubject = 'org' | 'sla_policies' | 'calendar' | 'outages' | 'faq' | 'tokens';
export const AUDIT_SUBJECTS = ['org', 'sla_policies', 'calendar', 'outages', 'faq', 'tokens'] as const satisfies readonly AuditSubject[];

export interface AuditEntry {
  subject: AuditSubject;
  /** Who: the person the API token was issued to, or the WeCom user who typed the command. */
  actor: string;
  at: Date;
  /** The whole state before the change (null when there was none) and after it. */
  before: unknown;
  after: unknown;
}

/**
 * Records a change in the transaction that makes it, so there is no change without its entry. Credentials in the
 * documents (a group robot's webhook key) are masked: the audit log is read by more people than may post as the robot.
 */
export async function recordChange(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      subject: entry.subject,
      actor: entry.actor,
      at: entry.at,
      before: entry.before === null || entry.before === undefined ? null : JSON.stringify(maskCredentials(entry.before)),
      after: JSON.stringify(maskCredentials(entry.after)),
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

/**
 * Who made a change through a session: on the API the person its token was issued to (the route puts that name in
 * `via.ref`), in chat the WeCom user who typed or tapped, by name and id.
 */
export function sessionActor(session: { actor: { userId: string; name: string }; via: { channel: string; ref: string | null } }): string {
  if (session.via.channel === 'api' && session.via.ref) return session.via.ref;
  return personActor(session.actor);
}

/** A WeCom user as the audit log names them: by name, with the userid that tells namesakes apart. */
export function personActor(person: { userId: string; name: string }): string {
  return `${person.name}（${person.userId}）`;
}
