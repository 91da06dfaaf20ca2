import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Domain vocabulary: words the segmenter must keep whole, and groups of words that mean the same here (first one wins). */
export interface Vocabulary {
  terms: string[];
  groups: string[][];
}

const vocabularySchema = z.strictObject({
  terms: z.array(z.string().min(1)),
  groups: z.array(z.array(z.string().min(1)).min(2)),
});

const SYNONYMS_FILE = new URL('../../config/faq.synonyms.json', import.meta.url);

export function loadVocabulary(): Vocabulary {
  const parsed = vocabularySchema.safeParse(JSON.parse(readFileSync(SYNONYMS_FILE, 'utf8')));
  if (!parsed.success) throw new Error(`config/faq.synonyms.json is not a valid synonym list: ${parsed.error.message}`);
  return parsed.data;
}
