import { Counter, type Registry } from 'prom-client';
import type { WorkCalendar } from '../../calendar/calendar';
import type { Clock } from '../../clock';
import type { Db, Executor } from '../../db/database';
import type { Logger } from '../../log';
import type { OutboxPort } from '../../protocol/outbound';
import type { Org } from '../org';
import { workingHours, type NagStep } from './deadlines';
import type { ClockDeps } from './clocks';
import { fireDue, nextFireAt, type FireDeps } from './fire';
import { markMissed } from './overdue';

/** How often the periodic sweep runs (jobs/sla-sweep.ts); a deadline further away than this is left to a later sweep. */
export const SWEEP_EVERY_MS = 30_000;
const BATCH = 500;

/**
 * The clocks of one process: fires due steps whenever asked (the periodic sweep, a one-off job at the next deadline,
 * a clock advance, start-up) and asks for a wake-up at the next deadline. Any number of processes may run one;
 * the database decides who fires what.
 */
export class SlaEngine {
  private running: Promise<void> | null = null;
  private rerun = false;
  private stopped = false;
  private wake: ((at: Date) => Promise<void>) | null = null;
  private lastWake = 0;

  constructor(private readonly deps: FireDeps) {}

  /** Where wake-ups go: the job runtime, as a one-off job at that time. */
  wakeWith(wake: (at: Date) => Promise<void>): void {
    this.wake = wake;
  }

  /**
   * Fires every due step, batch after batch. Callers during a run share it, and it goes round once more for them,
   * so whatever was due when they called has fired when their promise resolves.
   */
  sweep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** For event sources that cannot wait (clock listeners): failures are logged, the next sweep retries. */
  sweepSoon(): void {
    this.sweep().catch((error: unknown) => this.deps.logger.error({ err: error }, 'SLA sweep failed'));
  }

  /** Lets a running sweep finish; no new one starts. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
  }

  private async loop(): Promise<void> {
    do {
      this.rerun = false;
      await markMissed(this.deps.db, this.deps.clock.now());
      while ((await fireDue(this.deps, BATCH)) === BATCH && !this.stopped);
      await this.scheduleWake();
    } while (this.rerun && !this.stopped);
  }

  private async scheduleWake(): Promise<void> {
    if (!this.wake) return;
    const next = await nextFireAt(this.deps.db);
    if (!next || next.getTime() === this.lastWake) return;
    if (next.getTime() - this.deps.clock.nowMs() > SWEEP_EVERY_MS) return;
    this.lastWake = next.getTime();
    await this.wake(next);
  }
}

/** What the engine needs of the process (a benchmark builds just this). */
export interface SlaDeps {
  config: ClockDeps['config'];
  logger: Logger;
  clock: Clock;
  db: Db;
  calendar: WorkCalendar;
  metrics: Registry;
  outbox: OutboxPort;
}

/** The engine of this process, counting what it fires in `sla_nags_total`. */
export function createSlaEngine(ctx: SlaDeps, org: (executor: Executor) => Promise<Org>): SlaEngine {
  const nags = new Counter({
    name: 'sla_nags_total',
    help: 'SLA steps fired by this process, by step and outcome (sent, or skipped when nothing was due to anyone)',
    labelNames: ['step', 'outcome'],
    registers: [ctx.metrics],
  });
  return new SlaEngine({
    db: ctx.db,
    clock: ctx.clock,
    calendar: ctx.calendar,
    hours: workingHours(ctx.config),
    logger: ctx.logger.child({ module: 'sla' }),
    outbox: ctx.outbox,
    org,
    onFired: (step: NagStep, outcome) => nags.inc({ step, outcome }),
  });
}
