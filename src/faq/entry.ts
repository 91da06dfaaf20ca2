import { z } from 'zod';

/**
 * One knowledge-base entry: the standard question, other ways people ask it, the answer the bot sends, tags, and the
 * topic (电费, 停电, 报装, 计量 …) that says which specialist takes an inquiry the bot cannot answer.
 */
export interface FaqEntry {
  id: string;
  topic?: string;
  question: string;
  similar: string[];
  answer: string;
  tags: string[];
}

const text = (max: number) => z.string().trim().min(1).max(max);

export const faqEntrySchema = z.strictObject({
  id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, '编号只能包含字母、数字、- 和 _，例如 faq-001'),
  topic: text(20).optional(),
  question: text(200),
  similar: z.array(text(200)).max(50).default([]),
  answer: text(4000),
  tags: z.array(text(30)).max(20).default([]),
});

/** The body of `POST /api/faq/import` and of `GET /api/faq/export`, so an export can be imported back as it is. */
export const faqImportSchema = z.strictObject({
  entries: z
    .array(faqEntrySchema)
    .min(1, '至少需要一条问答')
    .max(5000)
    .superRefine((entries, ctx) => {
      const seen = new Map<string, number>();
      entries.forEach((entry, index) => {
        const first = seen.get(entry.id);
        if (first === undefined) seen.set(entry.id, index);
        else ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `编号 ${entry.id} 与第 ${first + 1} 条重复` });
      });
    }),
  /** true: the list replaces the whole knowledge base; false (default): listed entries are added or changed by id. */
  replace: z.boolean().default(false),
});

export type FaqImport = z.infer<typeof faqImportSchema>;
