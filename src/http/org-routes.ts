import type Router from '@koa/router';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import { orgSchema } from '../domain/org';
import type { OrgStore } from '../domain/org/store';
import { parseBody } from './errors';

/** The organisation as one document: read it, or replace it whole (a document with any inconsistency changes nothing). */
export function orgRoutes(api: Router, db: Db, clock: Clock, orgs: OrgStore): void {
  api.get('/org', async (ctx) => {
    const org = await orgs.current(db);
    ctx.body = { version: org.version, org: org.doc };
  });
  api.put('/org', async (ctx) => {
    const doc = parseBody(orgSchema, ctx.request.body);
    const org = await orgs.save(db, clock, doc);
    ctx.body = { version: org.version, org: org.doc };
  });
}
