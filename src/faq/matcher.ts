import { Bm25 } from './bm25';
import type { FaqEntry } from './entry';
import { defaultAnalyzer, type Analyzer } from './text';

export interface FaqHit {
  entry: FaqEntry;
  /** Relevance, about 0 to 1.5: how much of the question's weight the entry's best question (and its answer) holds. */
  score: number;
  /** Estimated chance that this entry is the one asked about, in [0, 1]. */
  confidence: number;
}

export type FaqAnswer =
  | { kind: 'answer'; entry: FaqEntry; confidence: number }
  | { kind: 'candidates'; candidates: FaqHit[] }
  | { kind: 'none' };

/**
 * Answer outright at or above this confidence; below it, offer the candidates. On the dev questions the top hit is
 * right 89–96% of the time above 0.7 and 58% just below it: a wrong answer misleads a customer, while a pick from three
 * costs the desk one tap, so the line sits at that knee (bench/RESULTS.md has the trade-off).
 */
export const ANSWER_THRESHOLD = 0.7;
/**
 * Below this share of the question's word weight, the best entry does not talk about what was asked
 * (水费, 快递, 你好): no candidates, hand the question to a person.
 */
export const MIN_COVERAGE = 0.1;

const BM25 = { k1: 1.2, b: 0.75 };
/** Characters count twice as much as jieba words: they survive typos and segmentation differences. */
const CHAR_WEIGHT = 2;
/** Tags and answer count 0.6 of a listed question: they are written in the desk's words, not the customer's. */
const CONTEXT_WEIGHT = 0.6;
/**
 * Logistic model of "this entry is the right one", fitted on the labelled dev questions (bench/faq.ts prints how
 * well it is calibrated). Specificity: the entry covers the question's words and its best rival does not (a bare
 * 电费 is covered by dozens of entries, so it is not specific). Lead: its score above the rival's, damped for weak scores.
 */
const CONFIDENCE = { bias: -1.3, specificity: 4.6, lead: 6.3, leadDamping: 0.2 };

interface Query {
  words: string[];
  chars: string[];
}

/** One text field searched two ways, as jieba words and as characters, one score per document. */
class Field {
  private readonly words: Bm25;
  private readonly chars: Bm25;

  constructor(texts: readonly string[], analyzer: Analyzer) {
    this.words = new Bm25(texts.map((text) => analyzer.words(text)), BM25);
    this.chars = new Bm25(texts.map((text) => analyzer.chars(text)), BM25);
  }

  score(query: Query): Float64Array {
    const words = this.words.score(query.words);
    const chars = this.chars.score(query.chars);
    return words.map((score, doc) => (score + CHAR_WEIGHT * chars[doc]!) / (1 + CHAR_WEIGHT));
  }

  /** How informative a word is among these documents; one no document has weighs the most. */
  weight(word: string): number {
    return this.words.idf(word);
  }
}

/** The knowledge base in memory, ready to rank questions. Immutable: build a new one when the entries change. */
export class FaqIndex {
  private constructor(
    private readonly entries: readonly FaqEntry[],
    private readonly analyzer: Analyzer,
    /** Every standard and similar question, one document each; `owner` maps a document to its entry. */
    private readonly questions: Field,
    private readonly owner: Int32Array,
    /** Tags and answer, one document per entry: evidence for words no listed question uses. */
    private readonly context: Field,
    /** Every word of each entry, for coverage. */
    private readonly vocabulary: Set<string>[],
  ) {}

  static build(entries: readonly FaqEntry[]): FaqIndex {
    const analyzer = defaultAnalyzer();
    const questions = entries.flatMap((entry, owner) => [entry.question, ...entry.similar].map((text) => ({ text, owner })));
    return new FaqIndex(
      entries,
      analyzer,
      new Field(questions.map((q) => q.text), analyzer),
      Int32Array.from(questions, (q) => q.owner),
      new Field(entries.map((entry) => [...entry.tags, entry.answer].join('\n')), analyzer),
      entries.map(
        (entry) =>
          new Set([entry.question, ...entry.similar, ...entry.tags, entry.answer].flatMap((text) => analyzer.words(text))),
      ),
    );
  }

  get size(): number {
    return this.entries.length;
  }

  /** The best entries for a question, best first. */
  search(question: string, limit = 3): FaqHit[] {
    return this.hits(question, limit).map(({ entry, score, confidence }) => ({ entry, score, confidence }));
  }

  /** What the bot should do with a question: answer it, offer candidates to choose from, or hand it to a person. */
  answer(question: string): FaqAnswer {
    const hits = this.hits(question, 3);
    const [first] = hits;
    if (!first || first.coverage < MIN_COVERAGE) return { kind: 'none' };
    if (first.confidence >= ANSWER_THRESHOLD) return { kind: 'answer', entry: first.entry, confidence: first.confidence };
    const candidates = hits.filter((hit) => hit.coverage >= MIN_COVERAGE);
    return { kind: 'candidates', candidates: candidates.map(({ entry, score, confidence }) => ({ entry, score, confidence })) };
  }

  private hits(question: string, limit: number): (FaqHit & { coverage: number })[] {
    const query = { words: this.analyzer.words(question), chars: this.analyzer.chars(question) };
    const ranked = this.rank(query).slice(0, Math.max(limit, 2));
    const coverages = ranked.map(({ index }) => this.coverage(query.words, index));
    return ranked.slice(0, limit).map(({ index, score }, i) => {
      const rival = i === 0 ? 1 : 0;
      const lead = (score - (ranked[rival]?.score ?? 0)) / (score + CONFIDENCE.leadDamping);
      const specificity = coverages[i]! * (1 - (coverages[rival] ?? 0));
      const logit = CONFIDENCE.bias + CONFIDENCE.specificity * specificity + CONFIDENCE.lead * lead;
      return { entry: this.entries[index]!, score, confidence: 1 / (1 + Math.exp(-logit)), coverage: coverages[i]! };
    });
  }

  /** Entries with any score, best first: per entry its best-matching question, plus its context. */
  private rank(query: Query): { index: number; score: number }[] {
    const scores = this.context.score(query).map((score) => CONTEXT_WEIGHT * score);
    const best = new Float64Array(this.entries.length);
    this.questions.score(query).forEach((score, doc) => {
      const owner = this.owner[doc]!;
      if (score > best[owner]!) best[owner] = score;
    });
    return Array.from(scores, (score, index) => ({ index, score: score + best[index]! }))
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score);
  }

  /** Share of the question's word weight found anywhere in the entry: low when the entry is about something else. */
  private coverage(queryWords: readonly string[], index: number): number {
    const words = [...new Set(queryWords)];
    const total = words.reduce((sum, word) => sum + this.questions.weight(word), 0);
    if (total === 0) return 0;
    const vocabulary = this.vocabulary[index]!;
    const found = words.filter((word) => vocabulary.has(word)).reduce((sum, word) => sum + this.questions.weight(word), 0);
    return found / total;
  }
}
