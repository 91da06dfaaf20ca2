import type Router from '@koa/router';
import { z } from 'zod';
import { parseFaqCsv, rejectionReport } from '../faq/csv';
import { faqImportSchema } from '../faq/entry';
import type { FaqService } from '../faq/service';
import type { FaqImportSummary } from '../faq/store';
import type { Clock } from '../clock';
import type { Tx } from '../db/database';
import { recordChange } from '../domain/audit';
import { actorOf } from './audit-routes';
import { ApiError, parseBody, parseQuery } from './errors';

const searchQuerySchema = z.object({
  q: z.string().trim().min(1, '请提供要查询的问题 q').max(500),
  limit: z.coerce.number().int().min(1).max(20).default(3),
});

const csvQuerySchema = z.object({
  replace: z.enum(['true', 'false']).default('false'),
});

/**
 * Admin API for the knowledge base: bulk import (JSON in the export's shape, or CSV from a spreadsheet) and export,
 * and a search that shows what the bot would do.
 */
export function faqRoutes(api: Router, faq: FaqService, clock: Clock): void {
  api.post('/faq/import', async (ctx) => {
    const audited = {
      alsoInTransaction: (tx: Tx, summary: FaqImportSummary) =>
        recordChange(tx, { subject: 'faq', actor: actorOf(ctx), at: clock.now(), before: null, after: summary }),
    };
    if (typeof ctx.request.body === 'string') {
      const { replace } = parseQuery(csvQuerySchema, ctx.query);
      const parsed = parseFaqCsv(ctx.request.body);
      if (!parsed.ok) {
        const report = rejectionReport(parsed.rejected);
        throw new ApiError(400, 'invalid_csv', `导入失败，知识库没有改动：\n${report}`, { rejected: parsed.rejected });
      }
      ctx.body = await faq.import(parsed.entries, { replace: replace === 'true', ...audited });
      return;
    }
    const { entries, replace } = parseBody(faqImportSchema, ctx.request.body);
    ctx.body = await faq.import(entries, { replace, ...audited });
  });
  api.get('/faq/export', async (ctx) => {
    ctx.body = { entries: await faq.export() };
  });
  api.get('/faq/search', async (ctx) => {
    const { q, limit } = parseQuery(searchQuerySchema, ctx.query);
    const [decision, hits] = await Promise.all([faq.answer(q), faq.search(q, limit)]);
    ctx.body = {
      decision: decision.kind,
      results: hits.map(({ entry, score, confidence }) => ({
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
