import type Router from '@koa/router';
import { photoBytes, photosOf } from '../domain/tickets/photos';
import { z } from 'zod';
import type { Db } from '../db/database';
import { fromShanghai, type WorkCalendar } from '../calendar/calendar';
import { supportedDate } from '../calendar/supported-dates';
import { KINDS, KIND_LIST, STATES, type State } from '../domain/tickets/machine';
import type { Ticket } from '../domain/tickets/session';
import { findTicket, listTickets, ticketEvents } from '../domain/tickets/store';
import type { OrgSource } from '../domain/org/store';
import { ticketTimeline } from '../domain/reports/timeline';
import { ApiError, parseQuery } from './errors';
import { DAY_MS, type Clock } from '../clock';
import { runningClocks } from '../domain/sla';
import { forUnit } from '../domain/tickets/work-orders';
import type { Org } from '../domain/org';
import type { ApiRole } from '../domain/api-tokens';


export const ticketQuery = z.object({
  kind: z.enum(KIND_LIST).optional(),
  state: z.enum(Object.keys(STATES) as [State, ...State[]]).optional(),
  unit: z.string().min(1).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** Opened on or after this Shanghai day. */
  from: supportedDate('from ').optional(),
  /** Opened on or before this Shanghai day. */
  to: supportedDate('to ').optional(),
});
const listQuery = ticketQuery.extend({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** The list filter with Shanghai days as instants: `to` covers the whole day. */
export function ticketFilter<Q extends z.infer<typeof ticketQuery>>(query: Q) {
  return {
    ...query,
    from: query.from ? fromShanghai(query.from) : undefined,
    to: query.to ? new Date(fromShanghai(query.to).getTime() + DAY_MS) : undefined,
  };
}

const oneQuery = z.object({ unit: z.string().min(1).optional() });

/**
 * Tickets for the console and reports: a filtered, paged list, and one ticket with its raw events and its timeline
 * (events, nags and escalations, and each clock). A list for one unit (`unit=`), one ticket viewed as a unit, and anything read
 * with the leaders' token are not the desk's view: a 举报's reporter is left out unless the unit is the desk or the
 * department handling reports.
 */
export function ticketRoutes(api: Router, deps: { db: Db; clock: Clock; orgs: OrgSource; calendar: WorkCalendar }): void {
  const { db } = deps;
  api.get('/tickets', async (ctx) => {
    const query = parseQuery(listQuery, ctx.query);
    const org = await deps.orgs.current(db);
    const { items, total } = await listTickets(db, ticketFilter(query));
    ctx.body = { items: items.map((ticket) => present(forUnit(org, ticket, viewer(ctx.state.role, org, query.unit)))), total, page: query.page, pageSize: query.pageSize };
  });
  api.get('/tickets/:no', async (ctx) => {
    const { unit } = parseQuery(oneQuery, ctx.query);
    const ticket = await findTicket(db, ctx.params.no!);
    const now = deps.clock.now();
    const org = await deps.orgs.current(db);
    const [events, clocks, timeline] = await Promise.all([
      ticketEvents(db, ticket.id),
      runningClocks(db, deps.calendar, ticket.id, now),
      ticketTimeline(db, org, ticket, now),
    ]);
    const photos = (await photosOf(db, ticket.id)).map((p) => ({ ...p, url: `/api/tickets/${encodeURIComponent(ticket.no)}/photos/${p.id}` }));
    ctx.body = { now, ticket: present(forUnit(org, ticket, viewer(ctx.state.role, org, unit))), events, clocks, timeline: timeline.entries, limits: timeline.clocks, photos };
  });

  // A site photo's bytes, for the console's thumbnails (read with the same token as the rest of the API).
  api.get('/tickets/:no/photos/:id', async (ctx) => {
    const ticket = await findTicket(db, ctx.params.no!);
    const id = Number(ctx.params.id);
    const bytes = Number.isSafeInteger(id) ? await photoBytes(db, ticket.id, id) : undefined;
    if (!bytes) throw new ApiError(404, 'photo_not_found', '没有这张照片');
    ctx.type = sniffImageType(bytes);
    ctx.set('cache-control', 'private, max-age=86400');
    ctx.body = bytes;
  });
}

/** JPEG, PNG, GIF or WebP by their first bytes; anything else is served as bytes to download. */
function sniffImageType(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === '\x89PNG') return 'image/png';
  if (bytes.subarray(0, 3).toString('latin1') === 'GIF') return 'image/gif';
  if (bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return 'application/octet-stream';
}

/** Whose view a request is: the leaders' with their read-only token, a unit's when it names one, else the desk's. */
function viewer(role: ApiRole | undefined, org: Org, unit: string | undefined): string | undefined {
  return role === 'leader' ? org.coordinator.unit.id : unit;
}

/** A ticket row with the Chinese names of its kind and state beside the codes. */
export function present(ticket: Ticket) {
  return { ...ticket, kindName: KINDS[ticket.kind].name, stateName: STATES[ticket.state] };
}
