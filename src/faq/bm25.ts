/**
 * Okapi BM25 over short documents of terms. Scores are divided by the query's own weight, so that they compare
 * across questions of different length.
 */
export interface Bm25Params {
  k1: number;
  b: number;
}

interface Posting {
  doc: number;
  tf: number;
}

export class Bm25 {
  private readonly postings = new Map<string, Posting[]>();
  private readonly lengthNorm: Float64Array;
  readonly size: number;

  constructor(
    docs: readonly (readonly string[])[],
    private readonly params: Bm25Params,
  ) {
    this.size = docs.length;
    const avgLength = docs.reduce((sum, doc) => sum + doc.length, 0) / Math.max(docs.length, 1) || 1;
    this.lengthNorm = Float64Array.from(docs, (doc) => 1 - params.b + (params.b * doc.length) / avgLength);
    docs.forEach((doc, index) => {
      const counts = new Map<string, number>();
      for (const term of doc) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push({ doc: index, tf });
      }
    });
  }

  /** Inverse document frequency; a term no document has weighs the most, so unknown words lower the match. */
  idf(term: string): number {
    return this.idfOf(this.postings.get(term)?.length ?? 0);
  }

  /**
   * Every document's score for the distinct query terms, divided by the sum of their idf
   * (what a document of average length holding each term once would score): about 1 for a full match.
   */
  score(terms: readonly string[]): Float64Array {
    const scores = new Float64Array(this.size);
    const distinct = [...new Set(terms)];
    const total = distinct.reduce((sum, term) => sum + this.idf(term), 0);
    if (total === 0) return scores;
    const { k1 } = this.params;
    for (const term of distinct) {
      const list = this.postings.get(term);
      if (!list) continue;
      const weight = this.idfOf(list.length) / total;
      for (const { doc, tf } of list) {
        scores[doc]! += (weight * tf * (k1 + 1)) / (tf + k1 * this.lengthNorm[doc]!);
      }
    }
    return scores;
  }

  private idfOf(df: number): number {
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }
}
