/**
 * Sliding-window limits (WeCom counts the last minute/hour, not calendar minutes). Time comes from the fake's
 * clock so tests move past a window instead of waiting for it.
 */
export interface Window {
  limit: number;
  ms: number;
}

export class SlidingLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly longestMs: number;

  constructor(
    private readonly windows: Window[],
    private readonly now: () => number,
  ) {
    this.longestMs = Math.max(...windows.map((w) => w.ms));
  }

  /** Counts one hit for `key` and returns true, or returns false (and counts nothing) when any window is full. */
  take(key: string): boolean {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < this.longestMs);
    const full = this.windows.some((w) => recent.filter((t) => now - t < w.ms).length >= w.limit);
    if (!full) recent.push(now);
    this.hits.set(key, recent);
    return !full;
  }
}
