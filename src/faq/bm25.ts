/**
 * Okapi BM25 over short documents of terms. Scores are divided by the query's own weight, so that they compare
 * across questions of different length.
 */
export interface Bm25Params {
  k1: number;
  b: number;
}

/** A term's documents and, precomputed, what one occurrence count contributes in each: scoring is one multiply-add. */
interface Postings {
  docs: Int32Array;
  impacts: Float64Array;
}

export class Bm25 {
  private readonly postings = new Map<string, Postings>();
  readonly size: number;

  constructor(docs: readonly (readonly string[])[], params: Bm25Params) {
    this.size = docs.length;
    const avgLength = docs.reduce((sum, doc) => sum + doc.length, 0) / Math.max(docs.length, 1) || 1;
    const lists = new Map<string, { docs: number[]; impacts: number[] }>();
    docs.forEach((doc, index) => {
      const lengthNorm = 1 - params.b + (params.b * doc.length) / avgLength;
      const counts = new Map<string, number>();
      for (const term of doc) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let list = lists.get(term);
        if (!list) lists.set(term, (list = { docs: [], impacts: [] }));
        list.docs.push(index);
        list.impacts.push((tf * (params.k1 + 1)) / (tf + params.k1 * lengthNorm));
      }
    });
    for (const [term, list] of lists) {
      this.postings.set(term, { docs: Int32Array.from(list.docs), impacts: Float64Array.from(list.impacts) });
    }
  }

  /** Inverse document frequency; a term no document has weighs the most, so unknown words lower the match. */
  idf(term: string): number {
    return this.idfOf(this.postings.get(term)?.docs.length ?? 0);
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
    for (const term of distinct) {
      const list = this.postings.get(term);
      if (!list) continue;
      const weight = this.idfOf(list.docs.length) / total;
      const { docs, impacts } = list;
      for (let i = 0; i < docs.length; i++) scores[docs[i]!]! += weight * impacts[i]!;
    }
    return scores;
  }

  private idfOf(df: number): number {
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }
}
