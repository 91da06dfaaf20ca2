import type { Logger } from './log';

/**
 * One log line per cause per interval: during an outage the same failure repeats many times a second (every lease
 * round, every outbox pass, every inbox retry), and a log that floods hides what else happened. The first occurrence
 * of a cause is logged at once; later ones within the interval are counted, and the next line says how many were
 * left out (`repeated`).
 */
export class LogThrottle {
  private readonly causes = new Map<string, { loggedAt: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 30_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  warn(cause: string, fields: Record<string, unknown>, message: string): void {
    this.log('warn', cause, fields, message);
  }

  error(cause: string, fields: Record<string, unknown>, message: string): void {
    this.log('error', cause, fields, message);
  }

  /** The cause is over (the database answered again): the next occurrence is logged at once, with what was left out. */
  clear(cause: string): number {
    const state = this.causes.get(cause);
    this.causes.delete(cause);
    return state?.suppressed ?? 0;
  }

  private log(level: 'warn' | 'error', cause: string, fields: Record<string, unknown>, message: string): void {
    const now = this.now();
    const state = this.causes.get(cause);
    if (state && now - state.loggedAt < this.intervalMs) {
      state.suppressed++;
      return;
    }
    const repeated = state?.suppressed ?? 0;
    this.causes.set(cause, { loggedAt: now, suppressed: 0 });
    this.logger[level]({ ...fields, ...(repeated > 0 && { repeated }) }, message);
  }
}
