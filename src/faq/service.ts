import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { Logger } from '../log';
import { faqImportSchema, type FaqEntry } from './entry';
import { FaqIndex, type FaqAnswer, type FaqHit } from './matcher';
import { listEntries, saveEntries, seedIfEmpty } from './store';

export interface FaqService {
  /** What to tell someone who asked `question`: an answer, candidates to pick from, or nothing (hand it to a person). */
  answer(question: string): FaqAnswer;
  search(question: string, limit?: number): FaqHit[];
  /** Checks and saves the entries (all or nothing: a bad entry or a repeated id saves none), then rebuilds the index. */
  import(entries: FaqEntry[], options?: { replace?: boolean }): Promise<{ count: number }>;
  export(): Promise<FaqEntry[]>;
}

export interface FaqDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

/**
 * The knowledge base for inquiries (咨询): loads the demo entries on first start, then keeps an in-memory index
 * that this process rebuilds after every import.
 */
export async function createFaqService(ctx: FaqDeps): Promise<FaqService> {
  const seeded = await seedIfEmpty(ctx.db, ctx.clock.now());
  if (seeded) ctx.logger.info({ entries: seeded }, 'FAQ knowledge base loaded from config/faq.kb.json');
  let index = FaqIndex.build(await listEntries(ctx.db));

  return {
    answer: (question) => index.answer(question),
    search: (question, limit) => index.search(question, limit),
    async import(entries, options = {}) {
      const input = faqImportSchema.parse({ entries, replace: options.replace ?? false });
      await saveEntries(ctx.db, input, ctx.clock.now());
      index = FaqIndex.build(await listEntries(ctx.db));
      ctx.logger.info(
        { imported: input.entries.length, replace: input.replace, total: index.size },
        'FAQ knowledge base imported',
      );
      return { count: index.size };
    },
    export: () => listEntries(ctx.db),
  };
}
