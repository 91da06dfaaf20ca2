import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PICTURE_SIZE } from '../src/domain/reports/pictures';
import { DEMO_BOT, FakeWeCom } from '../fake-wecom/index';
import { startTestApp, TEST_ADMIN_TOKEN, wecomEnv, type TestApp } from './support/app';

describe('the console for the desk and leaders', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  it('serves the Chinese page with its sign-in and its pages, and references its script and style', async () => {
    const page = await fetch(app.url + '/console');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    for (const text of ['工单控制台', '领导只读令牌', '看板', '图表', '考核', '分析', '停电']) {
      expect(html).toContain(text);
    }
    expect(html).toContain('src="/console/static/console.js"');
    expect(html).toContain('href="/console/static/console.css"');
  });

  it('never carries the admin token: the page asks for it and the API enforces it', async () => {
    for (const path of ['/console', '/console/static/console.js', '/console/js/api.js']) {
      expect(await (await fetch(app.url + path)).text()).not.toContain(TEST_ADMIN_TOKEN);
    }
    expect((await fetch(app.url + '/api/tickets')).status).toBe(401);
  });

  it('serves its script and stylesheet with the right content types', async () => {
    const script = await fetch(app.url + '/console/static/console.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(await script.text()).toContain("from '/console/js/api.js'");
    const module = await fetch(app.url + '/console/js/board.js');
    expect(module.headers.get('content-type')).toMatch(/^application\/javascript/);
    const echarts = await fetch(app.url + '/console/vendor/echarts.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(echarts.status).toBe(200);
    expect(echarts.headers.get('content-encoding')).toBe('gzip');
    const style = await fetch(app.url + '/console/static/console.css');
    expect(style.status).toBe(200);
    expect(style.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('answers 404 for anything else under its static path', async () => {
    for (const name of ['console.html', 'console.ts', 'sandbox.js', 'nope.css', '..%2Fconsole.ts']) {
      expect((await fetch(app.url + '/console/static/' + name)).status).toBe(404);
    }
    for (const name of ['nope.js', '..%2F..%2Fconsole.ts', 'API.js']) {
      expect((await fetch(app.url + '/console/js/' + name)).status).toBe(404);
    }
  });

  it('reads what the page calls from the admin API with the token', async () => {
    const list = await app.api('/api/tickets?overdue=true&page=1&pageSize=20');
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ items: [], total: 0, page: 1, pageSize: 20 });
    const report = (await (await app.api('/api/reports/assessment?month=2026-10')).json()) as {
      month: string;
      units: { name: string; categories: object; score: number | null; grade: string | null }[];
    };
    expect(report.month).toBe('2026-10');
    expect(report.units.length).toBeGreaterThan(0);
    expect(report.units[0]).toMatchObject({ name: expect.any(String), categories: expect.any(Object) });
    const { org } = (await (await app.api('/api/org')).json()) as { org: { units: { id: string; name: string }[] } };
    expect(org.units[0]).toMatchObject({ id: expect.any(String), name: expect.any(String) });
  });

  it('answers with the app clock, so the page shows the time the sandbox runs at', async () => {
    const session = (await (await app.api('/api/session')).json()) as { now: string; role: string };
    expect(session).toEqual({ now: app.clock.now().toISOString(), role: 'admin' });
    const board = (await (await app.api('/api/board')).json()) as { now: string; groups: { urgency: string }[] };
    expect(board.now).toBe(app.clock.now().toISOString());
    expect(board.groups.map((g) => g.urgency)).toEqual(['overdue', 'hour', 'today', 'later']);
  });

  it('lets leaders read with their own token, and nothing more', async () => {
    const leader = { token: app.leaderToken };
    expect(app.leaderToken).not.toBe(TEST_ADMIN_TOKEN);
    expect(await (await app.api('/api/session', leader)).json()).toMatchObject({ role: 'leader' });
    expect((await app.api('/api/reports/analysis?month=2026-10', leader)).status).toBe(200);
    const refused = await app.api('/api/calendar', { ...leader, method: 'PUT', body: { overrides: [] } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('read_only');
  });

  it('exports under a Chinese file name with the month, numbers as numbers', async () => {
    const csv = await app.api('/api/exports/assessment.csv?month=2026-10');
    expect(csv.headers.get('content-disposition')).toBe(
      `attachment; filename="export.csv"; filename*=UTF-8''${encodeURIComponent('月度考核_2026-10.csv')}`,
    );
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])); // the BOM Excel needs to read UTF-8
    expect(bytes.subarray(3).toString('utf8')).toMatch(/^单位,(.+及时率,)*满意率,超时项数,得分,等级\r\n/);
    expect((await app.api('/api/exports/tickets.pdf')).status).toBe(400);
  });

  it('shows the leaders the same monthly picture they get in WeCom, to the leader token too', async () => {
    const response = await app.api('/api/reports/analysis.png?month=2026-10', { token: app.leaderToken });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const png = decode(new Uint8Array(await response.arrayBuffer()));
    expect({ width: png.width, height: png.height }).toEqual(PICTURE_SIZE);
  });
});

describe('the console with WeCom credentials (production mode)', () => {
  let fake: FakeWeCom;
  let app: TestApp;
  beforeAll(async () => {
    fake = await FakeWeCom.start({ bots: [DEMO_BOT] });
    app = await startTestApp(wecomEnv(fake, DEMO_BOT));
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('is served as well, while the sandbox is not', async () => {
    expect(app.sandbox).toBe(false);
    expect((await fetch(app.url + '/console')).status).toBe(200);
    expect((await fetch(app.url + '/console/static/console.js')).status).toBe(200);
    expect((await fetch(app.url + '/sandbox')).status).toBe(404);
  });
});
