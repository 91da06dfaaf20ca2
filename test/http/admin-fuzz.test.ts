import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/app';

/**
 * Every admin route, fed malformed filters, paths and bodies: the answer is never a 5xx, and a refusal (4xx) leaves
 * every table as it was. Bounded so the file runs well within a minute.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

/** Tables an admin call may write. */
const WRITABLE = ['org_versions', 'sla_policies', 'calendar_overrides', 'calendar_notice_drafts', 'calendar_notices', 'faq_entries', 'outages', 'tickets', 'ticket_events', 'outbox', 'audit_log'];

let app: TestApp;
beforeAll(async () => (app = await startTestApp()));
afterAll(() => app.stop());

/**
 * What a row is, where more than its identity changes on its own: the sandbox's sender marks outbox rows sent in the
 * background (publishing an outage queues notices), which is delivery, not a write by the refused call.
 */
const ROW: Record<string, string> = { outbox: '(t.id, t.chat_id, t.body)::text' };
/**
 * Rows the transport writes on its own: the desk's notice that a group refused a push because nobody there has @-ed
 * the bot yet (the notices of an outage published earlier in the run reach groups the sandbox never activated).
 */
const OWN_ROWS: Record<string, string> = { outbox: "WHERE t.dedupe_key IS NULL OR t.dedupe_key NOT LIKE 'wecom-undeliverable:%'" };

async function snapshot(): Promise<string> {
  const columns = WRITABLE.map(
    (table) => {
      const row = ROW[table] ?? 't::text';
      return `(SELECT count(*) || ':' || md5(coalesce(string_agg(${row}, '|' ORDER BY ${row}), '')) FROM ${table} t ${OWN_ROWS[table] ?? ''}) AS ${table}`;
    },
  );
  const { rows } = await sql.raw<Record<string, string>>(`SELECT ${columns.join(', ')}`).execute(app.database.db);
  return JSON.stringify(rows[0]);
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const NASTY_TEXT = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '0001-01-01',
  '9999-12-31',
  '1999-12-31',
  '2101-01-01',
  '2026-02-30',
  '2026-11-24',
  '2026-11',
  '0000-01',
  '9999-12',
  '2026-12-01 08:00',
  '0001-01-01 00:00',
  '9999-12-31T23:59:59+14:00',
  '-1',
  '0',
  '1e308',
  '9007199254740993',
  '99999999999999999999',
  'NaN',
  'true',
  '',
  ' ',
  '城关镇',
  "'; DROP TABLE tickets; --",
  'a'.repeat(600),
];
const nastyText = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NASTY_TEXT) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 5 }), loneSurrogate, fc.string({ maxLength: 5 })).map((parts) => parts.join('')) },
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyText },
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, 1e-300, 0.9999999999, 2 ** 53, 2 ** 31, -(2 ** 31) - 1, 0.5, null, true, [], {}, [null]),
  fc.array(nastyText, { maxLength: 3 }),
);

/** Percent-encodes the UTF-8 bytes of a value (a lone surrogate goes over the wire as U+FFFD, as a browser would send it). */
function encode(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((byte) => '%' + byte.toString(16).padStart(2, '0')).join('');
}
const rawGarbage = fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%C0%80', '%ED%A0%80', '%FF');
const pathSegment = fc.oneof(nastyText.map(encode), rawGarbage);

function queryOf(names: string[]): fc.Arbitrary<string> {
  const entry = fc.tuple(
    fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...names) }, fc.string({ maxLength: 6 }).map(encode)),
    fc.oneof({ weight: 5, arbitrary: nastyText.map(encode) }, rawGarbage),
  );
  return fc.array(entry, { maxLength: 5 }).map((entries) => entries.map(([name, value]) => `${name}=${value}`).join('&'));
}

/** Every path inside a JSON value, to replace or delete one leaf or branch. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) return here.concat(value.flatMap((item, i) => pathsOf(item, [...prefix, i])));
  if (value && typeof value === 'object') {
    return here.concat(Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key])));
  }
  return here;
}
function replaceAt(value: unknown, path: (string | number)[], next: unknown, remove: boolean): unknown {
  if (path.length === 0) return next;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = next;
  return copy;
}
/** A valid body with one part replaced by something nasty (or deleted), or something else altogether. */
function bodyFrom(valid: () => unknown): fc.Arbitrary<unknown> {
  const mutated = fc.tuple(fc.nat(), nastyValue, fc.boolean()).map(([pick, next, remove]) => {
    const base = valid();
    const paths = pathsOf(base);
    return replaceAt(base, paths[pick % paths.length]!, next, remove && paths.length > 1);
  });
  return fc.oneof({ arbitrary: mutated, weight: 4 }, { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 }, { arbitrary: nastyValue, weight: 1 });
}

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(app.url + path, {
    method,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The property every admin call must keep. */
async function checkCall(method: string, path: string, body?: unknown): Promise<void> {
  const before = await snapshot();
  const response = await call(method, path, body);
  const text = await response.text();
  expect(response.status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 300)} → ${text.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400) {
    // Our refusals are JSON with a code and a Chinese message; the router's own 404/405 are plain text.
    if (response.headers.get('content-type')?.includes('json')) {
      expect(JSON.parse(text)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    expect(await snapshot(), `${method} ${path} refused but wrote`).toBe(before);
  }
}

let validOrg: unknown;
let validPolicies: unknown;
const validCalendar = () => ({ overrides: [{ date: '2027-02-13', kind: 'workday', note: '调休上班' }], replace: false });
const validNotice = () => ({ text: readFileSync(new URL('../calendar/notices/2025.txt', import.meta.url), 'utf8') });
const validFaq = () => ({
  entries: [{ id: 'faq-fuzz', question: '电费怎么交', similar: ['如何缴费'], answer: '可以在网上国网缴费', tags: ['缴费'] }],
});
const validOutage = () => ({
  kind: 'planned',
  areas: ['城关镇'],
  startsAt: '2026-12-02 08:00',
  restoreAt: '2026-12-02 18:00',
  cause: '线路检修',
  line: '10kV城关线',
  voltageKv: 10,
  publishedBy: 'wangfang',
});

describe('the admin API refuses malformed input with a 4xx and writes nothing', () => {
  beforeAll(async () => {
    validOrg = ((await (await call('GET', '/api/org')).json()) as { org: unknown }).org;
    validPolicies = { policies: ((await (await call('GET', '/api/sla-policies')).json()) as { policies: unknown[] }).policies.slice(0, 2) };
  });

  const queries: [string, string[]][] = [
    ['/api/tickets', ['kind', 'state', 'unit', 'overdue', 'from', 'to', 'page', 'pageSize']],
    ['/api/outages', ['active', 'area', 'kind', 'from', 'to', 'limit']],
    ['/api/calendar', ['from', 'to']],
    ['/api/faq/search', ['q', 'limit']],
    ['/api/reports/assessment', ['month']],
    ['/api/org', ['x']],
    ['/api/sla-policies', ['x']],
    ['/api/faq/export', ['x']],
    ['/api/audit', ['subject', 'page', 'pageSize']],
  ];
  for (const [route, names] of queries) {
    it(`GET ${route} with any filter`, async () => {
      await fc.assert(fc.asyncProperty(queryOf(names), (query) => checkCall('GET', `${route}?${query}`)), { numRuns: RUNS });
    });
  }

  it('GET /api/tickets/:no and PUT /api/outages/:no/end with any number', async () => {
    await fc.assert(
      fc.asyncProperty(pathSegment, bodyFrom(() => ({ endedBy: 'wangfang' })), async (no, body) => {
        await checkCall('GET', `/api/tickets/${no}`);
        await checkCall('PUT', `/api/outages/${no}/end`, body);
      }),
      { numRuns: RUNS },
    );
  });

  const bodies: [string, string, () => unknown][] = [
    ['PUT', '/api/org', () => validOrg],
    ['PUT', '/api/sla-policies', () => validPolicies],
    ['PUT', '/api/calendar', validCalendar],
    ['POST', '/api/calendar/notices', validNotice],
    ['POST', '/api/faq/import', validFaq],
    ['POST', '/api/outages', validOutage],
  ];
  for (const [method, route, valid] of bodies) {
    it(`${method} ${route} with any body`, async () => {
      await fc.assert(fc.asyncProperty(bodyFrom(valid), (body) => checkCall(method, route, body)), { numRuns: RUNS });
    });
  }

  it('refuses the cases found so far, naming what is valid in Chinese', async () => {
    const refused = async (method: string, path: string, body: unknown, message: RegExp) => {
      const before = await snapshot();
      const response = await call(method, path, body);
      const text = await response.text();
      expect(response.status, text).toBe(400);
      expect(text).toMatch(message);
      expect(await snapshot()).toBe(before);
    };
    await refused('GET', '/api/tickets?unit=%00', undefined, /空字符/);
    await refused('GET', '/api/calendar?from=0001-01-01&to=9999-12-31', undefined, /2000-01-01 至 2100-12-31/);
    await refused('GET', '/api/calendar?from=2026-01-01&to=2029-12-31', undefined, /1098 天/);
    await refused('GET', '/api/reports/assessment?month=0000-01', undefined, /2000-01 至 2100-12/);
    await refused('PUT', '/api/calendar', { overrides: [{ date: '2027-02-13', kind: 'workday', note: 'x\uD800' }] }, /代理字符/);
    await refused('POST', '/api/outages', { ...validOutage(), voltageKv: 1e308 }, /1100 kV/);
    await refused('POST', '/api/outages', { ...validOutage(), startsAt: '9999-12-31 08:00' }, /2100-12-31/);
    const policy = (validPolicies as { policies: { code: string }[] }).policies[0]!.code;
    await refused('PUT', '/api/sla-policies', { policies: [{ code: policy, warnFraction: 0.9999999999 }] }, /0\.99/);
    await refused('GET', '/api/tickets/%E0%A4%A', undefined, /百分号编码/);
  });
});
