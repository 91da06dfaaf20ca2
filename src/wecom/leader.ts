import pg from 'pg';
import type { Logger } from '../log';

/**
 * Chooses the one process that holds the WeCom connection: whoever holds a session-level PostgreSQL advisory lock
 * on a dedicated connection. The lock dies with that connection, so when the holder dies another process gets it
 * at its next try. A holder that loses its lock connection is told at once and must drop the WeCom connection.
 */
export interface LeaderOptions {
  databaseUrl: string;
  /** One lock per bot: two bots may be held by different processes. */
  lockName: string;
  instanceId: string;
  logger: Logger;
  /** Period of lock attempts (followers) and liveness checks (holder) (default 5000). */
  retryMs?: number;
  /** Became the holder; `client` is the lock connection, usable for LISTEN. */
  onAcquired(client: pg.Client): Promise<void>;
  /** No longer the holder; called synchronously, before anything else runs. */
  onLost(): void;
}

/** Keeps the lock's key space apart from the migration lock (a single bigint key). */
const LOCK_CLASS = 0x5745; // "WE"

export class Leader {
  private client: pg.Client | undefined;
  private holding = false;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private lastRoundOkAt = 0;
  private round: Promise<void> = Promise.resolve();
  private readonly retryMs: number;

  constructor(private readonly options: LeaderOptions) {
    this.retryMs = options.retryMs ?? 5000;
  }

  get isHolder(): boolean {
    return this.holding;
  }

  /** The loop is alive and reached the database recently: a follower ready to take over. */
  get isHealthy(): boolean {
    return this.running && Date.now() - this.lastRoundOkAt < 3 * this.retryMs;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Lets go of the lock cleanly; the caller stops using the WeCom connection first. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.round;
    const client = this.client;
    this.client = undefined;
    this.holding = false;
    if (!client) return;
    client.removeAllListeners('end');
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  /** A crash, for tests: the lock connection's socket is destroyed, nothing is released or told. */
  kill(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.holding = false;
    this.client?.removeAllListeners();
    this.client?.on('error', () => undefined);
    this.client?.connection.stream.destroy();
    this.client = undefined;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.round = this.tryRound().finally(() => this.schedule(this.retryMs));
    }, ms);
  }

  private async tryRound(): Promise<void> {
    try {
      const client = this.client ?? (await this.connect());
      if (this.holding) {
        await client.query('SELECT 1');
      } else {
        const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [
          LOCK_CLASS,
          this.options.lockName,
        ]);
        if (rows[0]?.ok && this.running) {
          this.holding = true;
          this.options.logger.info({ lock: this.options.lockName }, 'this process now holds the WeCom connection');
          await this.options.onAcquired(client);
        }
      }
      this.lastRoundOkAt = Date.now();
    } catch (error) {
      this.lose(error);
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.options.databaseUrl,
      application_name: `wecom-lock ${this.options.instanceId}`.slice(0, 63),
      keepAlive: true,
      // A holder cut off from the database must notice within a round, not when TCP gives up.
      query_timeout: Math.max(this.retryMs, 2000),
      connectionTimeoutMillis: Math.max(this.retryMs, 2000),
    });
    client.on('error', (error) => this.lose(error, client));
    client.on('end', () => this.lose(new Error('lock connection ended'), client));
    try {
      await client.connect();
      // The server drops a vanished holder's session (and so its lock) within ~10 s instead of TCP's 2 hours.
      await client.query('SET tcp_keepalives_idle = 4; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3');
    } catch (error) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  private lose(error: unknown, client = this.client): void {
    if (client !== this.client) return; // a connection already given up
    if (client) {
      this.client = undefined;
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.connection.stream.destroy();
    }
    if (this.holding) {
      this.holding = false;
      this.options.logger.error({ err: error }, 'lost the WeCom connection lock; dropping the WeCom connection');
      this.options.onLost();
    } else {
      this.options.logger.warn({ err: error }, 'WeCom connection lock: database unreachable, retrying');
    }
  }
}
