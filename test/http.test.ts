import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

describe('health, metrics and the admin API guard', () => {
  it('reports the process up and the database ready', async () => {
    expect((await app.api('/healthz', { token: null })).status).toBe(200);
    const ready = await app.api('/readyz', { token: null });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: true } });
  });

  it('serves Prometheus text', async () => {
    const response = await app.api('/metrics', { token: null });
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('process_cpu_seconds_total');
  });

  it('refuses the admin API without the bearer token, with a JSON error', async () => {
    const response = await app.api('/api/calendar', { token: null });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await app.api('/api/calendar', { token: 'wrong-token-wrong-token' })).status).toBe(401);
    expect((await app.api('/api/calendar')).status).toBe(200);
  });

  it('rejects malformed and invalid bodies before doing anything', async () => {
    const malformed = await fetch(app.url + '/api/calendar', {
      method: 'PUT',
      headers: { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' },
      body: '{"overrides": [',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'invalid_json' } });
    const invalid = await app.api('/api/calendar', { method: 'PUT', body: { overrides: [{ date: '2026-13-01', kind: 'workday' }] } });
    expect(invalid.status).toBe(400);
    expect(((await (await app.api('/api/calendar')).json()) as { overrides: unknown[] }).overrides).toEqual([]);
  });
});
