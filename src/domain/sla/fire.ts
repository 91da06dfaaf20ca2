import { sql } from 'kysely';
import type { Clock } from '../../clock';
import type { Db, Executor, Tx } from '../../db/database';
import type { Logger } from '../../log';
import { markdown, type Handling, type Outbound, type OutboxPort } from '../../protocol/outbound';
import type { WorkCalendar, WorkingHours } from '../../calendar/calendar';
import type { Org, UnitDoc } from '../org';
import { withWake } from '../org/wake';
import type { Kind } from '../tickets/machine';
import type { NagStep } from './deadlines';
import { duration, laterStep, nagMessage, type NagItem } from './messages';
import { overdueNowByUnit } from './overdue';
import { nagTarget, type NagTarget } from './recipients';

export interface FireDeps {
  db: Db;
  clock: Clock;
  calendar: WorkCalendar;
  hours: WorkingHours;
  logger: Logger;
  outbox: OutboxPort;
  org(executor: Executor): Promise<Org>;
  /** Called once per step fired, after commit. */
  onFired?(step: NagStep, outcome: 'sent' | 'skipped'): void;
}

interface Claimed {
  id: number;
  step: NagStep;
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
 * The steps of one batch are told per chat as one message (`consolidate`), and the desk hears what is overdue anywhere.
 */
export async function fireDue(deps: FireDeps, limit: number): Promise<number> {
  const now = deps.clock.now();
  const fired: { step: NagStep; outcome: 'sent' | 'skipped' }[] = [];
  const claimed = await deps.db.transaction().execute(async (tx) => {
    if (!deps.calendar.isWithinWorkingHours(now, deps.hours)) await deferToWorkingHours(tx, deps, now);
    const rows = await claim(tx, now, limit);
    if (rows.length === 0) return 0;
    const org = await deps.org(tx).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'SLA nags skipped: no organisation to address them to');
      return null;
    });
    const targeted = org ? rows.flatMap((row) => (overtaken(row, now) ? [] : target(deps, org, row))) : [];
    const groups = consolidate(targeted);
    for (const group of groups) {
      const [messageId] = await deps.outbox.enqueue(tx, nagOutbound(deps, org!, group, now), `sla:${group.timerIds[0]}:${group.chat.id}`);
      if (messageId !== undefined) await tx.updateTable('sla_timers').set({ message_id: messageId }).where('id', 'in', group.timerIds).execute();
    }
    if (org && targeted.some(({ row }) => row.step !== 'warn')) await queueOverdueSummary(tx, deps, org, now, rows[0]!.id);
    const sent = new Set(targeted.map(({ row }) => row.id));
    for (const row of rows) fired.push({ step: row.step, outcome: sent.has(row.id) ? 'sent' : 'skipped' });
    const skipped = rows.map((row) => row.id).filter((id) => !sent.has(id));
    if (sent.size) await tx.updateTable('sla_timers').set({ outcome: 'sent' }).where('id', 'in', [...sent]).execute();
    if (skipped.length) await tx.updateTable('sla_timers').set({ outcome: 'skipped' }).where('id', 'in', skipped).execute();
    return rows.length;
  });
  for (const { step, outcome } of fired) deps.onFired?.(step, outcome);
  return claimed;
}

interface Targeted {
  row: Claimed;
  target: NagTarget;
}

/** The steps one chat hears in one batch: one line per clock (its latest step), one @ for everyone concerned. */
interface ChatNag {
  chat: UnitDoc;
  items: Map<number, { row: Claimed; item: NagItem }>;
  mentions: Set<string>;
  timerIds: number[];
}

/**
 * Per chat, the batch's steps as one message: a clock whose breach and first escalation came due together is listed
 * once, at its later step, and its @ line wakes both the crew on duty and the leader.
 */
function consolidate(targeted: Targeted[]): ChatNag[] {
  const groups = new Map<string, ChatNag>();
  for (const { row, target } of targeted) {
    const group: ChatNag = groups.get(target.chat.id) ?? { chat: target.chat, items: new Map(), mentions: new Set(), timerIds: [] };
    groups.set(target.chat.id, group);
    group.timerIds.push(row.id);
    for (const userId of target.mentions) group.mentions.add(userId);
    const known = group.items.get(row.clock_id);
    const step = known ? laterStep(known.item.step, row.step) : row.step;
    group.items.set(row.clock_id, { row, item: { ...itemOf(row, target.unitName), step } });
  }
  return [...groups.values()];
}

/** The nag of one chat: details on the bot, the @ by the chat's group robot; dropped at its turn if no longer true. */
function nagOutbound(deps: FireDeps, org: Org, group: ChatNag, now: Date): Outbound[] {
  const entries = [...group.items.values()];
  const { texts, atLine } = nagMessage(deps.calendar, group.chat.name, entries.map((entry) => entry.item), now);
  const [first, ...rest] = texts;
  const warningsOnly = entries.every((entry) => entry.item.step === 'warn');
  const handling: Handling = {
    rank: 'nag',
    clockIds: entries.map((entry) => entry.row.clock_id),
    // A warning whose deadline has come says nothing true any more: its breach does.
    ...(warningsOnly && { staleAt: new Date(Math.min(...entries.map((entry) => entry.item.dueAt.getTime()))) }),
  };
  return [
    ...withWake(org, group.chat, { body: markdown(first!), handling }, { userIds: [...group.mentions], text: atLine, handling }),
    ...rest.map((text): Outbound => ({ channel: 'push', chatId: group.chat.chatId, body: markdown(text), handling })),
  ];
}

/** The desk's 超时统计 after a batch that chased or escalated: what is overdue now, per unit, in one message. */
async function queueOverdueSummary(tx: Tx, deps: FireDeps, org: Org, now: Date, firstTimerId: number): Promise<void> {
  const overdue = await overdueNowByUnit(tx, now);
  if (overdue.length === 0) return;
  const total = overdue.reduce((sum, unit) => sum + unit.overdue, 0);
  const lines = overdue.map(({ unitId, overdue: count, oldestDueAt }) => {
    const name = unitId ? (org.doc.units.find((unit) => unit.id === unitId)?.name ?? unitId) : org.desk.name;
    return `· ${name} ${count} 项，最久超时 ${duration(now.getTime() - oldestDueAt.getTime())}`;
  });
  const text = [`【超时汇总】当前共 ${total} 项时限超时未办：`, ...lines, '明细：/查单 单号；控制台可查全部超时工单。'].join('\n');
  await deps.outbox.enqueue(tx, { channel: 'push', chatId: org.desk.chatId, body: markdown(text), handling: { rank: 'nag' } }, `sla-summary:${firstTimerId}`);
}

/**
 * Whom a claimed step concerns, or nothing when nobody can be told. A step that cannot be addressed is skipped and
 * logged rather than left to fail every sweep and hold up the others.
 */
function target(deps: FireDeps, org: Org, row: Claimed): Targeted[] {
  try {
    const found = nagTarget(org, { kind: row.kind, responsible: row.responsible, unitId: row.unit_id }, row.step);
    if (found) return [{ row, target: found }];
    deps.logger.warn({ ticketNo: row.ticket_no, unitId: row.unit_id, step: row.step }, 'SLA nag skipped: unit unknown');
  } catch (error) {
    deps.logger.error({ err: error, ticketNo: row.ticket_no, step: row.step }, 'SLA nag could not be addressed: skipped');
  }
  return [];
}

function itemOf(row: Claimed, unitName: string): NagItem {
  return {
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
    unitName,
  };
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
           p.responsible, c.limit_amount, c.limit_unit, p.since_text, p.awaited_text, p.action_text
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
      WHERE t.fired_at IS NULL AND t.fire_at <= ${now} AND c.limit_unit = 'working_days'
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
