import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../../src/config';
import { startTestApp, type TestApp } from '../support/app';

/**
 * Tokens issued to named people (so the audit log says who did what), robot webhook keys that no reader gets back,
 * and an audit log that covers outages, the knowledge base and the tokens themselves.
 */
let app: TestApp;
beforeAll(async () => (app = await startTestApp()));
afterAll(() => app.stop());

interface Listing {
  id: number;
  holder: string;
  role: string;
  tail: string;
  revokedAt: string | null;
  token?: string;
}
interface AuditPage {
  items: { subject: string; actor: string; before: unknown; after: unknown }[];
}

const audit = async (subject: string) => ((await (await app.api(`/api/audit?subject=${subject}`)).json()) as AuditPage).items;

async function issue(holder: string, role: 'admin' | 'leader'): Promise<Listing & { token: string }> {
  const response = await app.api('/api/tokens', { method: 'POST', body: { holder, role } });
  expect(response.status).toBe(201);
  return (await response.json()) as Listing & { token: string };
}

describe('tokens issued to people', () => {
  it('a named admin token acts, the audit log names its holder, the list never shows a value, and revoking ends it', async () => {
    const zhang = await issue('张建国', 'admin');
    expect(zhang.token).toMatch(/^wtb_[\w-]{32}$/);
    const { org } = (await (await app.api('/api/org', { token: zhang.token })).json()) as { org: { company: string } };
    expect((await app.api('/api/org', { method: 'PUT', token: zhang.token, body: { ...org, company: '云阳县供电公司（张）' } })).status).toBe(200);
    expect((await audit('org'))[0]).toMatchObject({ actor: '张建国', after: { company: '云阳县供电公司（张）' } });

    const list = (await (await app.api('/api/tokens')).json()) as { items: Listing[] };
    expect(list.items).toContainEqual(expect.objectContaining({ holder: '张建国', role: 'admin', tail: zhang.token.slice(-4), revokedAt: null }));
    expect(JSON.stringify(list)).not.toContain(zhang.token);
    expect(JSON.stringify(await audit('tokens'))).not.toContain(zhang.token);

    expect((await app.api(`/api/tokens/${zhang.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await app.api('/api/org', { token: zhang.token })).status).toBe(401);
    expect((await app.api(`/api/tokens/${zhang.id}`, { method: 'DELETE' })).status).toBe(409);
    const revocation = (await audit('tokens'))[0]!;
    expect(revocation).toMatchObject({ actor: '未署名管理令牌', before: { holder: '张建国', revokedAt: null }, after: { holder: '张建国' } });
  });

  it("a leader's named token reads and may not write; it may not issue tokens", async () => {
    const li = await issue('李书记', 'leader');
    expect((await app.api('/api/tickets', { token: li.token })).status).toBe(200);
    expect((await app.api('/api/tokens', { method: 'POST', token: li.token, body: { holder: '王五', role: 'admin' } })).status).toBe(403);
    expect((await app.api('/api/tokens', { method: 'POST', body: { holder: '', role: 'root' } })).status).toBe(400);
  });
});

describe('robot webhook keys are written, never read back', () => {
  it('the organisation shows each key as its last four characters, and a document sent back masked keeps the keys', async () => {
    const stored = (await app.ctx.orgs.current(app.ctx.db)).doc.units.find((unit) => unit.webhookKey)!;
    for (const token of [app.leaderToken, undefined]) {
      const body = await (await app.api('/api/org', { token })).text();
      expect(body).not.toContain(stored.webhookKey!);
      expect(body).toContain(`****${stored.webhookKey!.slice(-4)}`);
    }
    const { org } = (await (await app.api('/api/org')).json()) as { org: { company: string } };
    expect((await app.api('/api/org', { method: 'PUT', body: { ...org, company: '云阳县供电公司' } })).status).toBe(200);
    const kept = (await app.ctx.orgs.current(app.ctx.db)).doc.units.find((unit) => unit.id === stored.id)!;
    expect(kept.webhookKey).toBe(stored.webhookKey);
    const documents = JSON.stringify(await audit('org'));
    expect(documents).not.toContain(stored.webhookKey!);
    expect(documents).toContain(`****${stored.webhookKey!.slice(-4)}`);
  });
});

describe('the audit log covers outages and the knowledge base', () => {
  it('publishing and ending an outage, and a knowledge-base import, are recorded with the person', async () => {
    const published = await app.api('/api/outages', {
      body: { kind: 'planned', areas: ['城关镇'], startsAt: '2026-12-05 08:00', restoreAt: '2026-12-05 18:00', cause: '线路检修', publishedBy: 'wangfang' },
    });
    expect(published.status).toBe(201);
    const { outage } = (await published.json()) as { outage: { no: string } };
    expect((await app.api(`/api/outages/${outage.no}/end`, { method: 'PUT', body: { endedBy: 'wangfang' } })).status).toBe(200);
    const [ended, publication] = await audit('outages');
    expect(publication).toMatchObject({ actor: '未署名管理令牌', before: null, after: { no: outage.no, ended_at: null } });
    expect(ended).toMatchObject({ actor: '未署名管理令牌', before: { no: outage.no, ended_at: null }, after: { no: outage.no } });
    expect((ended!.after as { ended_at: string | null }).ended_at).not.toBeNull();

    const entries = [{ id: 'faq-audit-1', question: '审计测试问题', similar: [], answer: '审计测试答复', tags: [] }];
    expect((await app.api('/api/faq/import', { body: { entries } })).status).toBe(200);
    expect((await audit('faq'))[0]).toMatchObject({ actor: '未署名管理令牌', after: { replace: false, written: ['faq-audit-1'], removed: [] } });
  });
});

describe('configuration errors never echo a credential', () => {
  it.each([
    ['WECOM_WS_URL', 'ftp://desk:pw-hunter2@x.example/ws', 'pw-hunter2'],
    ['WECOM_API_BASE', 'gopher://api.example/?token=tk-hunter2', 'tk-hunter2'],
    ['MARKETING_API_BASE', 'ftp://marketing.example/q?access_token=mk-hunter2&x=1', 'mk-hunter2'],
    ['WECOM_WS_URL', 'ftp://only-user-hunter2@x.example/', 'only-user-hunter2'],
  ])('%s', (name, value, secret) => {
    let message = '';
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      if (error instanceof ConfigError) message = error.message;
    }
    expect(message).toContain(name);
    expect(message).not.toContain(secret);
  });
});
