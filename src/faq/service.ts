import type { Clock } from '../clock';
import type { Db, Tx } from '../db/database';
import type { Logger } from '../log';
import { faqImportSchema, type FaqEntry } from './entry';
import { FaqIndex, type FaqAnswer, type FaqHit } from './matcher';
import { currentVersion, listEntries, loadSnapshot, saveEntries, seedIfEmpty, type FaqImportSummary } from './store';

export interface FaqService {
  /** What to tell someone who asked `question`: an answer, candidates to pick from, or nothing (hand it to a person). */
  answer(question: string): Promise<FaqAnswer>;
  search(question: string, limit?: number): Promise<FaqHit[]>;
  /** Checks and saves the entries (all or nothing: a bad entry or a repeated id saves none), then rebuilds the index. */
  /** `alsoInTransaction` runs in the import's transaction (the audit entry), so there is no import without it. */
  import(
    entries: FaqEntry[],
    options?: { replace?: boolean; alsoInTransaction?: (tx: Tx, summary: FaqImportSummary) => Promise<void> },
  ): Promise<{ count: number }>;
  export(): Promise<FaqEntry[]>;
}

export interface FaqDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

/**
 * How long a question waits for the version check. Answers are asked from inside ticket transactions that hold a
 * pooled connection; if the pool is exhausted the question is answered from the index in memory rather than waiting.
 */
const VERSION_CHECK_TIMEOUT_MS = 200;

/**
 * The knowledge base for inquiries (咨询): loads the demo entries on first start, then keeps an in-memory index.
 * Before each question it compares the database's change counter (one indexed row, well under a millisecond) with
 * the index's, and rebuilds when another process, or an edit by hand, changed the entries.
 */
export async function createFaqService(ctx: FaqDeps): Promise<FaqService> {
  const seeded = await seedIfEmpty(ctx.db, ctx.clock.now());
  if (seeded) ctx.logger.info({ entries: seeded }, 'FAQ knowledge base loaded from config/faq.kb.json');
  let loaded = await loadSnapshot(ctx.db);
  let index = FaqIndex.build(loaded.entries);
  let version = loaded.version;
  /** One check or rebuild at a time; questions arriving meanwhile wait for it. */
  let pending: Promise<FaqIndex> | undefined;

  const rebuild = async (): Promise<FaqIndex> => {
    loaded = await loadSnapshot(ctx.db);
    if (loaded.version !== version) {
      index = FaqIndex.build(loaded.entries);
      version = loaded.version;
    }
    return index;
  };
  const check = async (): Promise<FaqIndex> => ((await currentVersion(ctx.db)) === version ? index : rebuild());
  const fresh = async (): Promise<FaqIndex> => {
    pending ??= check().finally(() => (pending = undefined));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<FaqIndex>((resolve) => {
      timer = setTimeout(() => {
        ctx.logger.warn('FAQ version check is slow; answering from the index in memory');
        resolve(index);
      }, VERSION_CHECK_TIMEOUT_MS);
    });
    try {
      return await Promise.race([pending, late]);
    } catch (error) {
      ctx.logger.warn({ err: error }, 'FAQ version check failed; answering from the index in memory');
      return index;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    answer: async (question) => (await fresh()).answer(question),
    search: async (question, limit) => (await fresh()).search(question, limit),
    async import(entries, options = {}) {
      const input = faqImportSchema.parse({ entries, replace: options.replace ?? false });
      await saveEntries(ctx.db, input, ctx.clock.now(), options.alsoInTransaction);
      const rebuilt = await rebuild();
      ctx.logger.info(
        { imported: input.entries.length, replace: input.replace, total: rebuilt.size, version },
        'FAQ knowledge base imported',
      );
      return { count: rebuilt.size };
    },
    export: () => listEntries(ctx.db),
  };
}
