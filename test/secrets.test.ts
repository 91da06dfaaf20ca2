import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { startApp } from '../src/app';
import { freePort } from '../src/db/embedded';
import { ConfigError, loadConfig } from '../src/config';
import { REDACTING_HOOKS } from '../src/log';
import { isSecretName, redactUrl, rememberSecret } from '../src/secrets';
import { frozenClock, TEST_ADMIN_TOKEN } from './support/app';
import { createTestDatabase } from './support/db';
import { runService, waitForOk } from './support/process';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('secrets stay out of errors and logs', () => {
  it('a bad secret setting is named, its value never shown', () => {
    const url = configError({ DATABASE_URL: 'mysql://desk:hunter2-db-password@db:3306/desk' });
    expect(url).toContain('DATABASE_URL');
    expect(url).not.toContain('hunter2');
    const token = configError({ ADMIN_TOKEN: 'short-s3cret' });
    expect(token).toContain('ADMIN_TOKEN');
    expect(token).not.toContain('short-s3cret');
    // Non-secret settings still show what was given, which helps whoever fixes them.
    expect(configError({ PORT: 'abc' })).toContain('(got "abc")');
    for (const name of ['DATABASE_URL', 'ADMIN_TOKEN', 'WECOM_BOT_SECRET', 'SMTP_SECRET', 'OTHER_TOKEN', 'MAPS_API_KEY']) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of ['PORT', 'WECOM_BOT_ID', 'DATA_DIR', 'BACKUP_KEEP']) expect(isSecretName(name), name).toBe(false);
  });

  it('every log line is scrubbed of robot webhook addresses, URL passwords and the credentials the process knows', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info', hooks: REDACTING_HOOKS }, { write: (line: string) => void lines.push(line) });
    rememberSecret('configured-bot-secret-1234');
    logger.warn({ chatId: 'webhook:WHK-0123456789abcdef', attempts: 3 }, 'outbox message given up');
    logger.error({ err: new Error('connect failed: postgres://desk:pw-hunter2@db/desk') }, 'start failed');
    logger.info({ note: 'secret configured-bot-secret-1234 echoed' }, 'odd place');
    const text = lines.join('');
    for (const secret of ['WHK-0123456789abcdef', 'pw-hunter2', 'configured-bot-secret-1234']) expect(text).not.toContain(secret);
    expect(text).toContain('webhook:****cdef');
    expect(text).toContain('outbox message given up');
  });

  it('credential-like query parameters are redacted, others kept as sent', () => {
    expect(redactUrl('/api/tickets?unit=%E5%AE%A2&access_token=abc123&page=2')).toBe(
      '/api/tickets?unit=%E5%AE%A2&access_token=[redacted]&page=2',
    );
    expect(redactUrl('/cgi-bin/webhook/send?key=abc')).toBe('/cgi-bin/webhook/send?key=[redacted]');
    expect(redactUrl('/x?Token&%74oken=y')).toBe('/x?Token=[redacted]&%74oken=[redacted]');
    expect(redactUrl('/healthz')).toBe('/healthz');
  });

  it('the request log never carries a token given in the query string', async () => {
    const database = await createTestDatabase();
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const config = loadConfig({ DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN: TEST_ADMIN_TOKEN, SANDBOX: '1' });
    const app = await startApp(config, { clock: frozenClock(), logger });
    try {
      await fetch(`${app.url}/api/tickets?token=${TEST_ADMIN_TOKEN}&unit=x`);
      await fetch(`${app.url}/healthz?access_token=${TEST_ADMIN_TOKEN}`);
      const requests = lines.filter((line) => line.includes('"msg":"request"'));
      expect(requests.length).toBeGreaterThanOrEqual(2);
      expect(requests.join('\n')).toContain('token=[redacted]&unit=x');
      expect(lines.join('\n')).not.toContain(TEST_ADMIN_TOKEN);
    } finally {
      await app.stop();
      await database.close();
    }
  });

  it('on a terminal the start prints a block with the real address, the data and both tokens, and `npm run token` shows or reissues them beside the running bot', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'wtb-token-'));
    await chmod(parent, 0o755);
    const env = { DATA_DIR: path.join(parent, '.data'), PORT: String(await freePort()), HOST: '127.0.0.1', LOG_FORMAT: 'text' };
    const service = runService(env);
    const tokens = async (...args: string[]) => {
      const tool = runService({ DATA_DIR: env.DATA_DIR }, ['src/cli/token.ts', ...args]);
      expect(await tool.exited).toBe(0);
      const [admin, leader] = tool.stdout().trim().split('\n').map((line) => /^\S+ (?:admin|leader)\s+([\w-]{24,}) /.exec(line)?.[1]);
      return { admin: admin!, leader: leader! };
    };
    try {
      // A cold start creates the embedded database: allow for a loaded machine.
      await waitForOk(`http://127.0.0.1:${env.PORT}/readyz`, 40_000, service);
      await vi.waitFor(() => expect(service.stdout()).toContain('停止 stop'));
      const block = service.stdout();
      expect(block).toContain(`打开 open        http://127.0.0.1:${env.PORT}/sandbox`);
      expect(block).toContain(`内嵌 PostgreSQL ${path.join(env.DATA_DIR, 'pg')}`);
      expect(block).not.toMatch(/^\{"level"/m);
      // The tool reads the embedded database the bot is running, without stopping it.
      const shown = await tokens();
      expect(shown.admin).toMatch(/^[\w-]{24,}$/);
      expect(shown.leader).toMatch(/^[\w-]{24,}$/);
      // Each shown once by the start, in its block.
      expect(service.output().split(shown.admin).length - 1).toBe(1);
      expect(service.output().split(shown.leader).length - 1).toBe(1);
      const api = await fetch(`http://127.0.0.1:${env.PORT}/api/calendar`, { headers: { authorization: `Bearer ${shown.admin}` } });
      expect(api.status).toBe(200);

      const reissued = await tokens('--reissue');
      expect(reissued.admin).not.toBe(shown.admin);
      expect(reissued.leader).not.toBe(shown.leader);
      expect(await tokens()).toEqual(reissued);
    } finally {
      service.child.kill('SIGINT');
      await service.exited;
      await rm(parent, { recursive: true, force: true });
    }
  }, 90_000);
});
