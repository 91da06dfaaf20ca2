import { sql } from 'kysely';
import type { Clock } from '../../clock';
import type { Db, Executor, Tx } from '../../db/database';
import type { Logger } from '../../log';
import { markdown, type OutboxPort } from '../../protocol/outbound';
import type { WorkCalendar, WorkingHours } from '../../calendar/calendar';
import type { Org } from '../org';
import type { Kind } from '../tickets/machine';
import type { Step } from './deadlines';
import { nagText } from './messages';
import { nagTarget } from './recipients';

export interface FireDeps {
  db: Db;
  clock: Clock;
  calendar: WorkCalendar;
  hours: WorkingHours;
  logger: Logger;
  outbox: OutboxPort;
  org(executor: Executor): Promise<Org>;
  /** Called once per step fired, after commit. */
  onFired?(step: Step, outcome: 'sent' | 'skipped'): void;
}

interface Claimed {
  id: number;
  step: Step;
  clock_id: number;
  ticket_id: number;
  ticket_no: string;
  kind: Kind;
  unit_id: string | null;
  started_at: Date;
  due_at: Date;
  responsible: 'owner' | 'desk';
  limit_amount: number;
  limit_unit: 'minutes' | 'working_days';
  since_text: string;
  awaited_text: string;
  action_text: string;
}

/**
 * Fires up to `limit` due steps in one transaction and returns how many it claimed (a full batch: call again).
 * A step is claimed with `UPDATE … WHERE fired_at IS NULL` on rows locked with SKIP LOCKED, together with its ticket's
 * row, and its message is queued in the same transaction: whichever process or job gets there first sends it, once.
 * Locking the ticket too (without waiting) keeps a nag from crossing the transition that ends it: while a crew's
 * 到达 is being recorded, the arrival nag waits for the next sweep, which finds it gone.
 */
export async function fireDue(deps: FireDeps, limit: number): Promise<number> {
  const now = deps.clock.now();
  const fired: { step: Step; outcome: 'sent' | 'skipped' }[] = [];
  const claimed = await deps.db.transaction().execute(async (tx) => {
    if (!deps.calendar.isWithinWorkingHours(now, deps.hours)) await deferToWorkingHours(tx, deps, now);
    const rows = await claim(tx, now, limit);
    if (rows.length === 0) return 0;
    const org = await deps.org(tx).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'SLA nags skipped: no organisation to address them to');
      return null;
    });
    const sent: number[] = [];
    for (const row of rows) {
      const nag = org && !overtaken(row, now) ? compose(deps, org, row, now) : null;
      if (nag) {
        await deps.outbox.enqueue(tx, { channel: 'push', chatId: nag.chatId, body: markdown(nag.text) }, `sla:${row.id}`);
        sent.push(row.id);
      }
      fired.push({ step: row.step, outcome: nag ? 'sent' : 'skipped' });
    }
    const skipped = rows.map((row) => row.id).filter((id) => !sent.includes(id));
    if (sent.length) await tx.updateTable('sla_timers').set({ outcome: 'sent' }).where('id', 'in', sent).execute();
    if (skipped.length) await tx.updateTable('sla_timers').set({ outcome: 'skipped' }).where('id', 'in', skipped).execute();
    return rows.length;
  });
  for (const { step, outcome } of fired) deps.onFired?.(step, outcome);
  return claimed;
}

/**
 * The nag of a claimed step, or null when nobody can be told. A step that cannot be composed is skipped and logged
 * rather than left to fail every sweep and hold up the others.
 */
function compose(deps: FireDeps, org: Org, row: Claimed, now: Date): { chatId: string; text: string } | null {
  try {
    const target = nagTarget(org, { kind: row.kind, responsible: row.responsible, unitId: row.unit_id }, row.step);
    if (!target) {
      deps.logger.warn({ ticketNo: row.ticket_no, unitId: row.unit_id, step: row.step }, 'SLA nag skipped: unit unknown');
      return null;
    }
    const text = nagText(deps.calendar, {
      step: row.step,
      ticketNo: row.ticket_no,
      policy: {
        sinceText: row.since_text,
        awaitedText: row.awaited_text,
        actionText: row.action_text,
        limitAmount: row.limit_amount,
        limitUnit: row.limit_unit,
      },
      startedAt: row.started_at,
      dueAt: row.due_at,
      now,
      mentions: target.mentions,
      unitName: target.unitName,
    });
    return { chatId: target.chatId, text };
  } catch (error) {
    deps.logger.error({ err: error, ticketNo: row.ticket_no, step: row.step }, 'SLA nag could not be composed: skipped');
    return null;
  }
}

/** A warning that comes after its deadline has nothing left to warn about. */
function overtaken(row: Claimed, now: Date): boolean {
  return row.step === 'warn' && now >= row.due_at;
}

async function claim(tx: Tx, now: Date, limit: number): Promise<Claimed[]> {
  const { rows } = await sql<Claimed>`
    WITH due AS (
      SELECT t.id FROM sla_timers t
      JOIN sla_clocks c ON c.id = t.clock_id
      JOIN tickets k ON k.id = c.ticket_id
      WHERE t.fired_at IS NULL AND t.fire_at <= ${now}
      ORDER BY t.fire_at
      LIMIT ${limit}
      FOR UPDATE OF t, k SKIP LOCKED
    ), fired AS (
      UPDATE sla_timers t SET fired_at = ${now}
      FROM due WHERE t.id = due.id AND t.fired_at IS NULL
      RETURNING t.id, t.step, t.clock_id, t.fire_at
    )
    SELECT f.id, f.step, f.clock_id, c.ticket_id, k.no AS ticket_no, k.kind, c.unit_id, c.started_at, c.due_at,
           p.responsible, p.limit_amount, p.limit_unit, p.since_text, p.awaited_text, p.action_text
    FROM fired f
    JOIN sla_clocks c ON c.id = f.clock_id
    JOIN sla_policies p ON p.id = c.policy_id
    JOIN tickets k ON k.id = c.ticket_id
    ORDER BY f.fire_at, f.id
  `.execute(tx);
  return rows;
}

/** Outside working hours, due steps of working-day limits move to the next working period instead of firing. */
async function deferToWorkingHours(tx: Tx, deps: FireDeps, now: Date): Promise<void> {
  await sql`
    WITH waiting AS (
      SELECT t.id FROM sla_timers t
      JOIN sla_clocks c ON c.id = t.clock_id
      JOIN sla_policies p ON p.id = c.policy_id
      WHERE t.fired_at IS NULL AND t.fire_at <= ${now} AND p.limit_unit = 'working_days'
      FOR UPDATE OF t SKIP LOCKED
    )
    UPDATE sla_timers t SET fire_at = ${deps.calendar.nextWorkingTime(now, deps.hours)} FROM waiting WHERE t.id = waiting.id
  `.execute(tx);
}

/** The earliest step still to fire, for waking up exactly then. */
export async function nextFireAt(db: Executor): Promise<Date | null> {
  const row = await db
    .selectFrom('sla_timers')
    .select((eb) => eb.fn.min('fire_at').as('next'))
    .where('fired_at', 'is', null)
    .executeTakeFirst();
  return row?.next ?? null;
}
