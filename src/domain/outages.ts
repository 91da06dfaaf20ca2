import { sql } from 'kysely';
import type { TicketTables } from '../db/schema';
import { DomainError } from './errors';
import { nextNumber } from './numbering';
import type { Outage, Session } from './tickets/session';

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

/** Outages at or above this voltage are published by the desk (chapter 2, 一.10); below it a crew unit may publish. */
export const DESK_PUBLISHES_FROM_KV = 10;

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
  return session.tx
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
      published_by: actor.userId,
      published_at: session.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The outage in force now over an area (or the town it lies in, or on the named line), most recently published first. */
export async function outageCovering(session: Session, area: string, line: string | null): Promise<Outage | undefined> {
  return session.tx
    .selectFrom('outages')
    .selectAll()
    .where('ended_at', 'is', null)
    .where('starts_at', '<=', session.now)
    .where((eb) => eb.or([eb('restore_at', 'is', null), eb('restore_at', '>', session.now)]))
    .where((eb) => {
      const byArea = overlaps(session.org.areaChain(area));
      return line === null ? byArea : eb.or([byArea, eb('line', '=', line)]);
    })
    .orderBy('published_at', 'desc')
    .limit(1)
    .executeTakeFirst();
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

/** A fault outage made from an on-site report ends when that repair is completed. */
export async function endOutagesOf(session: Session, ticketId: number): Promise<void> {
  await session.tx
    .updateTable('outages')
    .set({ ended_at: session.now })
    .where('source_ticket_id', '=', ticketId)
    .where('ended_at', 'is', null)
    .execute();
}

function overlaps(areas: string[]) {
  return sql<boolean>`areas && ${areas}::text[]`;
}
