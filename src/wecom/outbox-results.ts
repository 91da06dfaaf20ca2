import type { Db } from '../db/database';
import type { LogThrottle } from '../log-throttle';
import { recordAttempts, type AttemptResult } from './outbox-store';

/** Outcomes written in one statement at most. */
const MAX_GROUP = 200;

/**
 * The outcomes of sends, recorded in groups: those that come in while a write is under way go together in the next
 * one. An outcome is kept until it is recorded, through any database outage, and its row is not sent again before
 * that (the sender asks `isUnrecorded`): a send WeCom answered is never repeated because its answer could not be
 * written yet. What a crash loses here is what the next holder finds leased and sends again marked （重发）.
 */
export class OutboxResults {
  private readonly queue: { id: number; result: AttemptResult }[] = [];
  private readonly unrecorded = new Set<number>();
  private writer: Promise<void> | undefined;
  private halted = false;

  constructor(
    private readonly db: Db,
    /** The sender's name on the rows it leases. */
    private readonly owner: () => string,
    private readonly throttle: LogThrottle,
    /** After each group is recorded (its chats may send their next rows). */
    private readonly onRecorded: () => void,
  ) {}

  add(id: number, result: AttemptResult): void {
    this.queue.push({ id, result });
    this.unrecorded.add(id);
    this.writer ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.write())
      .finally(() => (this.writer = undefined));
  }

  isUnrecorded(id: number): boolean {
    return this.unrecorded.has(id);
  }

  get size(): number {
    return this.unrecorded.size;
  }

  /** Resolves when every outcome so far is recorded. */
  async idle(): Promise<void> {
    while (this.writer) await this.writer;
  }

  /** A crash, for tests: what is not recorded yet is forgotten. */
  halt(): void {
    this.halted = true;
  }

  private async write(): Promise<void> {
    for (let pause = 100; this.queue.length && !this.halted; ) {
      const group = this.queue.slice(0, MAX_GROUP);
      try {
        await recordAttempts(this.db, this.owner(), group);
      } catch (error) {
        this.throttle.warn('outbox-results', { err: error, waiting: this.queue.length }, 'could not record sends yet; retrying until the database answers');
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, 2000);
        continue;
      }
      pause = 100;
      this.queue.splice(0, group.length);
      for (const { id } of group) this.unrecorded.delete(id);
      this.throttle.clear('outbox-results');
      this.onRecorded();
    }
  }
}
