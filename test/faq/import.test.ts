import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaqEntry } from '../../src/faq/entry';
import { createFaqService, type FaqService } from '../../src/faq/service';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../support/app';

let app: TestApp;
/** A second process's knowledge base on the same database, started before any import. */
let other: FaqService;
beforeAll(async () => {
  app = await startTestApp();
  other = await createFaqService({ db: app.database.db, clock: app.clock, logger: pino({ level: 'silent' }) });
});
afterAll(() => app.stop());

function postCsv(csv: string, query = '') {
  return fetch(`${app.url}/api/faq/import${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/csv; charset=utf-8' },
    body: csv,
  });
}

async function exported(): Promise<FaqEntry[]> {
  return ((await (await app.api('/api/faq/export')).json()) as { entries: FaqEntry[] }).entries;
}

describe('importing the knowledge base from a spreadsheet (CSV)', () => {
  it('refuses the whole file when one row is bad, and says which row and why', async () => {
    const before = await exported();
    const response = await postCsv(
      [
        '编号,主题,问题,相似问题,答案,标签',
        'town-001,停电,东街片区的停电公告在哪看？,东街停电通知,东街的停电公告贴在社区公告栏。,停电信息',
        'town-002,电费,镇上哪里能交电费？,,',
        'town-003,报装,西街新房怎么装电表？,,带房产证和身份证到城关营业厅办理。,',
      ].join('\n'),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string; details: { rejected: unknown[] } } };
    expect(body.error.code).toBe('invalid_csv');
    expect(body.error.message).toContain('知识库没有改动');
    expect(body.error.message).toContain('第 3 行：答案不能为空');
    expect(body.error.details.rejected).toEqual([{ row: 3, reason: '答案不能为空' }]);
    expect(await exported()).toEqual(before);
  });

  it('reports a repeated id and an unknown column in Chinese', async () => {
    const repeated = await postCsv('编号,问题,答案\nx-1,问一,答一\nx-1,问二,答二\n');
    expect(((await repeated.json()) as { error: { message: string } }).error.message).toContain('第 3 行：编号 x-1 与第 2 行重复');
    const unknown = await postCsv('编号,问题,答复\nx-1,问一,答一\n');
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('第 1 行：表头不认识的列：答复；缺少列：答案');
  });

  it('imports a good file: several similar questions in one cell, a topic, tags', async () => {
    const response = await postCsv(
      '\uFEFF编号,主题,问题,相似问题,答案,标签\n' +
        'town-001,停电,东街片区的停电公告在哪看？,"东街停电通知\n东街哪天停电|东街检修停电",东街的停电公告贴在社区公告栏。,停电信息、公告\n',
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ count: 121 });
    expect((await exported()).find((entry) => entry.id === 'town-001')).toEqual({
      id: 'town-001',
      topic: '停电',
      question: '东街片区的停电公告在哪看？',
      similar: ['东街停电通知', '东街哪天停电', '东街检修停电'],
      answer: '东街的停电公告贴在社区公告栏。',
      tags: ['停电信息', '公告'],
    });
  });
});

describe('every process answers from the same knowledge base', () => {
  it('sees an import made by another process at once, without a restart', async () => {
    const entry: FaqEntry = {
      id: 'town-009',
      topic: '服务',
      question: '城关供电所夜间值班电话是多少？',
      similar: [],
      answer: '城关供电所夜间值班电话 0000-7654321。',
      tags: [],
    };
    expect(await other.search('城关供电所夜里值班打哪个电话')).not.toContainEqual(
      expect.objectContaining({ entry: expect.objectContaining({ id: 'town-009' }) }),
    );
    const response = await app.api('/api/faq/import', { body: { entries: [entry] } });
    expect(response.status).toBe(200);
    expect((await other.search('城关供电所夜里值班打哪个电话'))[0]?.entry.id).toBe('town-009');
  });

  it('sees an edit made by hand in the database', async () => {
    await app.database.db.updateTable('faq_entries').set({ answer: '值班电话已改为 0000-1111111。' }).where('id', '=', 'town-009').execute();
    expect((await other.search('城关供电所夜里值班打哪个电话'))[0]?.entry.answer).toBe('值班电话已改为 0000-1111111。');
    expect((await app.ctx.faq.search('城关供电所夜里值班打哪个电话'))[0]?.entry.answer).toBe('值班电话已改为 0000-1111111。');
  });
});
