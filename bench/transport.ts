/**
 * WeCom transport latency, open loop: messages arrive at a fixed rate whatever the bot answers (as people type), from
 * 1:1 chats of at most 20 messages each (under WeCom's 30 a minute per chat), through the fake WeCom; latency is from
 * the fake sending the callback to it receiving the reply, and replies must come in the order sent per chat. The
 * whole service as a child process (`npm start`'s path: inbox journal and group commit, the command's handler
 * transaction, outbox, answer lane) runs the real commands `/帮助`, `/查单` and `/报修`, beside a bare echo bot on the same SDK in the same
 * run (SDK receive → reply, no database). After each load, the statements (pg_stat_statements, BEGIN and COMMIT
 * included) and commits (pg_stat_database) the server ran during it, per command, everything in the process counted.
 *
 * `npm run bench transport`; BENCH_SECONDS (default 5), BENCH_DURABLE=1 (fsync on), BENCH_LOADS ("/帮助@200,…").
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { randomSecret, startEmbeddedPostgres } from '../src/db/embedded';
import { WecomClient } from '../src/wecom/client';
import { markdown } from '../src/protocol/outbound';
import { FakeWeCom, type RecordedFrame } from '../fake-wecom/index';
import { runService, waitForOk } from '../test/support/process';
import { freePort } from '../src/db/embedded';

const BOT = { botId: 'bench-bot', secret: 'bench-secret', name: '95598客服' };
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const LOADS = (process.env.BENCH_LOADS ?? '/帮助@200,/查单@200,/报修@100,/报修@400')
  .split(',')
  .map((spec) => {
    const [command, rate] = spec.split('@');
    return { command: command!, rate: Number(rate) };
  });
const logger = pino({ level: 'silent' });
const now = () => performance.timeOrigin + performance.now();
const text = (command: string, i: number, ticketNo: string) =>
  command === '/报修'
    ? `/报修 城关镇 人民路${i + 1}号 门口 变压器冒烟 张三 139${String(i).padStart(8, '0')}`
    : command === '/查单'
      ? `/查单 ${ticketNo}`
      : command;

/** Reply latency per callback req_id, from the fake's record of every frame. */
class ReplyWatch {
  private readonly sentAt = new Map<string, number>();
  readonly latencies = new Map<string, number>();
  readonly repliedAt = new Map<string, number>();

  constructor(fake: FakeWeCom) {
    const push = fake.frames.push.bind(fake.frames);
    fake.frames.push = (...frames: RecordedFrame[]) => {
      for (const frame of frames) this.see(frame);
      return push(...frames);
    };
  }

  private see(frame: RecordedFrame): void {
    if (!frame.reqId) return;
    if (frame.direction === 'out' && frame.cmd === 'aibot_msg_callback') this.sentAt.set(frame.reqId, frame.at);
    if (frame.direction === 'in' && frame.cmd === 'aibot_respond_msg' && !this.latencies.has(frame.reqId)) {
      const sent = this.sentAt.get(frame.reqId);
      if (sent !== undefined) this.latencies.set(frame.reqId, frame.at - sent);
      this.repliedAt.set(frame.reqId, frame.seq);
    }
  }
}

interface Result {
  name: string;
  command: string;
  rate: number;
  sent: number;
  answered: number;
  p50: number;
  p99: number;
  lastMs: number;
  /** Replies that came before the reply to an earlier message of the same chat. */
  outOfOrder: number;
  statements?: number;
  commits?: number;
}

async function openLoop(fake: FakeWeCom, watch: ReplyWatch, name: string, command: string, rate: number, ticketNo: string, tag: string): Promise<Result> {
  const total = Math.round(rate * SECONDS);
  const chats = Math.max(1, Math.ceil(total / 20));
  const reqIds: string[] = [];
  const started = now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const { reqId } = await fake.userSays({ chatType: 'single', userId: `${tag}-${i % chats}`, text: text(command, i, ticketNo) });
    reqIds.push(reqId);
  }
  const deadline = now() + 60_000;
  while (reqIds.some((id) => !watch.latencies.has(id)) && now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const latencies = reqIds.flatMap((id) => (watch.latencies.has(id) ? [watch.latencies.get(id)!] : [])).sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  // Per chat, a reply arriving before the reply to an earlier message of that chat.
  let outOfOrder = 0;
  const lastAt = new Map<number, number>();
  reqIds.forEach((id, i) => {
    const at = watch.repliedAt.get(id);
    if (at === undefined) return;
    if (at < (lastAt.get(i % chats) ?? -Infinity)) outOfOrder++;
    lastAt.set(i % chats, Math.max(at, lastAt.get(i % chats) ?? -Infinity));
  });
  return { name, command, rate, sent: total, answered: latencies.length, p50: pct(50), p99: pct(99), lastMs: latencies.at(-1) ?? NaN, outOfOrder };
}

/** An embedded server with pg_stat_statements loaded (set, then the server started again to load it). */
async function statsServer() {
  const dir = mkdtempSync(path.join(tmpdir(), 'wtb-bench-pg-'));
  const options = { dir: path.join(dir, 'pg'), password: randomSecret(), fast: !process.env.BENCH_DURABLE, logger };
  let server = await startEmbeddedPostgres(options);
  const admin = new pg.Client({ connectionString: server.urlFor('postgres') });
  await admin.connect();
  await admin.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
  await admin.query(`ALTER SYSTEM SET pg_stat_statements.track_utility = on`);
  await admin.end();
  await server.stop();
  server = await startEmbeddedPostgres(options);
  const again = new pg.Client({ connectionString: server.urlFor('postgres') });
  await again.connect();
  await again.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await again.end();
  return {
    url: server.urlFor('postgres'),
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function counters(client: pg.Client): Promise<{ statements: number; commits: number }> {
  const { rows } = await client.query<{ statements: string; commits: string }>(
    `SELECT (SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
              WHERE d.datname = current_database() AND s.query NOT ILIKE '%pg_stat%') AS statements,
            (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits`,
  );
  return { statements: Number(rows[0]!.statements), commits: Number(rows[0]!.commits) };
}

async function main(): Promise<void> {
  const server = await statsServer();
  const fake = await FakeWeCom.start({ bots: [BOT], rateLimit: { perMinute: 1e9, perHour: 1e9 }, pushRequiresActivation: false, now });
  const watch = new ReplyWatch(fake);
  const results: Result[] = [];

  // Baseline: the SDK through our wrapper, answering each message at once.
  const echo: WecomClient = new WecomClient({
    ...BOT,
    wsUrl: fake.wsUrl,
    logger,
    onCallback: (frame) => void echo.reply(frame.headers.req_id, markdown(`收到：${frame.body?.text?.content ?? ''}`)).catch(() => undefined),
    onDropped: () => undefined,
    onStateChange: () => undefined,
  });
  echo.start();
  while (!echo.isAuthenticated) await new Promise((resolve) => setTimeout(resolve, 10));
  let tag = 0;
  for (const { command, rate } of LOADS) results.push(await openLoop(fake, watch, 'bare echo', command, rate, 'GZ00000000-0000', `echo${tag++}`));
  echo.stop();

  // The service, as `npm start` runs it.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wtb-bench-data-'));
  const port = await freePort();
  const service = runService({
    DATABASE_URL: server.url,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    OPS_REPORTS: '0',
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    WECOM_BOT_ID: BOT.botId,
    WECOM_BOT_SECRET: BOT.secret,
    WECOM_WS_URL: fake.wsUrl,
    WECOM_API_BASE: fake.apiBase,
  });
  await waitForOk(`http://127.0.0.1:${port}/readyz`, 120_000, service);
  const stats = new pg.Client({ connectionString: server.url });
  await stats.connect();
  // One ticket for /查单, and a warm-up of each command.
  await openLoop(fake, watch, 'warm-up', '/报修', 5, '', 'warm');
  const { rows } = await stats.query<{ no: string }>('SELECT no FROM tickets ORDER BY id LIMIT 1');
  const ticketNo = rows[0]!.no;
  await openLoop(fake, watch, 'warm-up', '/帮助', 5, ticketNo, 'warm-help');
  await openLoop(fake, watch, 'warm-up', '/查单', 5, ticketNo, 'warm-query');
  for (const { command, rate } of LOADS) {
    await stats.query('SELECT pg_stat_statements_reset()');
    const before = await counters(stats);
    const result = await openLoop(fake, watch, 'service', command, rate, ticketNo, `svc${tag++}`);
    const after = await counters(stats);
    if (process.env.BENCH_TOP) {
      const top = await stats.query<{ calls: string; query: string }>(
        `SELECT calls, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 110) AS query FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat%' ORDER BY calls DESC LIMIT 25`,
      );
      console.log(`${command} @ ${rate}/s, statements by calls:\n${top.rows.map((row) => `${row.calls}\t${row.query}`).join('\n')}`);
    }
    results.push({ ...result, statements: (after.statements - before.statements) / result.sent, commits: (after.commits - before.commits) / result.sent });
  }
  // SIGINT under load: reports keep coming at 400/s; a second in, Ctrl-C.
  const storm = openLoop(fake, watch, 'SIGINT', '/报修', 400, ticketNo, `sigint${tag++}`).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const interrupted = now();
  service.child.kill('SIGINT');
  const code = await service.exited;
  const stopMs = now() - interrupted;
  void storm;
  await stats.end();
  await fake.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  report(results, stopMs, code);
}

function report(results: Result[], stopMs: number, code: number | null): void {
  const cpu = execSync("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").toString().trim();
  const nproc = execSync('nproc').toString().trim();
  const commit = execSync('git rev-parse --short HEAD').toString().trim();
  console.log(`machine: ${nproc} × ${cpu}; node ${process.version}; commit ${commit}; open loop, ${SECONDS} s per load, one 1:1 chat per message`);
  console.log(`database: embedded PostgreSQL, fsync ${process.env.BENCH_DURABLE ? 'on' : 'off'}; load average ${execSync('cat /proc/loadavg').toString().trim()}`);
  console.log('| path | command | rate /s | sent | answered | p50 ms | p99 ms | last ms | out of order | statements per command | commits per command |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.command} | ${r.rate} | ${r.sent} | ${r.answered} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.lastMs.toFixed(0)} | ${r.outOfOrder} | ` +
        `${r.statements?.toFixed(1) ?? ''} | ${r.commits?.toFixed(2) ?? ''} |`,
    );
  }
  console.log(`SIGINT a second into /报修 at 400/s: the service exited ${stopMs.toFixed(0)} ms later, code ${code}`);
}

await main();
