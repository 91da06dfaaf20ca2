import type Router from '@koa/router';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { OrgSource } from '../domain/org/store';
import { assessMonth, missedOf, previousMonth, type UnitAssessment } from '../domain/reports/assessment';
import { LIMITS, limitName } from '../domain/sla/limits';
import { listPolicies } from '../domain/sla/policies';
import { KINDS, STATES } from '../domain/tickets/machine';
import type { Ticket } from '../domain/tickets/session';
import { listTickets } from '../domain/tickets/store';
import { parseQuery } from './errors';
import { monthQuery } from './report-routes';
import { shanghaiStamp, sendTable, type Column } from './tables';
import { ticketFilter, ticketQuery } from './ticket-routes';

/** More than a county desk opens in a year: an export is whole, never a page. */
const EXPORT_LIMIT = 50_000;
const format = z.enum(['csv', 'xlsx']);

export function exportRoutes(api: Router, deps: { db: Db; clock: Clock; orgs: OrgSource }): void {
  api.get('/exports/tickets.:format', async (ctx) => {
    const as = parseQuery(format, ctx.params.format);
    const query = parseQuery(ticketQuery, ctx.query);
    const org = await deps.orgs.current(deps.db);
    const { items } = await listTickets(deps.db, { ...ticketFilter(query), page: 1, pageSize: EXPORT_LIMIT });
    const unitName = (id: string | null) => (id ? (org.doc.units.find((u) => u.id === id)?.name ?? id) : '');
    const columns: Column<Ticket>[] = [
      { header: '单号', value: (t) => t.no },
      { header: '类型', value: (t) => KINDS[t.kind].name },
      { header: '状态', value: (t) => STATES[t.state] },
      { header: '责任单位', value: (t) => unitName(t.owner_unit_id) },
      { header: '区域', value: (t) => t.area },
      { header: '地址', value: (t) => t.address },
      { header: '内容', value: (t) => t.description },
      { header: '受理时间', value: (t) => t.created_at },
      { header: '超时时间', value: (t) => t.overdue_at },
      { header: '电压等级(kV)', value: (t) => t.voltage_kv },
    ];
    const span = query.from || query.to ? `${query.from ?? ''}至${query.to ?? ''}` : shanghaiStamp(deps.clock.now())!.slice(0, 7);
    await sendTable(ctx, as, `工单_${span}`, columns, items);
  });

  api.get('/exports/assessment.:format', async (ctx) => {
    const as = parseQuery(format, ctx.params.format);
    const query = parseQuery(monthQuery, ctx.query);
    const now = deps.clock.now();
    const report = await assessMonth(deps.db, await deps.orgs.current(deps.db), query.month ?? previousMonth(now), now);
    const measured = LIMITS.filter((limit) => report.units.some((u) => u.categories[limit.id]));
    const policies = await listPolicies(deps.db);
    const columns: Column<UnitAssessment>[] = [
      { header: '单位', value: (u) => u.name },
      ...measured.map((limit): Column<UnitAssessment> => ({
        header: `${limitName(limit, policies)}及时率`,
        value: (u) => u.categories[limit.id]?.rate ?? null,
        format: '0.0%',
      })),
      { header: '满意率', value: (u) => u.categories.satisfaction?.rate ?? null, format: '0.0%' },
      { header: '超时项数', value: missedOf },
      { header: '得分', value: (u) => u.score, format: '0.0' },
      { header: '等级', value: (u) => u.grade },
    ];
    await sendTable(ctx, as, `月度考核_${report.month}`, columns, report.units);
  });
}
