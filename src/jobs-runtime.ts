import { PostgresBackend } from '@agendajs/postgres-backend';
import { LogThrottle } from './log-throttle';
import { Agenda } from 'agenda';
import type { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import pg from 'pg';
import type { JobServices, JobSpec } from '../jobs/spec';
import type { Clock } from './clock';
import { survivesServerLoss } from './db/database';
import type { Logger } from './log';

/** What the runtime needs of the process: its database, the app's clock and a log. */
export interface JobRuntimeDeps {
  databaseUrl: string;
  clock: Clock;
  logger: Logger;
}

export interface JobRuntime {
  services: JobServices;
  /** Runs a one-off job at `at`, a time on the app's clock. */
  scheduleAt(name: string, at: Date): Promise<void>;
  /** Whether the job runtime still reaches its database. */
  ready(): Promise<boolean>;
  stop(): Promise<void>;
}

// Handlers are short (one sweep), so a short lock: a job whose process died is retried within seconds, and Agenda's
// liveness timer (half the lock lifetime) does not hold a stopping process for minutes.
const LOCK_LIFETIME_MS = 20_000;
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * Agenda on the service's own PostgreSQL. Its table is created by migration 040 (ensureSchema off: the backend's own
 * schema creation races when processes start together). Agenda is at-least-once and may drop a one-off job at shutdown,
 * so jobs only ever nudge domain services whose own tables say what is due.
 */
export async function startJobs(ctx: JobRuntimeDeps, services: JobServices, jobs: readonly JobSpec[]): Promise<JobRuntime> {
  const logger = ctx.logger.child({ module: 'jobs' });
  // A pool of its own: the LISTEN connection and job locking stay off the request path's pool.
  const pool = survivesServerLoss(new pg.Pool({ connectionString: ctx.databaseUrl, max: 4, application_name: 'wecom-ticket-bot-jobs' }));
  const backend = new PostgresBackend({ pool, ensureSchema: false });
  const agenda = new Agenda({
    backend,
    name: `${hostname()}:${process.pid}`,
    // A one-off job whose in-memory timer fires a hair early is left for the next scan (measured: bench/timers.ts),
    // so the scan interval bounds how late a deadline's wake-up can be.
    processEvery: '1 second',
    defaultLockLifetime: LOCK_LIFETIME_MS,
  });
  // A database outage fails every scan and every wake-up the same way: one line per cause per half-minute.
  const throttle = new LogThrottle(logger);
  agenda.on('error', (error) => throttle.error('runtime', { err: error }, 'job runtime error'));
  // The backend reports a lost LISTEN connection (the database restarting, or stopping first on a terminal's Ctrl-C)
  // as an 'error' event and reconnects by itself; unheard, that event would end the process.
  (backend.notificationChannel as unknown as EventEmitter | undefined)?.on('error', (error: unknown) =>
    throttle.warn('notifications', { err: error }, 'job wake-up notifications interrupted'),
  );
  agenda.on('fail', (error: Error | string, job: { attrs?: { name: string }; jobName?: string }) =>
    logger.error({ err: error, job: job.attrs?.name ?? job.jobName }, 'job failed'),
  );
  // No per-job concurrency limit: handlers only nudge services that run one pass at a time (the SLA sweep coalesces),
  // and Agenda's one-at-a-time would hold the next deadline's wake-up behind the running one.
  for (const job of jobs) {
    agenda.define(job.name, () => job.handle(services), { removeOnComplete: job.every === undefined });
  }
  let started = false;
  let unhook = () => {};
  const stop = async () => {
    unhook();
    if (started) await agenda.stop();
    await services.sla.stop();
    await pool.end();
  };
  try {
    // The backend connects from Agenda's constructor and never settles `ready` on failure: bound the wait.
    await withTimeout(agenda.ready, CONNECT_TIMEOUT_MS, 'the job runtime could not connect to PostgreSQL');
    await agenda.start();
    started = true;
    for (const job of jobs) {
      if (job.every !== undefined) await agenda.every(job.every, job.name, undefined, job.timezone ? { timezone: job.timezone } : {});
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const runtime: JobRuntime = {
    services,
    async scheduleAt(name, at) {
      // Agenda waits on the machine's time; the app's clock may run ahead (sandbox, tests), so translate the interval.
      const inMs = at.getTime() - ctx.clock.nowMs();
      await agenda.schedule(new Date(Date.now() + Math.max(0, inMs)), name);
    },
    ready: () => pool.query('SELECT 1').then((result) => result.rowCount === 1),
    stop,
  };
  services.sla.wakeWith((at) => runtime.scheduleAt('sla-deadline', at));
  // A clock moved forward (tests, the sandbox) makes deadlines due now, not at the machine's next sweep.
  unhook = ctx.clock.onAdvance(() => {
    services.sla.sweepSoon();
    services.outages.endSoon();
    services.digest.sendSoon();
  });
  // Catch up on whatever came due while no process was running.
  services.sla.sweepSoon();
  logger.info({ jobs: jobs.map((job) => job.name) }, 'job runtime started');
  return runtime;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
