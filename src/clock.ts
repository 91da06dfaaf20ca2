/**
 * The one source of "now" for every deadline, timer and timestamp the desk shows.
 * Production reads the system time; the sandbox shifts it forward on request and tests freeze and move it,
 * so nobody ever waits real minutes to see a deadline pass.
 */
export type ClockListener = (now: Date) => void;

export class Clock {
  private offsetMs = 0;
  private frozenAtMs: number | null = null;
  private readonly listeners = new Set<ClockListener>();

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.frozenAtMs ?? Date.now() + this.offsetMs;
  }

  /** Stops the clock at `at` (tests). */
  freeze(at: Date): void {
    this.frozenAtMs = at.getTime();
    this.emit();
  }

  /** Moves time forward by `ms`, frozen or running, and tells listeners (so due timers fire at once). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`the clock only moves forward by a finite amount, got ${ms}`);
    if (this.frozenAtMs !== null) this.frozenAtMs += ms;
    else this.offsetMs += ms;
    this.emit();
  }

  onAdvance(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    const now = this.now();
    for (const listener of this.listeners) listener(now);
  }
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
