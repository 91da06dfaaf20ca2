import { sql } from 'kysely';
import type { Executor } from '../db/database';
import type { TicketTables } from '../db/schema';
import { DomainError } from './errors';
import { nextNumber, normaliseNumber, SHORT_NUMBER_PATTERN } from './numbering';
import { addressKey } from './tickets/address';
import type { Outage, Session } from './tickets/session';
import { HOUR_MS } from '../clock';
import type { Org } from './org';
import { dayAndTime } from './sla/messages';
import { recordChange, sessionActor } from './audit';
import { DESK_PUBLISHES_FROM_KV, NOTICE_LEAD_HOURS } from './regulation';

export type OutageKind = TicketTables['outages']['kind'];

/** The six kinds of outage the desk records (regulation chapter 2, 一.4). */
export const OUTAGE_KINDS: Record<OutageKind, string> = {
  planned: '计划停电',
  temporary: '临时停电',
  arrears: '欠费停电',
  fault: '故障停电',
  rationing: '拉闸限电',
  other: '其他原因停电',
};




export interface NoticeLeadTime {
  /** Hours from publication to the start of the cut, to one decimal; negative when published after it began. */
  leadHours: number;
  /** The lead time the kind requires, or null when it requires none. */
  requiredHours: number | null;
  /** Published with less than the required lead time. */
  late: boolean;
  /** For a late notice, what to tell the publisher: （通知提前量不足：计划停电应提前 7 天发布） */
  warning: string | null;
}

/** Whether an outage notice was published early enough, from published_at against starts_at. */
export function noticeLeadTime(outage: Pick<Outage, 'kind' | 'starts_at' | 'published_at'>): NoticeLeadTime {
  const leadMs = new Date(outage.starts_at).getTime() - new Date(outage.published_at).getTime();
  const requiredHours = NOTICE_LEAD_HOURS[outage.kind] ?? null;
  const late = requiredHours !== null && leadMs < requiredHours * HOUR_MS;
  return {
    leadHours: Math.round((leadMs / HOUR_MS) * 10) / 10,
    requiredHours,
    late,
    warning: late ? `（通知提前量不足：${OUTAGE_KINDS[outage.kind]}应提前 ${leadText(requiredHours)}发布）` : null,
  };
}

function leadText(hours: number): string {
  return hours % 24 === 0 && hours >= 48 ? `${hours / 24} 天` : `${hours} 小时`;
}

export interface OutageNotice {
  kind: OutageKind;
  areas: string[];
  startsAt: Date;
  restoreAt?: Date;
  cause: string;
  line?: string;
  voltageKv?: number;
  keyCustomers?: string;
  remarks?: string;
  sourceTicketId?: number;
  /** What the outage cuts (a crew's area outage, or a desk notice naming 范围); without it, its whole areas (and its line). */
  scope?: { places: string[] } | { line: string };
  /** Published although it overlaps a notice in force for the same area or line and time (确认). */
  confirmed?: boolean;
}

export async function publishOutage(session: Session, notice: OutageNotice): Promise<Outage> {
  const { org, actor } = session;
  for (const area of notice.areas) {
    if (!org.area(area)) throw new DomainError('unknown_area', `区域「${area}」不在本公司供区。可选：${org.areaNames().join('、')}`);
  }
  const fromKv = notice.voltageKv ?? DESK_PUBLISHES_FROM_KV;
  if (fromKv >= DESK_PUBLISHES_FROM_KV && notice.sourceTicketId === undefined && !org.isMember(actor.userId, org.desk.id)) {
    throw new DomainError('desk_only', `${DESK_PUBLISHES_FROM_KV}kV 及以上（或未注明电压）的停电信息由${org.desk.name}发布`);
  }
  if (notice.restoreAt && notice.restoreAt <= notice.startsAt) {
    throw new DomainError('bad_times', '预计恢复时间须晚于停电开始时间');
  }
  // A crew's on-site report is a fact, not a second notice: only notices are checked against the published ones.
  if (!notice.confirmed && notice.sourceTicketId === undefined) {
    const clash = await overlapping(session, notice);
    if (clash) {
      throw new DomainError(
        'outage_overlap',
        `与已发布的${OUTAGE_KINDS[clash.kind]} ${clash.no}（${clash.areas.join('、')}${clash.line ? `，${clash.line}` : ''}，${span(clash)}）区域或线路、时间重叠，未发布。确需另行发布请确认（指令末尾加「确认」，接口传 confirm: true）`,
      );
    }
  }
  const outage = await session.tx
    .insertInto('outages')
    .values({
      no: await nextNumber(session.tx, 'TD', session.now),
      kind: notice.kind,
      areas: notice.areas.map((name) => org.area(name)!.name),
      line: notice.line ?? null,
      voltage_kv: notice.voltageKv ?? null,
      starts_at: notice.startsAt,
      restore_at: notice.restoreAt ?? null,
      cause: notice.cause,
      key_customers: notice.keyCustomers ?? null,
      remarks: notice.remarks ?? null,
      source_ticket_id: notice.sourceTicketId ?? null,
      scope: notice.scope === undefined ? 'areas' : 'places' in notice.scope ? 'places' : 'line',
      places: notice.scope && 'places' in notice.scope ? notice.scope.places.map(addressKey) : [],
      published_by: actor.userId,
      published_at: session.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordChange(session.tx, { subject: 'outages', actor: sessionActor(session), at: session.now, before: null, after: outage });
  await session.notify.outageChanged(session, { outage, event: 'published' });
  return outage;
}

/**
 * A notice in force or announced whose time overlaps the new one's and that covers the same line, or an area of it,
 * the town it lies in, or a village in it. A notice without a restore time is in force from its start on; a new one
 * without one overlaps what is in force at its start.
 */
async function overlapping(session: Session, notice: OutageNotice): Promise<Outage | undefined> {
  const areas = notice.areas.flatMap((name) => [...session.org.areaChain(name), ...session.org.areasWithin(name)]);
  return session.tx
    .selectFrom('outages')
    .selectAll()
    .where('ended_at', 'is', null)
    .where((eb) => eb.or([eb('restore_at', 'is', null), eb('restore_at', '>', notice.startsAt)]))
    .where('starts_at', notice.restoreAt ? '<' : '<=', notice.restoreAt ?? notice.startsAt)
    .where((eb) =>
      eb.or([
        eb.and([eb('scope', '=', 'areas'), overlaps(areas)]),
        ...(notice.line === undefined ? [] : [eb('line', '=', notice.line)]),
      ]),
    )
    .orderBy('starts_at')
    .limit(1)
    .executeTakeFirst();
}

/** 10月15日 08:00 至 18:00, as a notice's time is read out. */
function span(outage: Outage): string {
  const start = dayAndTime(outage.starts_at);
  if (!outage.restore_at) return `${start} 起`;
  const restore = dayAndTime(outage.restore_at);
  return `${start} 至 ${restore.split(' ')[0] === start.split(' ')[0] ? restore.split(' ')[1] : restore}`;
}

/** Where a fault was reported, as an outage is matched against it. */
export interface ReportedPlace {
  area: string;
  addressKey: string | null;
  line: string | null;
}

/**
 * The outage in force now that explains a report at a place, most recently published first (see `explains`).
 */
export async function outageCovering(session: Session, place: ReportedPlace): Promise<Outage | undefined> {
  const inForce = await session.tx
    .selectFrom('outages')
    .selectAll()
    .where('ended_at', 'is', null)
    .where('starts_at', '<=', session.now)
    .where((eb) => eb.or([eb('restore_at', 'is', null), eb('restore_at', '>', session.now)]))
    .orderBy('published_at', 'desc')
    .execute();
  return inForce.find((outage) => explains(session.org, outage, place, session.now));
}

/**
 * Whether an outage in force explains a fault reported at a place (chapter 3, 一.2), so no crew is sent:
 * - a report naming the outage's line, always;
 * - otherwise only inside the areas the outage names, the narrowest of them (a notice over 南溪镇 and 石门村 covers
 *   石门村 only; the whole town only when it names nothing inside it), and when it names streets, villages, addresses or
 *   transformer areas (范围:人民路、建设街), only an address among them;
 * - a notice without an expected restore time only for `openOutageHours` from its start or last renewal (/停电 续期).
 */
export function explains(org: Org, outage: Outage, place: ReportedPlace, now: Date): boolean {
  if (outage.restore_at === null) {
    const since = Math.max(new Date(outage.starts_at).getTime(), outage.renewed_at ? new Date(outage.renewed_at).getTime() : 0);
    if (now.getTime() - since > org.doc.routing.openOutageHours * HOUR_MS) return false;
  }
  if (place.line !== null && outage.line === place.line) return true;
  if (outage.scope === 'line') return false;
  const chain = org.areaChain(place.area);
  const narrowest = outage.areas.filter((a) => !outage.areas.some((b) => b !== a && org.areaChain(b).includes(a)));
  if (!narrowest.some((a) => chain.includes(a))) return false;
  return outage.scope === 'areas' || outage.places.some((p) => (place.addressKey ?? '').includes(p));
}

/** Outages in force or announced for an area, for a 查询 about power cuts. */
export async function outagesFor(session: Session, area: string | undefined): Promise<Outage[]> {
  let query = session.tx
    .selectFrom('outages')
    .selectAll()
    .where('ended_at', 'is', null)
    .where((eb) => eb.or([eb('restore_at', 'is', null), eb('restore_at', '>', session.now)]));
  if (area !== undefined) query = query.where(overlaps(session.org.areaChain(area)));
  return query.orderBy('starts_at').limit(10).execute();
}

/** A fault outage made from an on-site report ends when that repair is completed; returns those it ended. */
export async function endOutagesOf(session: Session, ticketId: number): Promise<Outage[]> {
  const ended = await session.tx
    .updateTable('outages')
    .set({ ended_at: session.now })
    .where('source_ticket_id', '=', ticketId)
    .where('ended_at', 'is', null)
    .returningAll()
    .execute();
  return announceEnded(session, ended);
}

/**
 * Notices whose expected restore time has passed end at that time, without anyone having to say so; returns them.
 * Rows another process is ending right now are left to it.
 */
export async function endOutagesDue(session: Session): Promise<Outage[]> {
  const due = session.tx
    .selectFrom('outages')
    .select('id')
    .where('ended_at', 'is', null)
    .where('restore_at', '<=', session.now)
    .forUpdate()
    .skipLocked();
  const ended = await session.tx
    .updateTable('outages')
    .set((eb) => ({ ended_at: eb.ref('restore_at') }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return announceEnded(session, ended.sort((a, b) => a.id - b.id));
}

async function announceEnded(session: Session, ended: Outage[]): Promise<Outage[]> {
  for (const outage of ended) {
    const before = { ...outage, ended_at: null };
    await recordChange(session.tx, { subject: 'outages', actor: sessionActor(session), at: session.now, before, after: outage });
    await session.notify.outageChanged(session, { outage, event: 'ended' });
  }
  return ended;
}

export interface OutageFilter {
  /** true: not ended and not yet past its expected restore (in force or announced); false: the rest. */
  active?: boolean;
  /** Outages over this area or the town it lies in. */
  area?: string;
  kind?: OutageKind;
  /** Starting at or after this instant. */
  from?: Date;
  /** Starting before this instant. */
  to?: Date;
  limit?: number;
}

/** Published outages for the admin API, newest publication first. */
export async function listOutages(executor: Executor, areaChain: string[] | undefined, now: Date, filter: OutageFilter): Promise<Outage[]> {
  let query = executor.selectFrom('outages').selectAll();
  if (filter.active !== undefined) {
    const current = sql<boolean>`(ended_at IS NULL AND (restore_at IS NULL OR restore_at > ${now}))`;
    query = query.where(filter.active ? current : sql<boolean>`NOT ${current}`);
  }
  if (areaChain !== undefined) query = query.where(overlaps(areaChain));
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.from !== undefined) query = query.where('starts_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('starts_at', '<', filter.to);
  return query
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
}

/**
 * Marks a published outage over: power is back. Ending one already ended is refused. The number may be typed in full
 * (any case, any dash) or as its tail (0003, 3), which means the newest day's notice of that tail, as for tickets.
 */
export async function endOutage(session: Session, typed: string): Promise<Outage> {
  const outage = await lockOutage(session, typed);
  const ended = await session.tx
    .updateTable('outages')
    .set({ ended_at: session.now })
    .where('id', '=', outage.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await announceEnded(session, [ended]);
  return ended;
}

/**
 * The desk confirms that a notice without an expected restore time still holds: it explains new reports for another
 * `openOutageHours` from now. A notice with a restore time needs none (it ends by itself).
 */
export async function renewOutage(session: Session, typed: string): Promise<Outage> {
  const outage = await lockOutage(session, typed);
  if (outage.restore_at !== null) {
    throw new DomainError('outage_has_restore', `停电 ${outage.no} 已有预计恢复时间（${dayAndTime(outage.restore_at)}），无需续期`);
  }
  const renewed = await session.tx.updateTable('outages').set({ renewed_at: session.now }).where('id', '=', outage.id).returningAll().executeTakeFirstOrThrow();
  await recordChange(session.tx, { subject: 'outages', actor: sessionActor(session), at: session.now, before: outage, after: renewed });
  return renewed;
}

/** A notice by its number, typed in full or as its tail, locked for a change; an ended one is refused. */
async function lockOutage(session: Session, typed: string): Promise<Outage> {
  const tail = SHORT_NUMBER_PATTERN.test(typed.trim()) ? `%-${typed.trim().padStart(4, '0')}` : undefined;
  const outage = await session.tx
    .selectFrom('outages')
    .selectAll()
    .$if(tail !== undefined, (q) => q.where('no', 'like', tail!))
    .$if(tail === undefined, (q) => q.where('no', '=', normaliseNumber(typed) ?? typed))
    // One prefix (TD) for every notice: the greatest number of a tail is the newest day's.
    .orderBy('no', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  if (!outage) throw new DomainError('outage_not_found', `没有编号为 ${typed} 的停电信息，请核对编号（例如 TD20261124-0001，当天的也可只写尾号）`);
  if (outage.ended_at !== null) throw new DomainError('outage_ended', `停电 ${outage.no} 已于此前结束`);
  return outage;
}

/** Who hears of a notice, and whether they are to announce it to the public. */
export interface OutageRecipient {
  unitId: string;
  chatId: string;
  announce: boolean;
}

/**
 * Everyone a notice concerns (chapter 2, 一.11 and 二.3; chapter 3, 四.4): the customer centres, which announce planned
 * and temporary cuts to the public; dispatch; the crews whose areas it covers (a village's crew for a notice over its
 * town); and the desk, which answers the callers.
 */
export function outageRecipients(org: Org, outage: Outage): OutageRecipient[] {
  const announces = outage.kind === 'planned' || outage.kind === 'temporary';
  const crews = outage.areas.flatMap((name) => [name, ...org.areasWithin(name)]).map((name) => org.area(name)?.unit);
  const units = [
    ...org.doc.units.filter((unit) => unit.type === 'customer_centre').map((unit) => unit.id),
    org.dispatch.id,
    ...crews.filter((id): id is string => id !== undefined),
    org.desk.id,
  ];
  return [...new Set(units)].map((id) => {
    const unit = org.unit(id);
    return { unitId: id, chatId: unit.chatId, announce: announces && unit.type === 'customer_centre' };
  });
}

function overlaps(areas: string[]) {
  return sql<boolean>`areas && ${areas}::text[]`;
}
