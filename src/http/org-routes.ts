import type Router from '@koa/router';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import { recordChange } from '../domain/audit';
import { orgSchema, type Org, type OrgDoc } from '../domain/org';
import type { OrgStore } from '../domain/org/store';
import { unwakeable } from '../domain/org/wake';
import { maskCredentials, maskSecret } from '../secrets';
import { actorOf } from './audit-routes';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DomainError } from '../domain/errors';
import { bindUnitChat } from '../domain/org/binding';
import { orgFromTables, tablesFromOrg, UNBOUND_PREFIX } from '../domain/org/tables';
import { ApiError, parseBody, parseQuery } from './errors';
import { readCsv, readXlsx, unknownTables, writeCsv, writeXlsx, XLSX_TYPE } from './org-files';

/**
 * The organisation as one document: read it, or replace it whole (a document with any inconsistency changes nothing).
 * `withoutWebhook` names the chats with no group robot, where nobody can be woken by an @. A robot's webhook key is a
 * credential: it is written here and never read back (shown as its last four characters); a document sent back with a
 * key still masked keeps the key in force.
 */
export function orgRoutes(api: Router, db: Db, clock: Clock, orgs: OrgStore): void {
  api.get('/org', async (ctx) => {
    ctx.body = present(await orgs.current(db));
  });
  api.put('/org', async (ctx) => {
    const sent = parseBody(orgSchema, ctx.request.body);
    const org = await db.transaction().execute(async (tx) => {
      const before = await orgs.current(tx).then((current) => current.doc, () => null);
      const doc = before ? keepMaskedKeys(sent, before) : sent;
      const saved = await orgs.save(tx, clock, doc);
      await recordChange(tx, { subject: 'org', actor: actorOf(ctx), at: clock.now(), before, after: saved.doc });
      return saved;
    });
    ctx.body = present(org);
  });

  // Units, areas and people from a spreadsheet (XLSX or CSV), all or nothing, with every row's problems when refused.
  api.post('/org/import', async (ctx) => {
    const body = ctx.request.body;
    const rows = Buffer.isBuffer(body) ? await readXlsx(body).catch(() => undefined) : typeof body === 'string' ? readCsv(body) : undefined;
    if (!rows) throw new ApiError(400, 'invalid_file', '请上传 XLSX（工作表：单位、区域、人员）或 CSV（第一列为「表」）文件');
    const unknown = unknownTables(rows);
    const current = await orgs.current(db).then((org) => org.doc, () => undefined);
    const base = current ?? (await exampleBase());
    const built = unknown.length ? { problems: unknown } : orgFromTables(rows, base);
    if ('problems' in built) {
      const report = built.problems.map((p) => (p.row === null ? p.problem : `${p.table} 第 ${p.row} 行：${p.problem}`)).join('\n');
      throw new ApiError(400, 'invalid_org_file', `导入失败，组织机构没有改动：\n${report}`, { problems: built.problems });
    }
    const org = await db.transaction().execute(async (tx) => {
      // An exported file carries masked keys: importing it back keeps the keys in force.
      const saved = await orgs.save(tx, clock, current ? keepMaskedKeys(built.doc, current) : built.doc);
      await recordChange(tx, { subject: 'org', actor: actorOf(ctx), at: clock.now(), before: current ?? null, after: saved.doc });
      return saved;
    });
    ctx.body = {
      version: org.version,
      imported: { units: org.doc.units.length, areas: org.doc.areas.length, people: org.doc.units.reduce((n, u) => n + u.members.length, 0) },
      // Groups whose chat id is not known yet: someone there types `@机器人 /绑定 单位名称`.
      unbound: org.doc.units.filter((u) => u.chatId.startsWith(UNBOUND_PREFIX)).map((u) => u.name),
    };
  });

  api.get('/org/export', async (ctx) => {
    const { format } = parseQuery(exportQuery, ctx.query);
    const tables = tablesFromOrg(maskCredentials((await orgs.current(db)).doc));
    ctx.set('content-disposition', `attachment; filename="org.${format}"; filename*=UTF-8''${encodeURIComponent(`组织机构.${format}`)}`);
    ctx.set('cache-control', 'no-store');
    if (format === 'csv') {
      ctx.type = 'text/csv; charset=utf-8';
      ctx.body = writeCsv(tables);
    } else {
      ctx.type = XLSX_TYPE;
      ctx.body = await writeXlsx(tables);
    }
  });

  // The console's way to bind a unit's group (the group may also bind itself with `/绑定`).
  api.post('/org/bind', async (ctx) => {
    const { unit, chatId } = parseBody(bindBody, ctx.request.body);
    const bound = await db.transaction().execute(async (tx) => {
      try {
        return await bindUnitChat(tx, clock, await orgs.current(tx), unit, chatId, { admin: actorOf(ctx) });
      } catch (error) {
        if (error instanceof DomainError) throw new ApiError(400, error.code, error.message);
        throw error;
      }
    });
    ctx.body = { unit: bound.unit.name, chatId: bound.unit.chatId, moved: bound.moved };
  });
}

const exportQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') });
const bindBody = z.object({ unit: z.string().trim().min(1).max(40), chatId: z.string().trim().min(1).max(128) });

/** A county's first import, before any organisation exists: routing and specialists start from the example's. */
async function exampleBase(): Promise<OrgDoc> {
  const text = await readFile(new URL('../../config/org.example.json', import.meta.url), 'utf8');
  return orgSchema.parse(JSON.parse(text));
}

function present(org: Org) {
  return { version: org.version, org: maskCredentials(org.doc), withoutWebhook: unwakeable(org) };
}

/** A unit whose key is sent as its own masked form keeps the key it has. */
function keepMaskedKeys(doc: OrgDoc, current: OrgDoc): OrgDoc {
  const keys = new Map(current.units.flatMap((unit) => (unit.webhookKey ? [[unit.id, unit.webhookKey] as const] : [])));
  return {
    ...doc,
    units: doc.units.map((unit) => {
      const kept = keys.get(unit.id);
      return kept && unit.webhookKey === maskSecret(kept) ? { ...unit, webhookKey: kept } : unit;
    }),
  };
}
