import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { Clock } from '../clock';
import { connectDatabase, type Db } from '../db/database';
import type { Logger } from '../log';
import type { ReadinessCheck } from '../http/server';
import { WecomClient } from './client';
import { readCallback } from './frames';
import type { InboundHandler } from '../protocol/inbound';
import { storableFrame } from './well-formed';
import { Inbox } from './inbox';
import { InboxJournal } from './inbox-journal';
import { LogThrottle } from '../log-throttle';
import { Leader } from './leader';
import { wecomMetrics } from './metrics';
import { OutboxSender, WECOM_LIMITS, type SenderLimits, type SenderOptions } from './outbox-sender';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
import { sendWebhook } from './webhook';
import { workingHolder } from './lease-store';

/**
 * The WeCom transport of one process: it competes for the connection lock; as the holder it keeps the long
 * connection, feeds inbound events to `handler` through the inbox and sends the outbox. Any process may write
 * outbox rows; only the holder sends them.
 */
export interface WecomOptions {
  botId: string;
  secret: string;
  wsUrl: string;
  /** Base of WeCom's HTTP APIs (group robot webhooks). */
  apiBase: string;
  handler: InboundHandler;
  /**
   * Where this machine keeps the inbox journal (DATA_DIR/journal/<bot>): frames read but not yet in the database, and
   * those of processes that died before writing them, read back by the next process here.
   */
  journalDir: string;
  /** The journal's bound (default 256 MiB); past it frames wait in memory only. */
  journalMaxBytes?: number;
  /** The desk group's chat id, told when messages are given up (organisation data lives elsewhere). */
  deskChatId?: () => Promise<string | undefined>;
  chatName?: (chatId: string) => Promise<string | undefined>;
  /** How the SLA clocks a queued nag is about stand at its turn (see the sender's option). */
  nagProgress?: SenderOptions['nagProgress'];
  /** Lease renewals by the holder and take-over attempts by the others (default 1000; a lease lasts 5 periods). */
  lockRetryMs?: number;
  /** The sandbox's simulated WeCom: never takes on rows queued before rows carried their bot. */
  simulated?: boolean;
  /** Told at every authentication of the long connection (the app records that a real bot served this database). */
  onConnected?: () => void;
  heartbeatIntervalMs?: number;
  reconnectIntervalMs?: number;
  authTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  limits?: Partial<SenderLimits>;
  /** Handler attempts before the apology (default 3) and the pause between them (default 200 ms, growing). */
  inboundMaxAttempts?: number;
  inboundRetryDelayMs?: number;
  /** Sweep of unhandled inbox rows after the database failed mid-way (default 30 s). */
  inboundRecoveryDelayMs?: number;
}

/** NOTIFY channel: inbox rows were read back from a journal by a process that does not hold the connection. */
const INBOX_CHANNEL = 'inbox';
const notifyInbox = sql`SELECT pg_notify(${INBOX_CHANNEL}, '')`;

export interface WecomTransport {
  /** This process holds the connection lock. */
  isHolder(): boolean;
  /** This process holds an authenticated long connection. */
  isConnected(): boolean;
  /** `/readyz`: some process holds a fresh lease with an authenticated connection (this one, or another). */
  readiness: ReadinessCheck;
  /** Resolves when every event received so far is handled and no row is being sent. */
  settled(): Promise<void>;
  /**
   * Graceful: closes the connection, finishes what is in flight for up to `graceMs` (default 5000; frames not yet
   * written stay in the journal, rows not yet handled in the inbox, for the next holder), releases the lock.
   */
  stop(graceMs?: number): Promise<void>;
  /** A crash, for tests: sockets and the lock connection are destroyed, nothing is released. */
  kill(): void;
}

/** What the transport needs of the process. */
export interface WecomContext {
  logger: Logger;
  clock: Clock;
  db: Db;
  metrics: Registry;
  database: { url: string };
}

export function startWecom(ctx: WecomContext, options: WecomOptions): WecomTransport {
  const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const logger = ctx.logger.child({ component: 'wecom', instance: instanceId });
  const metrics = wecomMetrics(ctx.metrics);
  const throttle = new LogThrottle(logger);
  // The transport's own connections: frames, sends and their outcomes never wait for a connection behind the
  // handlers' transactions (a storm of reports fills the main pool with them).
  const transportDb = connectDatabase(ctx.database.url, 3);
  const journal = new InboxJournal(options.journalDir, instanceId, options.journalMaxBytes);

  const client: WecomClient = new WecomClient({
    botId: options.botId,
    secret: options.secret,
    wsUrl: options.wsUrl,
    logger,
    ...(options.heartbeatIntervalMs !== undefined && { heartbeatIntervalMs: options.heartbeatIntervalMs }),
    ...(options.reconnectIntervalMs !== undefined && { reconnectIntervalMs: options.reconnectIntervalMs }),
    ...(options.authTimeoutMs !== undefined && { authTimeoutMs: options.authTimeoutMs }),
    onCallback(received) {
      const startedAt = performance.now();
      const frame = storableFrame(received);
      const reading = readCallback(frame, ctx.clock.now());
      if (reading.kind === 'event') {
        inbox.receive(reading.event, reading.dedupeKey, frame, startedAt);
      } else if (reading.kind === 'ignored') {
        metrics.framesIgnored.inc({ what: reading.what });
        logger.debug({ what: reading.what, detail: reading.detail }, 'WeCom frame not for any handler');
      } else {
        metrics.framesRejected.inc({ reason: reading.reason });
        logger.warn({ reason: reading.reason, detail: reading.detail }, 'malformed WeCom frame dropped');
      }
    },
    onDropped(reason, detail) {
      metrics.framesRejected.inc({ reason });
      logger.warn({ reason, detail }, 'malformed WeCom frame dropped');
    },
    onStateChange() {
      metrics.connected.set(client.isAuthenticated ? 1 : 0);
      if (client.isAuthenticated) {
        options.onConnected?.();
        sender.wake();
      }
    },
  });

  const sender = new OutboxSender({
    db: transportDb.db,
    clock: ctx.clock,
    logger,
    throttle,
    metrics,
    connection: client,
    webhook: (key, body) => sendWebhook(options.apiBase, key, body),
    botId: options.botId,
    fence: () => leader.fence(),
    maySend: () => leader.holds(),
    adoptUnowned: !options.simulated,
    policy: {
      ...DEFAULT_RETRY_POLICY,
      ...options.retry,
      giveUpMs: { ...DEFAULT_RETRY_POLICY.giveUpMs, ...options.retry?.giveUpMs },
    },
    limits: { ...WECOM_LIMITS, ...options.limits },
    ...(options.deskChatId && { deskChatId: options.deskChatId }),
    ...(options.chatName && { chatName: options.chatName }),
    ...(options.nagProgress && { nagProgress: options.nagProgress }),
  });

  const inbox = new Inbox({
    botId: options.botId,
    db: ctx.db,
    writer: transportDb.db,
    clock: ctx.clock,
    logger,
    throttle,
    metrics,
    journal,
    handler: options.handler,
    ...(options.inboundMaxAttempts !== undefined && { maxAttempts: options.inboundMaxAttempts }),
    ...(options.inboundRetryDelayMs !== undefined && { retryDelayMs: options.inboundRetryDelayMs }),
    ...(options.inboundRecoveryDelayMs !== undefined && { recoveryDelayMs: options.inboundRecoveryDelayMs }),
    onHandled: () => sender.wake(),
  });

  let stopped = false;
  const leader: Leader = new Leader({
    databaseUrl: ctx.database.url,
    botId: options.botId,
    instanceId,
    logger,
    throttle,
    ...(options.lockRetryMs !== undefined && { retryMs: options.lockRetryMs }),
    connected: () => client.isAuthenticated,
    async onAcquired() {
      metrics.holder.set(1);
      // Frames a dead process on this machine journaled, and rows an earlier holder left, go first; then the
      // connection opens and new frames queue behind them per chat.
      await inbox.replayOrphans();
      await inbox.recover();
      if (stopped) return;
      // Rows another process read back from its machine's journal while this one held the connection.
      await leader.listen(INBOX_CHANNEL, () => void inbox.recover().catch(() => undefined));
      await sender.start((channel, onNotify) => leader.listen(channel, onNotify));
      // A stop that came during the set-up must not be followed by a connection nobody will close.
      if (!stopped) client.start();
    },
    onLost() {
      metrics.holder.set(0);
      client.stop();
      sender.halt();
    },
  });
  leader.start();
  readBackJournals();

  /** Any process, holder or not, reads back what dead processes here left in the journal, once the database answers. */
  function readBackJournals(pause = 500): void {
    if (stopped) return;
    inbox
      .replayOrphans()
      .then(async (added) => {
        if (added > 0 && !leader.isHolder) await notifyInbox.execute(ctx.db);
      })
      .catch(() => setTimeout(() => readBackJournals(Math.min(pause * 2, 10_000)), pause).unref());
  }

  return {
    isHolder: () => leader.isHolder,
    isConnected: () => client.isAuthenticated,
    readiness: {
      name: 'wecom',
      check: async () =>
        leader.isHolder ? leader.holds() && client.isAuthenticated : leader.isHealthy && (await workingHolder(ctx.db, options.botId)),
    },
    async settled() {
      await inbox.idle();
      await sender.idle();
    },
    async stop(graceMs = 5000) {
      stopped = true;
      sender.halt();
      const deadline = Date.now() + graceMs;
      const within = (work: Promise<void>) =>
        Promise.race([work, new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref())]);
      // Sends in flight get their answers before the socket closes; frames read meanwhile are journaled like any.
      await within(sender.idle());
      client.stop();
      await within(inbox.idle());
      inbox.halt();
      journal.close();
      await leader.stop();
      await transportDb.close();
      metrics.holder.set(0);
      metrics.connected.set(0);
    },
    kill() {
      stopped = true;
      inbox.halt();
      journal.abandon();
      sender.kill();
      client.stop();
      leader.kill();
      // As a crash would: the connections drop, and their queries with them.
      transportDb.pool.end().catch(() => undefined);
    },
  };
}
