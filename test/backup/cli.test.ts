import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/embedded';
import { runService, waitForOk, type ServiceProcess } from '../support/process';

const TOKEN = 'backup-test-token-0123456789';
let parent: string;
afterAll(() => rm(parent, { recursive: true, force: true }));

async function started(env: Record<string, string>): Promise<ServiceProcess> {
  const service = runService(env);
  // A cold start creates an embedded database: up to 40 s on a machine busy with the rest of the suite.
  await waitForOk(`http://127.0.0.1:${env.PORT}/readyz`, 40_000, service);
  return service;
}

async function stopped(service: ServiceProcess): Promise<void> {
  service.child.kill('SIGINT');
  expect(await service.exited).toBe(0);
}

async function tool(env: Record<string, string>, command: string[]): Promise<string> {
  const run = runService(env, command);
  const code = await run.exited;
  expect(code, run.output()).toBe(0);
  return run.stdout();
}

describe('npm run backup / restore on the embedded PostgreSQL 18', () => {
  it('backs up beside the running bot, and restores onto a new DATA_DIR that then starts with the same data', async () => {
    parent = await mkdtemp(path.join(tmpdir(), 'wtb-backup-cli-'));
    await chmod(parent, 0o755);
    const port = String(await freePort());
    const first = { DATA_DIR: path.join(parent, 'a'), PORT: port, HOST: '127.0.0.1', ADMIN_TOKEN: TOKEN };
    const backups = { BACKUP_DIR: path.join(parent, 'backups'), BACKUP_COPY_DIR: path.join(parent, 'offsite'), BACKUP_KEEP: '2' };
    const api = (p: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${port}${p}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });

    const bot = await started(first);
    const put = await api('/api/calendar', {
      method: 'PUT',
      body: JSON.stringify({ overrides: [{ date: '2027-02-13', kind: 'workday', note: '调休上班' }] }),
    });
    expect(put.status).toBe(200);
    const written = await tool({ DATA_DIR: first.DATA_DIR, ...backups }, ['src/cli/backup.ts']);
    const [file, copy] = written.trim().split('\n');
    expect(path.dirname(file!)).toBe(backups.BACKUP_DIR);
    expect(path.dirname(copy!)).toBe(backups.BACKUP_COPY_DIR);
    // The bot kept running through it.
    expect((await api('/api/calendar')).status).toBe(200);
    await tool({ DATA_DIR: first.DATA_DIR, ...backups }, ['src/cli/backup.ts']);
    const newest = (await tool({ DATA_DIR: first.DATA_DIR, ...backups }, ['src/cli/backup.ts'])).trim().split('\n')[1]!;
    // BACKUP_KEEP=2: the first backup is gone from both places.
    expect((await readdir(backups.BACKUP_DIR)).sort()).not.toContain(path.basename(file!));
    expect(await readdir(backups.BACKUP_DIR)).toHaveLength(2);
    expect(await readdir(backups.BACKUP_COPY_DIR)).toHaveLength(2);
    await stopped(bot);

    const second = { ...first, DATA_DIR: path.join(parent, 'b') };
    // From the off-site copy, onto a DATA_DIR that does not exist yet.
    expect(await tool({ DATA_DIR: second.DATA_DIR }, ['src/cli/restore.ts', newest])).toMatch(/已恢复 restored/);
    const restored = await started(second);
    const body = (await (await api('/api/calendar')).json()) as { overrides: { date: string }[] };
    expect(body.overrides.map((o) => o.date)).toEqual(['2027-02-13']);
    await stopped(restored);
  }, 150_000);
});
