import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { randomSecret, startEmbeddedPostgres } from '../../src/db/embedded';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const parent = await mkdtemp(path.join(tmpdir(), 'wtb-orphan-'));
  dirs.push(parent);
  await chmod(parent, 0o755);
  return path.join(parent, 'pg');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT 1')).rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('a postmaster.pid left behind', () => {
  it('naming an unrelated live process: that process is left alone and the start recovers', async () => {
    const dir = await dataDir();
    const password = randomSecret();
    const first = await startEmbeddedPostgres({ dir, password, fast: true, logger });
    const lockFile = await readFile(path.join(dir, 'postmaster.pid'), 'utf8');
    await first.stop();

    // The PID of a crashed server, since reused by something else.
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    const lines = lockFile.split('\n');
    lines[0] = String(stranger.pid);
    await writeFile(path.join(dir, 'postmaster.pid'), lines.join('\n'));
    try {
      const second = await startEmbeddedPostgres({ dir, password, fast: true, logger });
      expect(await answers(second.urlFor('postgres'))).toBe(true);
      expect(alive(stranger.pid!)).toBe(true);
      expect(stranger.signalCode).toBeNull();
      await second.stop();
    } finally {
      stranger.kill();
    }
  });

  it('naming the running server of this directory (its owner process gone): it is stopped and the start takes over', async () => {
    const dir = await dataDir();
    const password = randomSecret();
    // Never stopped: as if the process that started it had been killed with SIGKILL.
    await startEmbeddedPostgres({ dir, password, fast: true, logger });
    const orphanPid = Number.parseInt((await readFile(path.join(dir, 'postmaster.pid'), 'utf8')).split('\n')[0]!, 10);

    const second = await startEmbeddedPostgres({ dir, password, fast: true, logger });
    expect(alive(orphanPid)).toBe(false);
    expect(await answers(second.urlFor('postgres'))).toBe(true);
    await second.stop();
  });
});
