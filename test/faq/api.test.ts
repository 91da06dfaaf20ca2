import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { FaqEntry } from '../../src/faq/entry';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

async function exported(): Promise<FaqEntry[]> {
  const response = await app.api('/api/faq/export');
  expect(response.status).toBe(200);
  return ((await response.json()) as { entries: FaqEntry[] }).entries;
}

async function search(q: string, limit?: number) {
  const query = new URLSearchParams({ q, ...(limit ? { limit: String(limit) } : {}) });
  const response = await app.api(`/api/faq/search?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { decision: string; results: { id: string; question: string; confidence: number }[] };
}

const outageLine: FaqEntry = {
  id: 'local-001',
  question: '城关镇东街片区停电公告在哪里看？',
  similar: ['东街片区检修停电的通知'],
  answer: '东街片区的停电公告贴在社区公告栏，也会在“网上国网”App 的停电信息中发布。',
  tags: ['停电信息'],
};

describe('the FAQ knowledge base through the admin API', () => {
  it('starts with the demo knowledge base and answers from it', async () => {
    const entries = await exported();
    expect(entries).toHaveLength(120);
    expect(entries[0]).toMatchObject({ id: 'faq-001', question: '电费可以通过哪些方式缴纳？' });
    expect(await app.ctx.faq.answer('电费逾期了违约金收多少')).toMatchObject({ kind: 'answer', entry: { id: 'faq-022' } });
  });

  it('shows what the bot would do with a question', async () => {
    const found = await search('电费逾期了违约金收多少');
    expect(found.decision).toBe('answer');
    expect(found.results).toHaveLength(3);
    expect(found.results[0]).toMatchObject({ id: 'faq-022', question: '电费违约金是怎么计算的？' });
    expect((await search('电表', 5)).decision).toBe('candidates');
    expect((await search('帮我订一张去北京的机票')).decision).toBe('none');
  });

  it('refuses bad searches and callers without the token', async () => {
    expect((await app.api('/api/faq/search')).status).toBe(400);
    expect((await app.api('/api/faq/search?q=电费&limit=0')).status).toBe(400);
    expect((await app.api('/api/faq/search?q=电费', { token: null })).status).toBe(401);
    expect((await app.api('/api/faq/export', { token: null })).status).toBe(401);
  });

  it.each([
    ['a repeated id', { entries: [outageLine, { ...outageLine, question: '另一个问题' }] }],
    ['an entry without an answer', { entries: [outageLine, { ...outageLine, id: 'local-002', answer: '' }] }],
    ['an unknown field', { entries: [{ ...outageLine, answr: '拼错的字段' }] }],
    ['an id with spaces', { entries: [{ ...outageLine, id: 'local 001' }] }],
    ['no entries at all', { entries: [], replace: true }],
    ['a bare array', [outageLine]],
  ])('rejects an import with %s as a whole and changes nothing', async (_, body) => {
    const before = await exported();
    const response = await app.api('/api/faq/import', { body });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_body', message: '请求内容不正确' } });
    expect(await exported()).toEqual(before);
  });

  it('re-imports its own export unchanged', async () => {
    const before = await exported();
    const response = await app.api('/api/faq/import', { body: { entries: before, replace: true } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ count: 120 });
    expect(await exported()).toEqual(before);
  });

  it('adds and changes entries by id, and the bot answers from them at once', async () => {
    const changed = { ...(await exported())[0]!, answer: '电费可在营业厅、网上国网 App、微信、支付宝缴纳。' };
    const response = await app.api('/api/faq/import', { body: { entries: [outageLine, changed] } });
    expect(await response.json()).toEqual({ count: 121 });
    const entries = await exported();
    expect(entries.find((entry) => entry.id === 'faq-001')?.answer).toBe(changed.answer);
    expect(entries.find((entry) => entry.id === 'local-001')).toEqual(outageLine);
    expect((await search('东街那边停电的公告去哪看')).results[0]?.id).toBe('local-001');
  });

  it('replaces the whole knowledge base when asked', async () => {
    const response = await app.api('/api/faq/import', { body: { entries: [outageLine], replace: true } });
    expect(await response.json()).toEqual({ count: 1 });
    expect(await exported()).toEqual([outageLine]);
    expect(await app.ctx.faq.answer('营业厅礼拜天开不开门')).toEqual({ kind: 'none' });
  });

  it('keeps what the desk imported across a restart instead of loading the demo again', async () => {
    const again = await startTestAppOn(app);
    try {
      expect(await again.ctx.faq.export()).toEqual([outageLine]);
    } finally {
      await again.stop();
    }
  });
});

/** A second service on the same database, as after a restart. */
function startTestAppOn(existing: TestApp) {
  const config = loadConfig({
    DATABASE_URL: existing.database.url,
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    SANDBOX: '1',
  });
  return startApp(config, { clock: existing.clock, logger: pino({ level: 'silent' }) });
}
