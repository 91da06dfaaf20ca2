import { Bm25 } from './bm25';
import type { FaqEntry } from './entry';
import { defaultAnalyzer, type Analyzer, type AnalyzerOptions, type Terms } from './text';

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

export interface MatcherParams {
  analyzer: AnalyzerOptions;
  k1: number;
  b: number;
  fusion: 'score' | 'rrf';
  /** Score fusion: the character n-grams' share of a field's score, the rest is jieba words'. */
  charShare: number;
  /** Tags and answer against a listed question (1). */
  contextWeight: number;
  /** All of an entry's questions as one document, against its best single question (1). */
  pooledWeight: number;
  calibration: Calibration;
  /** Answer outright at or above this confidence. */
  threshold: number;
  /** Below this share of the question's word weight, the best entry does not talk about what was asked. */
  minCoverage: number;
}

/** Logistic model of "the top entry is the right one" over the features of `features()`. */
export interface Calibration {
  bias: number;
  weights: readonly number[];
}

/**
 * Chosen by \`npm run bench faq\` on the labelled dev questions; its cross-validated figures (bench/RESULTS.md) are
 * what to expect from these. The threshold keeps wrong answers (a wrong entry, or an answer to a question the knowledge
 * base does not cover) under 3%: a wrong answer misleads a customer, a hand-off costs the desk one reply.
 */
export const DEFAULT_PARAMS: MatcherParams = {
  analyzer: { standardize: true, trim: true },
  k1: 1.2,
  b: 0.75,
  fusion: 'score',
  charShare: 1,
  contextWeight: 1,
  pooledWeight: 1,
  calibration: { bias: -1.36, weights: [3.26, 6.5, 0.39] },
  threshold: 0.81,
  minCoverage: 0.1,
};
export const ANSWER_THRESHOLD = DEFAULT_PARAMS.threshold;

const RRF_K = 60;

/** One text field searched two ways, as jieba words and as characters, one score per document. */
class Field {
  private readonly words: Bm25;
  private readonly chars: Bm25;

  constructor(
    terms: readonly Terms[],
    private readonly params: MatcherParams,
  ) {
    this.words = new Bm25(terms.map((t) => t.words), params);
    this.chars = new Bm25(terms.map((t) => t.chars), params);
  }

  score(query: Terms): Float64Array {
    const chars = this.chars.score(query.chars);
    const share = this.params.charShare;
    // Characters alone rank best on the dev questions (bench/FAQ); words then only serve coverage, so skip scoring them.
    if (this.params.fusion === 'score' && share === 1) return chars;
    const words = this.words.score(query.words);
    if (this.params.fusion === 'rrf') {
      const fused = new Float64Array(words.length);
      for (const scores of [words, chars]) {
        const order = Array.from(scores.keys()).filter((doc) => scores[doc]! > 0).sort((a, b) => scores[b]! - scores[a]!);
        order.forEach((doc, rank) => (fused[doc]! += RRF_K / (RRF_K + rank + 1)));
      }
      return fused.map((s) => s / 2);
    }
    return words.map((score, doc) => (1 - share) * score + share * chars[doc]!);
  }

  /** How informative a word is among these documents; one no document has weighs the most. */
  weight(word: string): number {
    return this.words.idf(word);
  }
}

interface Ranked {
  index: number;
  score: number;
}

/** The knowledge base in memory, ready to rank questions. Immutable: build a new one when the entries change. */
export class FaqIndex {
  private constructor(
    private readonly entries: readonly FaqEntry[],
    private readonly analyzer: Analyzer,
    private readonly params: MatcherParams,
    /** Every standard and similar question, one document each; `owner` maps a document to its entry. */
    private readonly questions: Field,
    private readonly owner: Int32Array,
    /** Tags and answer, one document per entry: evidence for words no listed question uses. */
    private readonly context: Field,
    private readonly pooled: Field,
    /** Every word of each entry, for coverage. */
    private readonly vocabulary: Set<string>[],
  ) {}

  static build(entries: readonly FaqEntry[], params: MatcherParams = DEFAULT_PARAMS): FaqIndex {
    const analyzer = defaultAnalyzer(params.analyzer);
    const questions = entries.flatMap((entry, owner) =>
      [entry.question, ...entry.similar].map((text) => ({ terms: analyzer.document(text), owner })),
    );
    const contexts = entries.map((entry) => analyzer.document([...entry.tags, entry.answer].join('\n')));
    const pooled = entries.map((entry) => analyzer.document([entry.question, ...entry.similar].join('\n')));
    return new FaqIndex(
      entries,
      analyzer,
      params,
      new Field(questions.map((q) => q.terms), params),
      Int32Array.from(questions, (q) => q.owner),
      new Field(contexts, params),
      new Field(pooled, params),
      entries.map((_, index) => {
        const words = new Set(contexts[index]!.words);
        return words;
      }),
    ).withQuestionWords(questions);
  }

  private withQuestionWords(questions: readonly { terms: Terms; owner: number }[]): this {
    for (const { terms, owner } of questions) for (const word of terms.words) this.vocabulary[owner]!.add(word);
    return this;
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
    const { minCoverage, threshold } = this.params;
    if (!first || first.coverage < minCoverage) return { kind: 'none' };
    if (first.confidence >= threshold) return { kind: 'answer', entry: first.entry, confidence: first.confidence };
    const candidates = hits.filter((hit) => hit.coverage >= minCoverage);
    return { kind: 'candidates', candidates: candidates.map(({ entry, score, confidence }) => ({ entry, score, confidence })) };
  }

  /** The calibration features of a question's top entry (bench/faq.ts fits the model on them). */
  features(question: string): { index: number; coverage: number; features: number[] } | undefined {
    const query = this.analyzer.query(question);
    const ranked = this.rank(query, 2);
    const [first, second] = ranked;
    if (!first) return undefined;
    const coverage = this.coverage(query.words, first.index);
    return { index: first.index, coverage, features: featuresOf(first, second, coverage, second ? this.coverage(query.words, second.index) : 0) };
  }

  private hits(question: string, limit: number): (FaqHit & { coverage: number })[] {
    const query = this.analyzer.query(question);
    const ranked = this.rank(query, Math.max(limit, 2));
    const coverages = ranked.map(({ index }) => this.coverage(query.words, index));
    return ranked.slice(0, limit).map((hit, i) => {
      const rival = i === 0 ? 1 : 0;
      const x = featuresOf(hit, ranked[rival], coverages[i]!, coverages[rival] ?? 0);
      const { bias, weights } = this.params.calibration;
      const logit = weights.reduce((sum, w, k) => sum + w * x[k]!, bias);
      return { entry: this.entries[hit.index]!, score: hit.score, confidence: 1 / (1 + Math.exp(-logit)), coverage: coverages[i]! };
    });
  }

  /** The `limit` best entries with any score, best first: per entry its best-matching question, plus its context. */
  private rank(query: Terms, limit: number): Ranked[] {
    const { contextWeight, pooledWeight } = this.params;
    const scores = this.context.score(query);
    const pooled = this.pooled.score(query);
    for (let i = 0; i < scores.length; i++) scores[i] = contextWeight * scores[i]! + pooledWeight * pooled[i]!;
    const best = new Float64Array(this.entries.length);
    const questions = this.questions.score(query);
    for (let doc = 0; doc < questions.length; doc++) {
      const owner = this.owner[doc]!;
      if (questions[doc]! > best[owner]!) best[owner] = questions[doc]!;
    }
    // A scan keeping the few best: sorting every entry costs more than scoring at thousands of entries.
    const top: Ranked[] = [];
    for (let index = 0; index < scores.length; index++) {
      const score = scores[index]! + best[index]!;
      if (score <= 0 || (top.length === limit && score <= top[limit - 1]!.score)) continue;
      if (top.length === limit) top.pop();
      let at = top.length;
      while (at > 0 && top[at - 1]!.score < score) at--;
      top.splice(at, 0, { index, score });
    }
    return top;
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

/**
 * Specificity: the entry covers the question's words and its best rival does not (a bare 电费 is covered by dozens of
 * entries). Lead: its score above the rival's, damped for weak scores. Score: the top score itself.
 */
function featuresOf(hit: Ranked, rival: Ranked | undefined, coverage: number, rivalCoverage: number): number[] {
  const lead = (hit.score - (rival?.score ?? 0)) / (hit.score + 0.2);
  return [coverage * (1 - rivalCoverage), lead, hit.score];
}
