import { Bm25 } from './bm25';
import type { FaqEntry } from './entry';
import { defaultAnalyzer, type Analyzer, type AnalyzerOptions, type Terms } from './text';

export interface FaqHit {
  entry: FaqEntry;
  /** Relevance, about 0 to 3: how much of the question's weight the entry's best question, its questions together and its answer hold. */
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
  /** Tags and answer against a listed question (1). */
  contextWeight: number;
  /** All of an entry's questions as one document, against its best single question (1). */
  pooledWeight: number;
  /** How many of the best entries are compared for the confidence features. */
  pool: number;
  /** Logistic model of "the top entry is the right one" over `CONFIDENCE_FEATURES`. */
  calibration: Calibration;
  /** Answer outright at or above this confidence. */
  threshold: number;
  /** …and only when the first entry's score leads the second's by at least this share (`lead`, 0 to 1). */
  minLead: number;
  /**
   * …and only when the question holds at least this many of the first entry's key bigrams: the two characters most of
   * its questions say and few other entries do (台风, 违约, 过户). A question about the weather shares 天气 with the
   * typhoon entry but never says 台风.
   */
  minKeys: number;
  /** Below this share of the question's word weight, the best entry does not talk about what was asked. */
  minCoverage: number;
}

export interface Calibration {
  bias: number;
  weights: readonly number[];
}

/** What the confidence model weighs for the first-ranked entry. */
export const CONFIDENCE_FEATURES = ['specificity', 'lead', 'word coverage', 'character coverage', 'question length'] as const;

/**
 * Chosen by \`npm run bench faq\` on the labelled dev questions: the answering rule (threshold, lead, key bigrams) by
 * nested cross-validation, for the most right answers with held-out wrong answers (a wrong entry, or an answer to a
 * question the knowledge base does not cover) under 2% — a wrong answer misleads a customer, a hand-off costs one tap.
 * Its cross-validated and blind figures (bench/RESULTS.md) are what to expect from these.
 */
export const DEFAULT_PARAMS: MatcherParams = {
  analyzer: { standardize: true, trim: true },
  k1: 1.2,
  b: 0.75,
  contextWeight: 0.6,
  pooledWeight: 1,
  pool: 5,
  calibration: { bias: -10.66, weights: [0.2, 8.17, 1.26, 0.32, 3.64] },
  threshold: 0.95,
  minLead: 0.15,
  minKeys: 0,
  minCoverage: 0.1,
};
export const ANSWER_THRESHOLD = DEFAULT_PARAMS.threshold;

/** A candidate entry: its score by characters, and how much of the question's word and character weight it holds. */
interface Candidate {
  index: number;
  score: number;
  coverage: number;
  characterCoverage: number;
  /** How many of this entry's key bigrams the question holds. */
  keys: number;
}

/** A key bigram is said by at least this share of an entry's questions… */
const KEY_SHARE = 0.1;
/** …and appears in the questions of at most this many entries. */
const KEY_ENTRIES = 12;

/** The knowledge base in memory, ready to rank questions. Immutable: build a new one when the entries change. */
export class FaqIndex {
  private constructor(
    private readonly entries: readonly FaqEntry[],
    private readonly analyzer: Analyzer,
    private readonly params: MatcherParams,
    /** Every standard and similar question, one document each; `owner` maps a document to its entry. */
    private readonly questions: Bm25,
    private readonly owner: Int32Array,
    /** Tags and answer, one document per entry: evidence for words no listed question uses. */
    private readonly context: Bm25,
    /** All of an entry's questions as one document. */
    private readonly pooled: Bm25,
    /** How rare each word is among the questions: what a word of the question weighs in word coverage. */
    private readonly questionWords: Bm25,
    /** Every word of each entry (questions, tags, answer), for word coverage. */
    private readonly vocabulary: Set<string>[],
    /** Every character and bigram of each entry's questions, for character coverage. */
    private readonly grams: Set<string>[],
    /** Each entry's key bigrams (KEY_SHARE, KEY_ENTRIES). */
    private readonly keys: Set<string>[],
  ) {}

  static build(entries: readonly FaqEntry[], params: MatcherParams = DEFAULT_PARAMS): FaqIndex {
    const analyzer = defaultAnalyzer(params.analyzer);
    const questions = entries.flatMap((entry, owner) =>
      [entry.question, ...entry.similar].map((text) => ({ terms: analyzer.document(text), owner })),
    );
    const contexts = entries.map((entry) => analyzer.document([...entry.tags, entry.answer].join('\n')));
    const pooled = entries.map((entry) => analyzer.document([entry.question, ...entry.similar].join('\n')));
    const vocabulary = contexts.map((terms) => new Set(terms.words));
    for (const { terms, owner } of questions) for (const word of terms.words) vocabulary[owner]!.add(word);
    return new FaqIndex(
      entries,
      analyzer,
      params,
      new Bm25(questions.map((q) => q.terms.chars), params),
      Int32Array.from(questions, (q) => q.owner),
      new Bm25(contexts.map((terms) => terms.chars), params),
      new Bm25(pooled.map((terms) => terms.chars), params),
      new Bm25(questions.map((q) => q.terms.words), params),
      vocabulary,
      pooled.map((terms) => new Set(terms.chars)),
      keyBigrams(entries.length, questions),
    );
  }

  get size(): number {
    return this.entries.length;
  }

  /** The best entries for a question, best first. */
  search(question: string, limit = 3): FaqHit[] {
    return this.hits(question, limit).map(({ entry, score, confidence }) => ({ entry, score, confidence }));
  }

  /**
   * What the bot should do with a question: answer it, offer candidates to choose from, or hand it to a person (at once
   * when it is about another utility's business: the desk tells the customer whom to ask).
   */
  answer(question: string): FaqAnswer {
    if (this.analyzer.outside(question)) return { kind: 'none' };
    const hits = this.hits(question, 3);
    const [first] = hits;
    const { minCoverage } = this.params;
    const candidates = hits.filter((hit) => hit.coverage >= minCoverage);
    if (!first || candidates.length === 0) return { kind: 'none' };
    if (candidates[0] === first && this.sure(first)) return { kind: 'answer', entry: first.entry, confidence: first.confidence };
    return { kind: 'candidates', candidates: candidates.map(({ entry, score, confidence }) => ({ entry, score, confidence })) };
  }

  /**
   * What bench/faq.ts fits the confidence model and the answering rule on: the three best entries, best first, the
   * features of `confidenceFeatures` for the first, its lead and distinguishing words over the second, and the
   * coverage that decides whether it may be answered at all (none for a question about another utility's business).
   */
  explain(question: string): { top: string[]; features: number[]; coverage: number; lead: number; keys: number } {
    const query = this.analyzer.query(question);
    const ranked = this.candidates(query);
    const [first, second] = ranked;
    return {
      top: ranked.slice(0, 3).map(({ index }) => this.entries[index]!.id),
      features: first ? confidenceFeatures(first, second, queryLength(query)) : CONFIDENCE_FEATURES.map(() => 0),
      coverage: first && !this.analyzer.outside(question) ? first.coverage : 0,
      lead: first ? lead(first, second) : 0,
      keys: first?.keys ?? 0,
    };
  }

  /**
   * Answer only when sure: confident, clearly ahead of the runner-up, and the question holds words that tell the
   * first entry from the second. A wrong answer misleads a customer; the numbered candidates cost one tap.
   */
  private sure(first: FaqHit & Pick<Candidate, 'keys'> & { lead: number }): boolean {
    const { threshold, minLead, minKeys } = this.params;
    return first.confidence >= threshold && first.lead >= minLead && first.keys >= minKeys;
  }

  private hits(question: string, limit: number): (FaqHit & Pick<Candidate, 'coverage' | 'keys'> & { lead: number })[] {
    const query = this.analyzer.query(question);
    const ranked = this.candidates(query, limit);
    const length = queryLength(query);
    return ranked.slice(0, limit).map((hit, i) => {
      const rival = ranked[i === 0 ? 1 : 0];
      const x = confidenceFeatures(hit, rival, length);
      const { bias, weights } = this.params.calibration;
      const logit = weights.reduce((sum, w, k) => sum + w * x[k]!, bias);
      return {
        entry: this.entries[hit.index]!,
        score: hit.score,
        confidence: 1 / (1 + Math.exp(-logit)),
        coverage: hit.coverage,
        lead: lead(hit, rival),
        keys: hit.keys,
      };
    });
  }

  /**
   * The best entries by characters, best first (per entry its best question, plus its context and pooled questions):
   * characters and their bigrams rank better than jieba words (bench/RESULTS.md), which only weigh coverage.
   */
  private candidates(query: Terms, limit = 3): Candidate[] {
    const chars = this.scores(query.chars);
    const top = topOf(chars, Math.max(limit, this.params.pool));
    if (top.length === 0) return [];
    const queryWords = [...new Set(query.words)];
    const wordWeights = queryWords.map((word) => this.questionWords.idf(word));
    const unigrams = [...new Set(query.chars.filter((gram) => gram.length === 1))];
    const unigramWeights = unigrams.map((gram) => this.questions.idf(gram));
    const bigrams = [...new Set(query.chars.filter((gram) => gram.length === 2))];
    return top.map((index) => ({
      index,
      score: chars[index]!,
      coverage: share(queryWords, wordWeights, this.vocabulary[index]!),
      characterCoverage: share(unigrams, unigramWeights, this.grams[index]!),
      keys: bigrams.filter((gram) => this.keys[index]!.has(gram)).length,
    }));
  }

  /** Per entry: its best question's score plus its context's and its pooled questions', weighted. */
  private scores(chars: readonly string[]): Float64Array {
    const { contextWeight, pooledWeight } = this.params;
    const scores = this.context.score(chars);
    const pooled = this.pooled.score(chars);
    for (let i = 0; i < scores.length; i++) scores[i] = contextWeight * scores[i]! + pooledWeight * pooled[i]!;
    const questions = this.questions.score(chars);
    const best = new Float64Array(this.entries.length);
    for (let doc = 0; doc < questions.length; doc++) {
      const owner = this.owner[doc]!;
      if (questions[doc]! > best[owner]!) best[owner] = questions[doc]!;
    }
    for (let i = 0; i < scores.length; i++) scores[i]! += best[i]!;
    return scores;
  }
}

/** Per entry, the bigrams most of its questions say and few other entries' questions do. */
function keyBigrams(size: number, questions: readonly { terms: Terms; owner: number }[]): Set<string>[] {
  const counts = Array.from({ length: size }, () => new Map<string, number>());
  const totals = new Array<number>(size).fill(0);
  const owners = new Map<string, Set<number>>();
  for (const { terms, owner } of questions) {
    totals[owner]!++;
    for (const gram of new Set(terms.chars.filter((g) => g.length === 2))) {
      counts[owner]!.set(gram, (counts[owner]!.get(gram) ?? 0) + 1);
      let set = owners.get(gram);
      if (!set) owners.set(gram, (set = new Set()));
      set.add(owner);
    }
  }
  return counts.map(
    (grams, owner) =>
      new Set([...grams].filter(([gram, n]) => n >= KEY_SHARE * totals[owner]! && owners.get(gram)!.size <= KEY_ENTRIES).map(([gram]) => gram)),
  );
}

/** A scan keeping the few best with any score, best first: sorting every entry costs more than scoring at thousands. */
function topOf(scores: Float64Array, limit: number): number[] {
  const top: number[] = [];
  for (let index = 0; index < scores.length; index++) {
    const score = scores[index]!;
    if (score <= 0 || (top.length === limit && score <= scores[top[limit - 1]!]!)) continue;
    if (top.length === limit) top.pop();
    let at = top.length;
    while (at > 0 && scores[top[at - 1]!]! < score) at--;
    top.splice(at, 0, index);
  }
  return top;
}

/** Share of the weight of `terms` found in `found`. */
function share(terms: readonly string[], weights: readonly number[], found: Set<string>): number {
  let total = 0;
  let hit = 0;
  terms.forEach((term, i) => {
    total += weights[i]!;
    if (found.has(term)) hit += weights[i]!;
  });
  return total === 0 ? 0 : hit / total;
}

/** How long the question is, in characters once greetings are trimmed; log-scaled. */
function queryLength(query: Terms): number {
  return Math.log(1 + query.chars.filter((gram) => gram.length === 1).length);
}

/**
 * Specificity: the entry covers the question's words and its best rival does not (a bare 电费 is covered by dozens of
 * entries). Lead: its score above the rival's, damped for weak scores. Then its word and character coverage and the
 * question's length.
 */
function confidenceFeatures(hit: Candidate, rival: Candidate | undefined, length: number): number[] {
  return [hit.coverage * (1 - (rival?.coverage ?? 0)), lead(hit, rival), hit.coverage, hit.characterCoverage, length];
}

/** The entry's score above its rival's, as a share of its own (damped for weak scores): 1 alone, 0 tied. */
function lead(hit: Candidate, rival: Candidate | undefined): number {
  return (hit.score - (rival?.score ?? 0)) / (hit.score + 0.2);
}
