/**
 * WeCom transport throughput and latency: from the fake WeCom sending a message callback to it receiving the bot's
 * reply, for the full path (inbox row → handler transaction queuing the reply → outbox → sender) next to a bare
 * echo over the same fake in the same run (SDK receive → reply, no database).
 *
 * Closed loop: `users` people in 1:1 chats, each sending their next message when the previous one was answered.
 * Rate limits are lifted in both the fake and the sender, so the figures are the transport's, not WeCom's quota.
 * `npm run bench transport`; BENCH_MESSAGES (per user), BENCH_DURABLE=1 (fsync on), DATABASE_URL (external server).
 */
import { execSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { Clock } from '../src/clock';
import { connectDatabase } from '../src/db/database';
import { runMigrations } from '../src/db/migrate';
import { WecomClient } from '../src/wecom/client';
import { startWecom } from '../src/wecom/index';
import { markdown } from '../src/protocol/outbound';
import { enqueue } from '../src/wecom/outbox';
import { FakeWeCom, type RecordedFrame } from '../fake-wecom/index';
import { benchDatabase } from './support/database';

const BOT = { botId: 'bench-bot', secret: 'bench-secret', name: '95598客服' };
const MESSAGES_PER_USER = Number(process.env.BENCH_MESSAGES ?? 100);
const LOADS = [1, 8, 32];
const logger = pino({ level: 'silent' });
const now = () => performance.timeOrigin + performance.now();

interface Result {
  users: number;
  messages: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Mean ms from the frame reaching the bot to its handler transaction committing (transport only). */
  inboundMean?: number;
}

/** Resolves a waiter when the fake records the reply frame for a callback's req_id. */
class ReplyWatch {
  private readonly waiting = new Map<string, () => void>();
  /** Replies that came before anyone waited (a fast echo can answer before `userSays` returns). */
  private readonly early = new Set<string>();
  private readonly sentAt = new Map<string, number>();
  readonly latencies: number[] = [];

  constructor(fake: FakeWeCom) {
    // The fake has no frame observer; its record array is the one place every frame passes.
    const push = fake.frames.push.bind(fake.frames);
    fake.frames.push = (...frames: RecordedFrame[]) => {
      for (const frame of frames) this.see(frame);
      return push(...frames);
    };
  }

  reset(): void {
    this.latencies.length = 0;
  }

  wait(reqId: string): Promise<void> {
    if (this.early.delete(reqId)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(reqId, resolve));
  }

  private see(frame: RecordedFrame): void {
    if (!frame.reqId) return;
    if (frame.direction === 'out' && frame.cmd === 'aibot_msg_callback') this.sentAt.set(frame.reqId, frame.at);
    if (frame.direction === 'in' && frame.cmd === 'aibot_respond_msg') {
      const sent = this.sentAt.get(frame.reqId);
      if (sent !== undefined) this.latencies.push(frame.at - sent);
      this.sentAt.delete(frame.reqId);
      const waiter = this.waiting.get(frame.reqId);
      if (waiter) waiter();
      else this.early.add(frame.reqId);
      this.waiting.delete(frame.reqId);
    }
  }
}

async function load(fake: FakeWeCom, watch: ReplyWatch, users: number, perUser: number): Promise<Result> {
  watch.reset();
  const started = now();
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      for (let n = 0; n < perUser; n++) {
        const { reqId } = await fake.userSays({ userId: `user-${u}`, text: `查询电费 ${n}` });
        await watch.wait(reqId);
      }
    }),
  );
  const seconds = (now() - started) / 1000;
  const sorted = [...watch.latencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  return { users, messages: users * perUser, perSecond: (users * perUser) / seconds, p50: pct(50), p99: pct(99) };
}

async function inboundMeanMs(metrics: Registry): Promise<number> {
  const { values } = await metrics.getSingleMetric('wecom_inbound_handle_seconds')!.get();
  const named = values as { metricName?: string; value: number }[];
  const sum = named.find((v) => v.metricName?.endsWith('_sum'))?.value ?? NaN;
  const count = named.find((v) => v.metricName?.endsWith('_count'))?.value ?? NaN;
  return (sum / count) * 1000;
}


async function main(): Promise<void> {
  const db = await benchDatabase();
  const handle = connectDatabase(db.url, 10);
  await runMigrations(handle.pool, logger);
  const unlimited = { perMinute: 1e9, perHour: 1e9 };
  const fake = await FakeWeCom.start({ bots: [BOT], rateLimit: unlimited, now });
  const watch = new ReplyWatch(fake);
  const results: { name: string; result: Result }[] = [];

  // Baseline: the SDK through our wrapper, answering each message at once.
  const echo: WecomClient = new WecomClient({
    ...BOT,
    wsUrl: fake.wsUrl,
    logger,
    // The last acks may still be on their way when the echo stops.
    onCallback: (frame) => void echo.reply(frame.headers.req_id, markdown(`收到：${frame.body?.text?.content ?? ''}`)).catch(() => undefined),
    onDropped: () => undefined,
    onStateChange: () => undefined,
  });
  echo.start();
  while (!echo.isAuthenticated) await new Promise((resolve) => setTimeout(resolve, 10));
  await load(fake, watch, 4, 20); // warm-up
  for (const users of LOADS) results.push({ name: 'bare echo', result: await load(fake, watch, users, MESSAGES_PER_USER) });
  echo.stop();

  // The product path: inbox, handler transaction, outbox, sender.
  const clock = new Clock();
  const metrics = new Registry();
  const transport = startWecom(
    { logger, clock, db: handle.db, metrics, database: { url: db.url } },
    {
      ...BOT,
      wsUrl: fake.wsUrl,
      apiBase: fake.apiBase,
      limits: unlimited,
      lockRetryMs: 200,
      journalDir: mkdtempSync(path.join(tmpdir(), 'bench-journal-')),
      handler: async (tx, event) => {
        if (event.kind !== 'text') return;
        await enqueue(tx, clock, BOT.botId, { channel: 'reply', chatId: event.chat.chatId, reqId: event.reqId, body: markdown(`收到：${event.text}`) });
      },
    },
  );
  while (!transport.isConnected()) await new Promise((resolve) => setTimeout(resolve, 10));
  await load(fake, watch, 4, 20);
  for (const users of LOADS) {
    metrics.resetMetrics();
    const result = await load(fake, watch, users, MESSAGES_PER_USER);
    results.push({ name: 'transport', result: { ...result, inboundMean: await inboundMeanMs(metrics) } });
  }
  await transport.stop();
  await fake.close();
  await handle.close();
  await db.close();

  report(results);
}

function report(results: { name: string; result: Result }[]): void {
  const cpu = execSync("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").toString().trim();
  const nproc = execSync('nproc').toString().trim();
  const commit = execSync('git rev-parse --short HEAD').toString().trim();
  console.log(`machine: ${nproc} × ${cpu}; node ${process.version}; commit ${commit}; ${MESSAGES_PER_USER} messages per user`);
  console.log(`database: ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'}, fsync ${process.env.BENCH_DURABLE ? 'on' : 'off'}`);
  console.log('| path | concurrent users | messages | messages/s | p50 ms | p99 ms | messages/s vs bare echo | inbound mean ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const { name, result } of results) {
    const base = results.find((r) => r.name === 'bare echo' && r.result.users === result.users)?.result;
    const ratio = base ? (result.perSecond / base.perSecond).toFixed(2) : '';
    console.log(
      `| ${name} | ${result.users} | ${result.messages} | ${result.perSecond.toFixed(0)} | ${result.p50.toFixed(2)} | ${result.p99.toFixed(2)} | ${ratio} | ${result.inboundMean?.toFixed(2) ?? ''} |`,
    );
  }
}

await main();
