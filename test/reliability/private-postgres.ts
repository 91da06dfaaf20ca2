import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { freePort, randomSecret, startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded';

/**
 * A PostgreSQL of one test file's own (an embedded server in a temp directory, on a free loopback port), for tests
 * that stop and start the server: the run's shared server is never restarted under other test files. The same in
 * `npm test` and with DATABASE_URL (the point is a restart, which a shared server must not suffer).
 */
export class PrivatePostgres {
  private constructor(
    private readonly dir: string,
    private readonly password: string,
    readonly port: number,
    private server: EmbeddedServer | undefined,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const dir = await mkdtemp(path.join(tmpdir(), 'wtb-private-pg-'));
    const password = randomSecret();
    const port = await freePort();
    const pgDir = path.join(dir, 'pg');
    try {
      const server = await startEmbeddedPostgres({ dir: pgDir, password, port, fast: true, logger: pino({ level: 'warn' }) });
      return new PrivatePostgres(dir, password, port, server);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  urlFor(database: string): string {
    return `postgres://postgres:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/${encodeURIComponent(database)}`;
  }

  async createDatabase(name: string): Promise<string> {
    const admin = new pg.Client({ connectionString: this.urlFor('postgres') });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    return this.urlFor(name);
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** A fast shutdown (SIGINT): sessions are ended, as on a server restart. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.stop();
  }

  /** Starts again on the same directory and port. */
  async resume(): Promise<void> {
    if (this.server) return;
    this.server = await startEmbeddedPostgres({
      dir: path.join(this.dir, 'pg'),
      password: this.password,
      port: this.port,
      fast: true,
      logger: pino({ level: 'warn' }),
    });
  }

  async close(): Promise<void> {
    await this.stop().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
