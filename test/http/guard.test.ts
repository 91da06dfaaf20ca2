import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/app';

/**
 * The bearer guard decides on the path the routers see: every route under /api, under every odd spelling of its
 * path, answers 401/403/404 without the right token and never 2xx or 5xx. Raw HTTP, because fetch() would tidy the
 * path (dot segments) before sending it.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.stop();
});

function raw(method: string, path: string, token?: string): Promise<number> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      req.setHeader('content-type', 'application/json');
      req.write('{}');
    }
    req.end();
  });
}

/** The odd ways to write a path: case, doubled and escaped slashes, escaped letters, dot segments, trailing marks. */
function spellings(path: string): { path: string; canonical: boolean }[] {
  const rest = path.slice('/api'.length);
  const odd = [
    `/API${rest}`,
    `/Api${rest.toUpperCase()}`,
    `//api${rest}`,
    `/api/${rest}`,
    `/api%2F${rest.slice(1)}`,
    `/api%2f${rest.slice(1)}`,
    `/%61pi${rest}`,
    `/%41PI${rest}`,
    `/api/.${rest}`,
    `/./api${rest}`,
    `/api/x/..${rest}`,
    `/api${rest}/.`,
    `/api${rest}/..`,
    `/api${rest}.`,
    `/api${rest}%2e`,
    `/api\\${rest.slice(1)}`,
    `/API${rest}/`,
  ];
  return [{ path, canonical: true }, { path: `${path}/`, canonical: true }, ...odd.map((p) => ({ path: p, canonical: false }))];
}

/** A route's path with its parameters filled by values no row has. */
const concrete = (path: string) => path.replace(/:[a-zA-Z]+/g, 'X1');

describe('one guard for every route under /api, whatever the spelling', () => {
  it('lists the routes it guards', () => {
    // A route list that silently shrank would make the rest of this file prove nothing.
    expect(app.apiRoutes.length).toBeGreaterThan(20);
    expect(app.apiRoutes).toContainEqual({ method: 'PUT', path: '/api/org' });
    expect(app.apiRoutes).toContainEqual({ method: 'POST', path: '/api/outages' });
  });

  it('no token, a leader token on writes, and odd spellings never reach a route', async () => {
    const seen: string[] = [];
    for (const route of app.apiRoutes) {
      for (const { path, canonical } of spellings(concrete(route.path))) {
        const anonymous = await raw(route.method, path);
        if (![401, 404].includes(anonymous)) seen.push(`${route.method} ${path} without a token: ${anonymous}`);
        const leader = await raw(route.method, path, app.leaderToken);
        const reads = route.method === 'GET';
        if (!reads && ![403, 404].includes(leader)) seen.push(`${route.method} ${path} with the leader token: ${leader}`);
        if (leader >= 500) seen.push(`${route.method} ${path} with the leader token: ${leader}`);
        // An odd spelling is no address of ours: never an answer from a route (a parameter that takes the odd part, as
        // `tickets.:format` takes "X1.", may still refuse it with a 400).
        const reached = (status: number) => status < 300 || status >= 500;
        if (!canonical && reached(leader)) seen.push(`${route.method} ${path} (odd spelling) with the leader token: ${leader}`);
        if (reads) {
          const admin = await raw(route.method, path, TEST_ADMIN_TOKEN);
          if (admin >= 500 || (!canonical && reached(admin))) seen.push(`${route.method} ${path} with the admin token: ${admin}`);
        }
      }
    }
    expect(seen).toEqual([]);
  });

  it('an odd spelling with the admin token changes nothing: PUT /API/org is no address', async () => {
    const before = (await (await app.api('/api/org')).json()) as { version: number };
    for (const path of ['/API/org', '/api//org', '/%61pi/org', '/api/./org', '/Api/Org']) {
      expect(await raw('PUT', path, TEST_ADMIN_TOKEN), path).toBe(404);
    }
    const after = (await (await app.api('/api/org')).json()) as { version: number };
    expect(after.version).toBe(before.version);
  });

  it('text PostgreSQL cannot store is refused under any capitalisation, before any route runs', async () => {
    expect(await raw('GET', '/API/tickets?unit=%00')).toBe(401);
    expect(await raw('GET', '/API/tickets?unit=%00', TEST_ADMIN_TOKEN)).toBe(400);
    expect(await raw('GET', '/api/tickets?unit=%00', TEST_ADMIN_TOKEN)).toBe(400);
  });

  it('the sandbox and the console match their one spelling too', async () => {
    for (const path of ['/SANDBOX/api/clock', '/sandbox//api/clock', '/sandbox/%61pi/clock', '/sandbox/./api/clock']) {
      expect(await raw('POST', path), path).toBe(404);
    }
    expect(await raw('GET', '/CONSOLE')).toBe(404);
    expect(await raw('GET', '/console')).toBe(200);
  });
});
