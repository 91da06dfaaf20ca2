/**
 * SLA timers: 100,000 pending steps in `sla_timers`, due evenly over the next 100 minutes (17 a second, far beyond a
 * county desk), fired by the real engine and job runtime (Agenda on PostgreSQL: a one-off wake-up at the next deadline
 * plus the 30-second sweep), each queuing its nag in the outbox. For one minute we watch the steps that come due:
 * lateness = when a step was claimed − when it was due. Baselines in the same run: plain `setTimeout` for the same
 * 100,000 due times (in memory, lost on restart), and the engine with the 30-second sweep alone. Memory: heap held for
 * the pending timers, and peak RSS while firing. Then capacity: 10,000 steps all due at once, fired how fast.
 * `npm run bench timers`; BENCH_TIMERS (default 100000), BENCH_HORIZON_MIN (100), BENCH_WATCH_S (60), DATABASE_URL.
 */
import { execSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'kysely';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { slaSweep } from '../jobs/sla-sweep';
import { Clock } from '../src/clock';
import { loadConfig } from '../src/config';
import { connectDatabase, type DatabaseHandle } from '../src/db/database';
import { runMigrations } from '../src/db/migrate';
import { WorkCalendar } from '../src/calendar/calendar';
import { OrgStore } from '../src/domain/org/store';
import { slaDeadline } from '../jobs/sla-deadline';
import { outboxPort } from '../src/wecom/outbox';
import type { JobSpec } from '../jobs/spec';
import { createBackupService } from '../src/backup/backup';
import { createMonthlyService } from '../src/domain/reports/monthly';
import { createDigestService } from '../src/domain/reports/digest';
import { createSlaEngine } from '../src/domain/sla/engine';
import { createOpsService } from '../src/domain/ops/index';
import { startJobs } from '../src/jobs-runtime';
import { benchDatabase } from './support/database';

const TIMERS = Number(process.env.BENCH_TIMERS ?? 100_000);
const HORIZON_MS = Number(process.env.BENCH_HORIZON_MIN ?? 100) * 60_000;
const WATCH_MS = Number(process.env.BENCH_WATCH_S ?? 60) * 1000;
const BURST = Math.min(10_000, TIMERS);
/** Time to write the rows and start the runtime before the first step comes due (checked). */
const LEAD_MS = 15_000;
const logger = pino({ level: 'silent' });
const MB = 1024 * 1024;
// Heap figures need a collection before each reading; the runner starts us without --expose-gc.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

interface Result {
  name: string;
  fired: number;
  p50: number;
  p99: number;
  max: number;
  heapPendingMb: number;
  rssPeakMb: number;
  seconds: number;
}

/**
 * Only the SLA jobs: the service's other jobs (the morning digest on a working day after 08:30) would add their own
 * outbox rows and work to what is measured.
 */
const SLA_JOBS: JobSpec[] = [slaSweep, slaDeadline];

async function main(): Promise<void> {
  const db = await benchDatabase();
  // A crash must not leave the throw-away database (about 130 MB) behind.
  try {
    const handle = connectDatabase(db.url, 10);
    try {
      await runMigrations(handle.pool, logger);
      await seedOrg(handle);
      const results: Result[] = [await withSetTimeout()];
      results.push(await withEngine(handle, db.url, 'engine: wake-up at each deadline + 30 s sweep', SLA_JOBS));
      results.push(await withEngine(handle, db.url, 'engine: 30 s sweep alone', [slaSweep]));
      const capacity = await burst(handle, db.url);
      const { rows } = await sql<{ mb: number }>`
        SELECT (pg_total_relation_size('sla_timers') + pg_total_relation_size('sla_clocks'))::float8 / ${MB} AS mb
      `.execute(handle.db);
      report(results, capacity, rows[0]!.mb);
    } finally {
      await handle.close();
    }
  } finally {
    await db.close();
  }
  // Agenda's lock keep-alive timer may still be pending; the figures are out.
  process.exit(0);
}

/** Step i is due at `start + LEAD + i/TIMERS × HORIZON`, in both the baseline and the tables. */
function dueTimes(start: number): number[] {
  return Array.from({ length: TIMERS }, (_, i) => start + LEAD_MS + Math.floor((i / TIMERS) * HORIZON_MS));
}

/** Until the end of the watched minute. */
function watchEnd(start: number): number {
  return start + LEAD_MS + WATCH_MS;
}

async function withSetTimeout(): Promise<Result> {
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = Date.now();
  const late: number[] = [];
  const timers = dueTimes(start).map((due) => setTimeout(() => late.push(Date.now() - due), due - Date.now()));
  gc();
  const heapPendingMb = (process.memoryUsage().heapUsed - heapBefore) / MB;
  const rss = sampleRss();
  await new Promise((resolve) => setTimeout(resolve, watchEnd(start) - Date.now()));
  for (const timer of timers) clearTimeout(timer);
  late.sort((a, b) => a - b);
  return { name: 'setTimeout (baseline, in memory)', fired: late.length, ...percentiles(late), heapPendingMb, rssPeakMb: rss.stop(), seconds: (Date.now() - start) / 1000 };
}

async function withEngine(handle: DatabaseHandle, url: string, name: string, jobs: JobSpec[]): Promise<Result> {
  const start = Date.now();
  await insertPending(handle, start);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const runtime = await startRuntime(handle, url, jobs);
  gc();
  const heapPendingMb = (process.memoryUsage().heapUsed - heapBefore) / MB;
  if (Date.now() > start + LEAD_MS) throw new Error(`setting up took ${Date.now() - start} ms, more than the lead of ${LEAD_MS} ms`);
  const rss = sampleRss();
  await new Promise((resolve) => setTimeout(resolve, watchEnd(start) - Date.now()));
  const rssPeakMb = rss.stop();
  await runtime.stop();
  // Lateness of everything that was due in the watched minute (a step due but not yet fired counts as late until now).
  const { rows } = await sql<{ fired: number; p50: number; p99: number; max: number }>`
    SELECT count(fired_at)::int AS fired,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99,
           max(ms) AS max
    FROM (
      SELECT fired_at, (extract(epoch FROM coalesce(fired_at, ${new Date(watchEnd(start))}) - fire_at) * 1000)::float8 AS ms
      FROM sla_timers WHERE fire_at <= ${new Date(watchEnd(start))}
    ) late
  `.execute(handle.db);
  const outbox = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox WHERE dedupe_key LIKE 'sla:%'`.execute(handle.db);
  if (outbox.rows[0]!.n !== rows[0]!.fired) throw new Error(`${outbox.rows[0]!.n} nags queued for ${rows[0]!.fired} steps`);
  return { name, ...rows[0]!, heapPendingMb, rssPeakMb, seconds: (Date.now() - start) / 1000 };
}

/** 10,000 steps all due now, 90,000 more pending: how many the engine fires per second, each with its nag. */
async function burst(handle: DatabaseHandle, url: string): Promise<{ perSecond: number; bareSqlPerSecond: number }> {
  const now = Date.now();
  await insertPending(handle, now - LEAD_MS - HORIZON_MS);
  await sql`UPDATE sla_timers SET fire_at = ${new Date(now + 86_400_000)} WHERE id > ${BURST}`.execute(handle.db);
  // Deadlines still ahead, so every warning is sent rather than skipped as overtaken.
  await sql`UPDATE sla_clocks SET due_at = ${new Date(now + 86_400_000)}`.execute(handle.db);
  const started = performance.now();
  const runtime = await startRuntime(handle, url, SLA_JOBS);
  while ((await due(handle)) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const perSecond = BURST / ((performance.now() - started) / 1000);
  await runtime.stop();
  // The floor of any database timer: the same number of rows claimed by one bare UPDATE, no messages.
  await sql`UPDATE sla_timers SET fired_at = NULL, fire_at = ${new Date(now)} WHERE id <= ${BURST}`.execute(handle.db);
  const bare = performance.now();
  await sql`UPDATE sla_timers SET fired_at = now() WHERE fired_at IS NULL AND fire_at <= now()`.execute(handle.db);
  return { perSecond, bareSqlPerSecond: BURST / ((performance.now() - bare) / 1000) };
}

/** The service's job runtime and the services its jobs call, on the bench database. */
function startRuntime(handle: DatabaseHandle, url: string, jobs: readonly JobSpec[]) {
  const clock = new Clock();
  const orgs = new OrgStore();
  const deps = {
    config: loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', SANDBOX: '1' }),
    logger,
    clock,
    db: handle.db,
    calendar: new WorkCalendar(),
    metrics: new Registry(),
    orgs,
    outbox: outboxPort(clock, 'bench-bot'),
  };
  const services = {
    sla: createSlaEngine(deps, (executor) => orgs.current(executor)),
    digest: createDigestService(deps),
    backup: createBackupService({ ...deps, database: handle }),
    monthly: createMonthlyService(deps),
    // No inquiries in this bench: the SLA timers are what it measures.
    inquiries: { lapse: async () => 0 },
    // The benchmark measures the SLA timers alone: no outage notices to end.
    outages: { endDue: async () => {}, endSoon: () => {} },
    // Nor the operations messages: only the SLA jobs run here.
    ops: createOpsService({ ...deps, database: { embedded: false } }, 'bench-bot', async () => false),
  };
  return startJobs({ databaseUrl: url, clock, logger }, services, jobs);
}

async function due(handle: DatabaseHandle): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM sla_timers WHERE fired_at IS NULL AND fire_at <= now()`.execute(handle.db);
  return rows[0]!.n;
}

/** 100,000 steps of 25,000 arrival clocks of 25,000 repairs, written straight to the tables (anything before goes). */
async function insertPending(handle: DatabaseHandle, start: number): Promise<void> {
  await sql`TRUNCATE sla_timers, sla_clocks, outbox, agenda_jobs, tickets RESTART IDENTITY CASCADE`.execute(handle.db);
  const clocks = Math.ceil(TIMERS / 4);
  const startedAt = new Date(start);
  await sql`
    INSERT INTO tickets (no, kind, state, area_class, owner_unit_id, description, opened_by, source_chat_id, created_at, updated_at)
    SELECT 'GZ20261124-' || lpad(i::text, 6, '0'), 'repair', 'accepted', 'urban', 'khzx', '基准测试', 'bench', 'bench', ${startedAt}, ${startedAt}
    FROM generate_series(1, ${clocks}) i
  `.execute(handle.db);
  await sql`
    INSERT INTO sla_clocks (ticket_id, policy_id, unit_id, started_at, due_at, limit_amount, limit_unit)
    SELECT k.id, p.id, 'khzx', ${startedAt}, ${new Date(start + LEAD_MS + HORIZON_MS)}, p.limit_amount, p.limit_unit
    FROM tickets k, sla_policies p WHERE p.code = 'repair.arrival.urban'
  `.execute(handle.db);
  // Step number n (ids follow it) is due at start + LEAD + n/TIMERS × HORIZON, as in dueTimes().
  await sql`
    INSERT INTO sla_timers (clock_id, step, fire_at)
    SELECT c.id, (ARRAY['warn', 'breach', 'unit_leader', 'company_leader'])[s],
           ${new Date(start + LEAD_MS)}::timestamptz + (floor((n - 1)::float8 / ${TIMERS} * ${HORIZON_MS}) * interval '1 millisecond')
    FROM generate_series(1, ${TIMERS}) n
    CROSS JOIN LATERAL (SELECT ((n - 1) % ${clocks}) + 1 AS id, ((n - 1) / ${clocks})::int + 1 AS s) c
    ORDER BY n
  `.execute(handle.db);
  await sql`ANALYZE sla_timers`.execute(handle.db);
}

async function seedOrg(handle: DatabaseHandle): Promise<void> {
  const doc = await readFile('config/org.example.json', 'utf8');
  await handle.db.insertInto('org_versions').values({ doc, source: 'file', created_at: new Date() }).execute();
}

function percentiles(sorted: number[]): { p50: number; p99: number; max: number } {
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
}

function sampleRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return {
    stop() {
      clearInterval(timer);
      return peak / MB;
    },
  };
}


function report(results: Result[], capacity: { perSecond: number; bareSqlPerSecond: number }, tableMb: number): void {
  const cpu = execSync("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").toString().trim();
  const nproc = execSync('nproc').toString().trim();
  const commit = execSync('git rev-parse --short HEAD').toString().trim();
  console.log(`machine: ${nproc} × ${cpu}; node ${process.version}; commit ${commit}`);
  console.log(
    `${TIMERS} pending steps due over ${HORIZON_MS / 60_000} min, watched for ${WATCH_MS / 1000} s; ` +
      `database: ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL, fsync off'}`,
  );
  console.log('| timers | fired in the watched minute | late p50 ms | late p99 ms | late max ms | p99 vs setTimeout | heap held for 100,000 pending, MB | peak RSS MB |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const base = results[0]!;
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.fired} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${(r.p99 / Math.max(base.p99, 1)).toFixed(1)}× | ${r.heapPendingMb.toFixed(1)} | ${r.rssPeakMb.toFixed(0)} |`,
    );
  }
  console.log(`on disk: ${TIMERS} steps and their clocks, with indexes: ${tableMb.toFixed(1)} MB`);
  console.log(
    `capacity: ${BURST} steps due at once fired with their nags at ${capacity.perSecond.toFixed(0)}/s; ` +
      `a bare UPDATE of the same rows (no messages): ${capacity.bareSqlPerSecond.toFixed(0)}/s (${(capacity.perSecond / capacity.bareSqlPerSecond).toFixed(3)}×)`,
  );
}

await main();
