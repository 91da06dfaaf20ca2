import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/db/embedded';
import { createTestDatabase } from './support/db';
import { runService, waitForOk } from './support/process';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wtb-start-'));
  dirs.push(dir);
  await chmod(dir, 0o755);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function postgresProcessesUsing(dir: string): string[] {
  const lines = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => line.includes('postgres') && line.includes(dir));
}

describe('npm start on its embedded defaults', () => {
  it('starts cold, keeps its data across a restart, and leaves no postgres behind on Ctrl-C', async () => {
    const dataDir = path.join(await tempDir(), '.data');
    const port = await freePort();
    const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ADMIN_TOKEN: 'start-test-token-0123456789' };
    const api = (p: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${port}${p}`, {
        ...init,
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' },
      });

    const first = runService(env);
    const coldMs = await waitForOk(`http://127.0.0.1:${port}/readyz`, 40_000, first);
    const put = await api('/api/calendar', {
      method: 'PUT',
      body: JSON.stringify({ overrides: [{ date: '2027-02-13', kind: 'workday', note: '调休上班' }] }),
    });
    expect(put.status).toBe(200);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);

    const second = runService(env);
    // 3 s is the target on an idle machine; the suite runs files in parallel, so allow for a loaded one.
    const warmMs = await waitForOk(`http://127.0.0.1:${port}/readyz`, 15_000, second);
    const body = (await (await api('/api/calendar')).json()) as { overrides: { date: string }[] };
    expect(body.overrides.map((o) => o.date)).toEqual(['2027-02-13']);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);
    console.info(`start: cold ${coldMs} ms, warm ${warmMs} ms`);
  }, 120_000);

  it('uses DATABASE_URL when given and creates nothing under DATA_DIR', async () => {
    const database = await createTestDatabase();
    await database.close();
    const dataDir = path.join(await tempDir(), '.data');
    const port = await freePort();
    const service = runService({ DATABASE_URL: database.url, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SANDBOX: '1' });
    await waitForOk(`http://127.0.0.1:${port}/readyz`, 40_000, service);
    expect(service.output()).toContain('admin API token generated');
    // Not a terminal: JSON lines for a log collector, nothing else on stdout.
    for (const line of service.stdout().trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
    service.child.kill('SIGINT');
    expect(await service.exited).toBe(0);
    await expect(readdir(dataDir)).rejects.toThrow();
  }, 60_000);

  it('refuses a bad setting with one clear line and exit code 1', async () => {
    const service = runService({ PORT: 'abc' });
    expect(await service.exited).toBe(1);
    const lines = service.output().trim().split('\n');
    expect(lines).toEqual(['配置错误 invalid configuration: PORT: expected an integer from 0 to 65535 (got "abc")']);
  });
});
