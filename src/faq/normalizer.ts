import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Colloquial and regional wording folded to the words the knowledge base uses (啥子→什么, 火表→电表), the
 * greetings and openers a question carries (你好, 请问, 麻烦问一下) removed, and the words of other utilities' business
 * (水费, 天然气, 话费) that a power desk's knowledge base must not answer however close an entry looks. The list is `config/faq.normalizer.json`,
 * edited by the desk like the synonyms; replacing characters before segmentation also helps the character n-grams,
 * which word synonyms never reach.
 */
export interface Normalizer {
  /** Both sides, knowledge base and question: regional words to standard ones. */
  standardize(text: string): string;
  /** Questions only: greetings and openers dropped (the knowledge base has none, and they carry no meaning). */
  trim(text: string): string;
  /** Questions only: whether it names another utility's or office's business (水费, 燃气, 话费), never ours to answer. */
  outside(text: string): boolean;
}

const normalizerSchema = z.strictObject({
  replace: z.array(z.tuple([z.string().min(1), z.string()])),
  drop: z.array(z.string().min(1)),
  outside: z.array(z.string().min(1)),
});

const NORMALIZER_FILE = new URL('../../config/faq.normalizer.json', import.meta.url);

export function loadNormalizer(fold: (text: string) => string): Normalizer {
  const parsed = normalizerSchema.safeParse(JSON.parse(readFileSync(NORMALIZER_FILE, 'utf8')));
  if (!parsed.success) throw new Error(`config/faq.normalizer.json is not a valid normaliser list: ${parsed.error.message}`);
  const replacements = new Map(parsed.data.replace.map(([from, to]) => [fold(from), fold(to)]));
  const replace = alternation([...replacements.keys()]);
  const drop = alternation(parsed.data.drop.map(fold));
  const outside = alternation(parsed.data.outside.map(fold));
  return {
    standardize: (text) => (replace ? text.replace(replace, (word) => replacements.get(word)!) : text),
    trim: (text) => (drop ? text.replace(drop, ' ') : text),
    outside: (text) => (outside ? new RegExp(outside.source, 'u').test(text) : false),
  };
}

/** One pass, longest words first, so 啥子 wins over 啥 and a replacement is never replaced again. */
function alternation(words: string[]): RegExp | undefined {
  if (words.length === 0) return undefined;
  const escaped = [...new Set(words)].sort((a, b) => b.length - a.length).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(escaped.join('|'), 'gu');
}
