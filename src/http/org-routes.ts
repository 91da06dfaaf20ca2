import type Router from '@koa/router';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import { recordChange } from '../domain/audit';
import { orgSchema } from '../domain/org';
import type { OrgStore } from '../domain/org/store';
import { unwakeable } from '../domain/org/wake';
import { actorOf } from './audit-routes';
import { parseBody } from './errors';

/**
 * The organisation as one document: read it, or replace it whole (a document with any inconsistency changes nothing).
 * `withoutWebhook` names the chats with no group robot, where nobody can be woken by an @.
 */
export function orgRoutes(api: Router, db: Db, clock: Clock, orgs: OrgStore): void {
  api.get('/org', async (ctx) => {
    const org = await orgs.current(db);
    ctx.body = { version: org.version, org: org.doc, withoutWebhook: unwakeable(org) };
  });
  api.put('/org', async (ctx) => {
    const doc = parseBody(orgSchema, ctx.request.body);
    const org = await db.transaction().execute(async (tx) => {
      const before = await orgs.current(tx).then((current) => current.doc, () => null);
      const saved = await orgs.save(tx, clock, doc);
      await recordChange(tx, { subject: 'org', actor: actorOf(ctx), at: clock.now(), before, after: saved.doc });
      return saved;
    });
    ctx.body = { version: org.version, org: org.doc, withoutWebhook: unwakeable(org) };
  });
}
