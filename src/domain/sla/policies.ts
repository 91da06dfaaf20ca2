import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../clock';
import type { Executor } from '../../db/database';
import { CONNECTION_CLASSES, type ConnectionClass, type SlaTables } from '../../db/schema';
import { withTransaction } from '../../db/transaction';
import { DomainError } from '../errors';
import { KIND_LIST, type Kind } from '../tickets/machine';

/** One time limit of the regulation, as the policy table holds it (seeded by 042_sla_policies.sql). */
export interface SlaPolicy {
  id: number;
  code: string;
  kind: Kind;
  areaClass: 'urban' | 'rural' | 'remote' | null;
  /** The connection application classes it applies to (居民, 低压, 高压单电源, 高压双电源); null: every ticket of its kind. */
  classes: ConnectionClass[] | null;
  startEvent: string;
  stopEvents: string[];
  /** Events that end the clock without meeting it (counted neither met nor missed unless already late). */
  cancelEvents: string[];
  /** One clock per ticket from the first start event: not restarted by a later one, and following the ticket's owner. */
  once: boolean;
  limitAmount: number;
  limitUnit: 'minutes' | 'working_days';
  warnFraction: number | null;
  escalateEvery: number | null;
  responsible: 'owner' | 'desk';
  sinceText: string;
  awaitedText: string;
  actionText: string;
  enabled: boolean;
}

type PolicyRow = Selectable<SlaTables['sla_policies']>;

export function toPolicy(row: PolicyRow): SlaPolicy {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    areaClass: row.area_class,
    classes: row.classes,
    startEvent: row.start_event,
    stopEvents: row.stop_events,
    cancelEvents: row.cancel_events,
    once: row.once,
    limitAmount: row.limit_amount,
    limitUnit: row.limit_unit,
    // real columns come back as binary floats (0.8 → 0.800000011920929).
    warnFraction: row.warn_fraction === null ? null : Math.round(row.warn_fraction * 1e6) / 1e6,
    escalateEvery: row.escalate_every,
    responsible: row.responsible,
    sinceText: row.since_text,
    awaitedText: row.awaited_text,
    actionText: row.action_text,
    enabled: row.enabled,
  };
}

export async function listPolicies(db: Executor): Promise<SlaPolicy[]> {
  const rows = await db.selectFrom('sla_policies').selectAll().orderBy('id').execute();
  return rows.map(toPolicy);
}

/** The enabled policies a ticket event may start: its kind, and its area class where the policy has one. */
export async function policiesStartedBy(tx: Executor, kind: Kind, startEvent: string): Promise<SlaPolicy[]> {
  const rows = await tx
    .selectFrom('sla_policies')
    .selectAll()
    .where('kind', '=', kind)
    .where('start_event', '=', startEvent)
    .where('enabled', '=', true)
    .orderBy('id')
    .execute();
  return rows.map(toPolicy);
}

const eventName = z.string().regex(/^[a-z][a-z_]{1,39}$/, '事件名只能用小写字母和 _');
const text = z.string().trim().min(1).max(200);

const policyFields = z.object({
  kind: z.enum(KIND_LIST),
  areaClass: z.enum(['urban', 'rural', 'remote']).nullable(),
  classes: z.array(z.enum(CONNECTION_CLASSES)).min(1).nullable(),
  startEvent: eventName,
  stopEvents: z.array(eventName).min(1).max(10),
  cancelEvents: z.array(eventName).max(10),
  once: z.boolean(),
  limitAmount: z.number().int().positive().max(100_000),
  limitUnit: z.enum(['minutes', 'working_days']),
  // Stored as `real`: a fraction too close to 0 or 1 underflows or rounds onto the CHECK's bounds.
  warnFraction: z.number().min(0.01, '预警比例须在 0.01 到 0.99 之间').max(0.99, '预警比例须在 0.01 到 0.99 之间').nullable(),
  escalateEvery: z.number().int().positive().max(100_000).nullable(),
  responsible: z.enum(['owner', 'desk']),
  sinceText: text,
  awaitedText: text,
  actionText: text,
  enabled: z.boolean(),
});
// A new policy may leave out what most limits do not have: classes, cancelling events, and running once per ticket.
const fullPolicy = policyFields.extend({
  code: z.string().regex(/^[a-z][a-z0-9_.-]{1,79}$/),
  classes: policyFields.shape.classes.default(null),
  cancelEvents: policyFields.shape.cancelEvents.default([]),
  once: policyFields.shape.once.default(false),
});

/**
 * `PUT /api/sla-policies`: the listed policies are added or changed, by code. A change needs only the fields that change;
 * a new code needs them all. Changes apply to clocks started afterwards; running clocks keep the deadline they began with.
 */
export const policiesInputSchema = z.object({
  policies: z.array(policyFields.partial().extend({ code: fullPolicy.shape.code })).min(1).max(500),
});

export async function savePolicies(db: Executor, clock: Clock, input: z.infer<typeof policiesInputSchema>): Promise<SlaPolicy[]> {
  await withTransaction(db, async (tx) => {
    const existing = new Map((await listPolicies(tx)).map((policy) => [policy.code, policy]));
    for (const change of input.policies) {
      const merged = fullPolicy.safeParse({ ...existing.get(change.code), ...change });
      if (!merged.success) {
        throw new DomainError('invalid_policy', `时限规则 ${change.code} 不完整或不正确：${z.prettifyError(merged.error)}`);
      }
      const p = merged.data;
      const values = {
        code: p.code,
        kind: p.kind,
        area_class: p.areaClass,
        classes: p.classes,
        start_event: p.startEvent,
        stop_events: p.stopEvents,
        cancel_events: p.cancelEvents,
        once: p.once,
        limit_amount: p.limitAmount,
        limit_unit: p.limitUnit,
        warn_fraction: p.warnFraction,
        escalate_every: p.escalateEvery,
        responsible: p.responsible,
        since_text: p.sinceText,
        awaited_text: p.awaitedText,
        action_text: p.actionText,
        enabled: p.enabled,
        updated_at: clock.now(),
      };
      await tx
        .insertInto('sla_policies')
        .values(values)
        .onConflict((conflict) => conflict.column('code').doUpdateSet(values))
        .execute();
    }
  });
  return listPolicies(db);
}
