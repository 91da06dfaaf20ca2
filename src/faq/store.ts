import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { Db, Executor, Tx } from '../db/database';
import { faqImportSchema, type FaqEntry, type FaqImport } from './entry';

/** The demo knowledge base loaded on first start, so a new installation answers the common questions at once. */
const SEED_FILE = new URL('../../config/faq.kb.json', import.meta.url);
/** Held while seeding so that processes starting together load the seed once. */
const SEED_LOCK = 7_239_550;

const COLUMNS = ['id', 'topic', 'question', 'similar', 'answer', 'tags'] as const;

// An entry without a topic comes back without the field, so an export imports back as it is.
function toEntry({ topic, ...entry }: Omit<FaqEntry, 'topic'> & { topic: string | null }): FaqEntry {
  return topic === null ? entry : { ...entry, topic };
}

export async function listEntries(db: Executor): Promise<FaqEntry[]> {
  const rows = await db.selectFrom('faq_entries').select(COLUMNS).orderBy('id').execute();
  return rows.map(toEntry);
}

export async function findEntry(db: Executor, id: string): Promise<FaqEntry | undefined> {
  const row = await db.selectFrom('faq_entries').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && toEntry(row);
}

/**
 * Adds or changes one entry inside the caller's transaction (a desk answer saved with /入库 goes in with its ticket
 * event); the version counter moves with it, so every process answers from it once the transaction commits.
 */
export async function saveEntry(db: Executor, entry: FaqEntry, now: Date): Promise<void> {
  await upsert(db, [entry], now);
}

/** The knowledge base's change counter: 051_faq_versions.sql bumps it with every statement that writes faq_entries. */
export async function currentVersion(db: Executor): Promise<number> {
  const { rows } = await sql<{ version: number | string }>`SELECT version FROM faq_version`.execute(db);
  return Number(rows[0]?.version ?? 0);
}

/** The entries and the version they are at, read from one snapshot. */
export async function loadSnapshot(db: Db): Promise<{ version: number; entries: FaqEntry[] }> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => ({ version: await currentVersion(tx), entries: await listEntries(tx) }));
}

/** Adds or changes entries by id; with `replace`, entries not listed are deleted. One transaction: all or nothing. */
/** What an import changed, as the audit log keeps it: the entries written, and whether the rest were removed. */
export interface FaqImportSummary {
  replace: boolean;
  written: string[];
  removed: string[];
}

export async function saveEntries(
  db: Db,
  input: FaqImport,
  now: Date,
  alsoInTransaction?: (tx: Tx, summary: FaqImportSummary) => Promise<void>,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const written = input.entries.map((entry) => entry.id);
    let removed: string[] = [];
    if (input.replace) {
      const kept = new Set(written);
      removed = (await tx.deleteFrom('faq_entries').returning('id').execute()).map((row) => row.id).filter((id) => !kept.has(id));
    }
    await upsert(tx, input.entries, now);
    await alsoInTransaction?.(tx, { replace: input.replace, written, removed });
  });
}

/** Loads `config/faq.kb.json` when the knowledge base is empty (first start); returns how many entries it added. */
export async function seedIfEmpty(db: Db, now: Date): Promise<number> {
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${SEED_LOCK})`.execute(tx);
    const existing = await tx.selectFrom('faq_entries').select('id').limit(1).executeTakeFirst();
    if (existing) return 0;
    const parsed = faqImportSchema.safeParse({ entries: JSON.parse(await readFile(SEED_FILE, 'utf8')) });
    if (!parsed.success) throw new Error(`config/faq.kb.json is not a valid FAQ knowledge base: ${parsed.error.message}`);
    await upsert(tx, parsed.data.entries, now);
    return parsed.data.entries.length;
  });
}

async function upsert(db: Executor, entries: readonly FaqEntry[], now: Date): Promise<void> {
  // Chunks keep each statement under PostgreSQL's bind-parameter limit.
  for (let start = 0; start < entries.length; start += 500) {
    await db
      .insertInto('faq_entries')
      .values(entries.slice(start, start + 500).map((entry) => ({ ...entry, topic: entry.topic ?? null, updated_at: now })))
      .onConflict((conflict) =>
        conflict.column('id').doUpdateSet((eb) => ({
          topic: eb.ref('excluded.topic'),
          question: eb.ref('excluded.question'),
          similar: eb.ref('excluded.similar'),
          answer: eb.ref('excluded.answer'),
          tags: eb.ref('excluded.tags'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}
