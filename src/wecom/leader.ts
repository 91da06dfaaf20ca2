import pg from 'pg';
import type { Logger } from '../log';
import type { LogThrottle } from '../log-throttle';

/**
 * Chooses the one process that holds a bot's WeCom connection: whoever holds its lease in `wecom_leases`. The holder
 * renews the lease every round; a lease not renewed for `ttl` (a crash, a frozen process, a lost network) is taken over
 * by another process, which bumps its epoch. The holder trusts its lease only until `ttl` after the start of its last
 * successful renewal, measured on the monotonic clock, so a process resumed after SIGSTOP knows at once that it may no
 * longer send, before any database round; the outbox claim checks the epoch in the database as well (fencing).
 * A database outage does not end holding: the lease may lapse (nothing is sent meanwhile, and /readyz says so), but
 * the WeCom connection stays and frames keep going to the inbox journal; when the database answers, a renewal that
 * finds the lease still ours carries on, one that finds it taken over gives the connection up. No other process could
 * have taken the lease while the database was away for it too, and if one did, WeCom hands the connection to it.
 */
export interface LeaderOptions {
  databaseUrl: string;
  botId: string;
  instanceId: string;
  logger: Logger;
  throttle: LogThrottle;
  /** Period of renewals (holder) and take-over attempts (others) (default 1000); the lease lasts six periods. */
  retryMs?: number;
  /** Whether the holder's long connection is authenticated, written with each renewal (for /readyz anywhere). */
  connected(): boolean;
  /** Became the holder with this epoch. */
  onAcquired(epoch: number): Promise<void>;
  /** No longer the holder; called synchronously, before anything else runs. */
  onLost(): void;
}

export interface Fence {
  botId: string;
  holder: string;
  epoch: number;
}

/** A renewal may fail twice in a row (a slow query on a loaded server) without the lease running out. */
const TTL_ROUNDS = 6;

export class Leader {
  private client: pg.Client | undefined;
  private holding = false;
  private epoch = 0;
  private validUntil = 0;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private lastRoundOkAt = 0;
  private round: Promise<void> = Promise.resolve();
  private readonly retryMs: number;
  private readonly ttlMs: number;
  private readonly channels = new Map<string, () => void>();

  constructor(private readonly options: LeaderOptions) {
    this.retryMs = options.retryMs ?? 1000;
    this.ttlMs = TTL_ROUNDS * this.retryMs;
  }

  get isHolder(): boolean {
    return this.holding;
  }

  /** Holding a lease that cannot have expired yet: the only state in which this process may send. */
  holds(): boolean {
    return this.holding && performance.now() < this.validUntil;
  }

  fence(): Fence {
    return { botId: this.options.botId, holder: this.options.instanceId, epoch: this.epoch };
  }

  /** The loop is alive and reached the database recently. */
  get isHealthy(): boolean {
    return this.running && Date.now() - this.lastRoundOkAt < 3 * this.retryMs;
  }

  /** LISTENs on `channel` over the lease connection, again after every reconnect (then `onNotify` runs once, to catch up). */
  async listen(channel: string, onNotify: () => void): Promise<void> {
    this.channels.set(channel, onNotify);
    await this.client?.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Hands the lease back (expired at once, so another process takes over at its next round). */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.round;
    const client = this.client;
    this.client = undefined;
    const held = this.holding;
    this.holding = false;
    if (!client) return;
    client.removeAllListeners('end');
    if (held) {
      await client
        .query('UPDATE wecom_leases SET expires_at = now(), connected = false WHERE bot_id = $1 AND holder = $2 AND epoch = $3', [
          this.options.botId,
          this.options.instanceId,
          this.epoch,
        ])
        .catch(() => undefined);
    }
    await client.end().catch(() => undefined);
  }

  /** A crash, for tests: the connection's socket is destroyed, nothing is released or told. */
  kill(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.holding = false;
    this.drop();
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.round = this.tryRound().then(
        (nextMs) => this.schedule(nextMs),
        () => this.schedule(this.retryMs),
      );
    }, ms);
  }

  /** One renewal or take-over attempt; resolves with the pause before the next. */
  private async tryRound(): Promise<number> {
    const started = performance.now();
    let nextMs = this.retryMs;
    try {
      const client = this.client ?? (await this.connect());
      if (this.holding) await this.renew(client, started);
      else nextMs = await this.acquire(client, started);
      this.lastRoundOkAt = Date.now();
      const repeated = this.options.throttle.clear('lease-db');
      if (repeated > 0) this.options.logger.info({ repeated, holding: this.holding }, 'WeCom lease: the database answers again');
    } catch (error) {
      this.drop();
      this.options.throttle.warn('lease-db', { err: error, holding: this.holding, lapsed: this.holding && !this.holds() }, 'WeCom lease: database unreachable, retrying');
    }
    return nextMs;
  }

  private async renew(client: pg.Client, started: number): Promise<void> {
    const { rowCount } = await client.query(
      `UPDATE wecom_leases SET expires_at = now() + $4 * interval '1 millisecond', connected = $5, renewed_at = now()
        WHERE bot_id = $1 AND holder = $2 AND epoch = $3`,
      [this.options.botId, this.options.instanceId, this.epoch, this.ttlMs, this.options.connected()],
    );
    if (rowCount === 1) this.validUntil = started + this.ttlMs;
    else this.lose(new Error('the lease was taken over by another process'));
  }

  /**
   * Takes the lease over if it lapsed. When another process holds it, resolves with the time until it lapses (if
   * sooner than the next round), so a follower tries the moment the holder's lease runs out, not up to a round later.
   */
  private async acquire(client: pg.Client, started: number): Promise<number> {
    const { rows } = await client.query<{ epoch: number | null; lapses_in_ms: number | null }>(
      `WITH taken AS (
         INSERT INTO wecom_leases (bot_id, holder, epoch, expires_at) VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond')
         ON CONFLICT (bot_id) DO UPDATE SET holder = EXCLUDED.holder, epoch = wecom_leases.epoch + 1,
           expires_at = EXCLUDED.expires_at, connected = false, renewed_at = now()
         WHERE wecom_leases.expires_at < now()
         RETURNING epoch::float8 AS epoch)
       SELECT (SELECT epoch FROM taken) AS epoch,
              (SELECT extract(epoch FROM expires_at - now()) * 1000 FROM wecom_leases WHERE bot_id = $1)::float8 AS lapses_in_ms`,
      [this.options.botId, this.options.instanceId, this.ttlMs],
    );
    const epoch = rows[0]?.epoch ?? undefined;
    if (epoch === undefined) return Math.max(1, Math.min(this.retryMs, Math.ceil((rows[0]?.lapses_in_ms ?? this.retryMs) + 1)));
    if (!this.running) return this.retryMs;
    this.holding = true;
    this.epoch = epoch;
    this.validUntil = started + this.ttlMs;
    this.options.logger.info({ bot: this.options.botId, epoch }, 'this process now holds the WeCom connection');
    try {
      await this.options.onAcquired(epoch);
    } catch (error) {
      // A set-up cut short (the database failed during it) is not a half-started holder: give it up and try again.
      this.lose(error);
      throw error;
    }
    return this.retryMs;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.options.databaseUrl,
      application_name: `wecom-lease ${this.options.instanceId}`.slice(0, 63),
      keepAlive: true,
      // A round must end well within the lease, not when TCP gives up.
      query_timeout: 2 * this.retryMs,
      connectionTimeoutMillis: 2 * this.retryMs,
    });
    client.on('error', () => client === this.client && this.drop());
    client.on('end', () => client === this.client && this.drop());
    try {
      await client.connect();
      for (const channel of this.channels.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    client.on('notification', (message) => this.channels.get(message.channel)?.());
    this.client = client;
    // Whatever was notified while the connection was down.
    for (const onNotify of this.channels.values()) onNotify();
    return client;
  }

  /** Forgets the connection (the next round reconnects); the lease stays ours until it expires. */
  private drop(): void {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    client.connection.stream.destroy();
  }

  private lose(error: unknown): void {
    if (!this.holding) return;
    this.holding = false;
    this.options.logger.error({ err: error }, 'lost the WeCom lease; dropping the WeCom connection');
    this.options.onLost();
  }
}
