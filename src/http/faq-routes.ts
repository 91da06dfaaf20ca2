import type Router from '@koa/router';
import { z } from 'zod';
import { faqImportSchema } from '../faq/entry';
import type { FaqService } from '../faq/service';
import { parseBody, parseQuery } from './errors';

const searchQuerySchema = z.object({
  q: z.string().trim().min(1, '请提供要查询的问题 q').max(500),
  limit: z.coerce.number().int().min(1).max(20).default(3),
});

/** Admin API for the knowledge base: bulk import and export in one shape, and a search that shows what the bot would do. */
export function faqRoutes(api: Router, faq: FaqService): void {
  api.post('/faq/import', async (ctx) => {
    const { entries, replace } = parseBody(faqImportSchema, ctx.request.body);
    ctx.body = await faq.import(entries, { replace });
  });
  api.get('/faq/export', async (ctx) => {
    ctx.body = { entries: await faq.export() };
  });
  api.get('/faq/search', (ctx) => {
    const { q, limit } = parseQuery(searchQuerySchema, ctx.query);
    const decision = faq.answer(q);
    ctx.body = {
      decision: decision.kind,
      results: faq.search(q, limit).map(({ entry, score, confidence }) => ({
        id: entry.id,
        question: entry.question,
        score: round(score),
        confidence: round(confidence),
      })),
    };
  });
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
