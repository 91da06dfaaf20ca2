import type Router from '@koa/router';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import { recordChange } from '../domain/audit';
import { orgSchema, type Org, type OrgDoc } from '../domain/org';
import type { OrgStore } from '../domain/org/store';
import { unwakeable } from '../domain/org/wake';
import { maskCredentials, maskSecret } from '../secrets';
import { actorOf } from './audit-routes';
import { parseBody } from './errors';

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
