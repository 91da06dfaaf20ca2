import type Router from '@koa/router';
import { z } from 'zod';
import type { WorkCalendar } from '../calendar/calendar';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { OrgSource } from '../domain/org/store';
import { slaBoard, spanText, URGENCY_NAMES, type Urgency } from '../domain/reports/board';
import { KIND_LIST } from '../domain/tickets/machine';
import { silentGroups, undeliveredTickets } from '../domain/heard-chats';
import { parseQuery } from './errors';

const boardQuery = z.object({
  unit: z.string().min(1).max(64).optional(),
  kind: z.enum(KIND_LIST).optional(),
  area: z.string().min(1).max(40).optional(),
});

export interface BoardRouteDeps {
  db: Db;
  calendar: WorkCalendar;
  clock: Clock;
  orgs: OrgSource;
}

/**
 * The console's live view: who is signed in and the app clock (the sandbox may run ahead of the wall clock, so the page
 * counts down from `now`, never from the browser's time), and the SLA board it polls.
 */
export function boardRoutes(api: Router, deps: BoardRouteDeps): void {
  api.get('/session', (ctx) => {
    ctx.body = { now: deps.clock.now(), role: ctx.state.role };
  });
  api.get('/board', async (ctx) => {
    const filter = parseQuery(boardQuery, ctx.query);
    const now = deps.clock.now();
    const org = await deps.orgs.current(deps.db);
    const items = await slaBoard(deps.db, org, deps.calendar, now, filter);
    const [waiting, silent] = await Promise.all([undeliveredTickets(deps.db), silentGroups(deps.db, org)]);
    const chatName = (chatId: string) => org.doc.units.find((u) => u.chatId === chatId)?.name ?? chatId;
    ctx.set('cache-control', 'no-store');
    ctx.body = {
      now,
      groups: (Object.keys(URGENCY_NAMES) as Urgency[]).map((urgency) => ({
        urgency,
        name: URGENCY_NAMES[urgency],
        items: items
          .filter((item) => item.urgency === urgency)
          .map((item) => ({
            ...item,
            lateness: item.remainingMs <= 0 ? `超时 ${spanText(item.remainingMs)}` : null,
            // The card was refused by a group nobody has @-ed the bot in; it is kept and goes out when someone does.
            undelivered: (waiting.get(item.no) ?? []).map(chatName),
          })),
      })),
      notActivated: silent.map((g) => g.unit),
      filters: {
        units: org.doc.units.map((u) => ({ id: u.id, name: u.name })),
        areas: org.areaNames(),
      },
    };
  });
}
