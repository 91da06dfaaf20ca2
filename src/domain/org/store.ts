import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../clock';
import type { Db, Executor } from '../../db/database';
import { withTransaction } from '../../db/transaction';
import type { Logger } from '../../log';
import { DomainError } from '../errors';
import { OPEN_STATES } from '../tickets/machine';
import { Org, orgSchema, type OrgDoc } from './index';

/** Serialises first-start seeding between processes starting together. */
const SEED_LOCK = 7_239_530;

/** Where a service reads the organisation in force, in its own transaction. */
export interface OrgSource {
  current(executor: Executor): Promise<Org>;
}

/**
 * Reads the current organisation, parsing each version once. One store per process; every reader shares it,
 * and a version saved by another process is picked up on the next read.
 */
export class OrgStore implements OrgSource {
  private cached: Org | undefined;

  async current(executor: Executor): Promise<Org> {
    const latest = await executor.selectFrom('org_versions').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (!latest) throw new DomainError('org_missing', '组织机构尚未配置，请管理员通过 PUT /api/org 导入');
    if (this.cached?.version !== latest.id) {
      const row = await executor.selectFrom('org_versions').select(['id', 'doc']).where('id', '=', latest.id).executeTakeFirstOrThrow();
      this.cached = new Org(row.id, orgSchema.parse(row.doc));
    }
    return this.cached;
  }

  /** Replaces the organisation (see `saveOrg`) and keeps it as this store's current version. */
  async save(executor: Executor, clock: Clock, doc: OrgDoc): Promise<Org> {
    this.cached = await saveOrg(executor, clock, doc);
    return this.cached;
  }
}

/**
 * Saves a new version of the organisation. Besides the document's own consistency, a unit that still owns open tickets
 * may not disappear: its crews would lose work they are doing. Every store picks the new version up on its next read.
 */
export async function saveOrg(executor: Executor, clock: Clock, doc: OrgDoc): Promise<Org> {
  return withTransaction(executor, async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${SEED_LOCK})`.execute(tx);
    const unitIds = doc.units.map((unit) => unit.id);
    const orphaned = await tx
      .selectFrom('tickets')
      .select(['owner_unit_id', sql<number>`count(*)`.as('n')])
      .where('state', 'in', OPEN_STATES)
      .where('owner_unit_id', 'is not', null)
      .where('owner_unit_id', 'not in', unitIds)
      .groupBy('owner_unit_id')
      .execute();
    if (orphaned.length) {
      const list = orphaned.map((row) => `${row.owner_unit_id}（${row.n} 张）`).join('、');
      throw new DomainError('org_inconsistent', `以下单位仍有未办结的工单，不能删除：${list}`);
    }
    const row = await tx
      .insertInto('org_versions')
      .values({ doc: JSON.stringify(doc), source: 'api', created_at: clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return new Org(row.id, doc);
  });
}

/** On first start, loads the organisation file when the database has none. */
export async function seedOrgIfEmpty(db: Db, clock: Clock, file: string, logger: Logger): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${SEED_LOCK})`.execute(tx);
    if (await tx.selectFrom('org_versions').select('id').limit(1).executeTakeFirst()) return;
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (text === null) {
      logger.warn({ file }, 'no organisation in the database and ORG_FILE does not exist; import one with PUT /api/org');
      return;
    }
    const parsed = orgSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`ORG_FILE ${file} is not a valid organisation: ${z.prettifyError(parsed.error)}`);
    await tx
      .insertInto('org_versions')
      .values({ doc: JSON.stringify(parsed.data), source: 'file', created_at: clock.now() })
      .execute();
    logger.info({ file, units: parsed.data.units.length, areas: parsed.data.areas.length }, 'organisation loaded from file');
  });
}
