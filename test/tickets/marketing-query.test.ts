import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpMarketing } from '../../src/marketing/http-marketing';
import { FakeMarketing } from '../support/fake-marketing';
import { CHAT, Desk, numberIn } from './desk';

const ACCOUNT = '0100012345';
const BILL = '户号 0100012345，2026年10月电费 126.40 元，已于 11月5日 缴清。';

let fake: FakeMarketing;
beforeAll(async () => (fake = await FakeMarketing.start({ [ACCOUNT]: BILL })));
afterAll(() => fake.close());

describe('/查询 through the marketing system', () => {
  let desk: Desk;
  beforeAll(async () => (desk = await Desk.open({ MARKETING_API_BASE: fake.url })));
  afterAll(() => desk.close());

  it('answers a bill query from the marketing system and closes the query', async () => {
    fake.mode = 'ok';
    const reply = await desk.say('wangfang', CHAT.desk, `/查询 电费 ${ACCOUNT}`);
    expect(reply).toContain(BILL);
    const ticket = await desk.ticket(numberIn(reply));
    expect(ticket.state).toBe('answered');
    expect(fake.requests.at(-1)).toEqual({ topic: 'bill', account: ACCOUNT });
  });

  it('an unknown account is said plainly and left with the desk', async () => {
    fake.mode = 'ok';
    const reply = await desk.say('wangfang', CHAT.desk, '/查询 电费 0199999999');
    expect(reply).toMatch(/营销系统中没有找到这个户号，请核对后再查；已记录为查询工单 \*\*CX\d{8}-\d{4}\*\*，客户服务班将尽快答复/);
    expect((await desk.ticket(numberIn(reply))).state).not.toBe('answered');
  });

  it.each(['slow', 'fail'] as const)('a marketing system that is %s gets a polite answer, and the desk the query', async (mode) => {
    fake.mode = mode;
    const reply = await desk.say('wangfang', CHAT.desk, `/查询 缴费 ${ACCOUNT}`);
    expect(reply).toMatch(/^营销系统暂时无法查询，已记录为查询工单 \*\*CX\d{8}-\d{4}\*\*，客户服务班将尽快答复。$/);
    expect(reply).not.toMatch(/ORA-|500|timeout|Error/i);
    expect((await desk.ticket(numberIn(reply))).state).not.toBe('answered');
  });
});

describe('the HTTP adapter', () => {
  it('retries once, then logs the failure for engineers without the customer seeing it', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write: (chunk, _, done) => (lines.push(String(chunk)), done()) }));
    const marketing = httpMarketing({ baseUrl: fake.url, logger, timeoutMs: 200, retries: 1 });
    for (const mode of ['slow', 'fail'] as const) {
      fake.mode = mode;
      const before = fake.requests.length;
      expect(await marketing.query({ topic: 'payment', account: ACCOUNT })).toEqual({ kind: 'unavailable' });
      expect(fake.requests.length - before).toBe(2);
    }
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; status?: number });
    expect(logged.filter((entry) => entry.msg === 'marketing system did not answer')).toHaveLength(2);
    expect(logged.filter((entry) => entry.msg === 'marketing system failed' && entry.status === 500)).toHaveLength(2);
  });
});

describe('/查询 with no marketing system connected', () => {
  let desk: Desk;
  beforeAll(async () => (desk = await Desk.open()));
  afterAll(() => desk.close());

  it('says so politely and records the query for the desk', async () => {
    const before = fake.requests.length;
    const reply = await desk.say('wangfang', CHAT.desk, `/查询 电量 ${ACCOUNT}`);
    expect(reply).toMatch(/^营销系统尚未接入本机器人，已记录为查询工单 \*\*CX\d{8}-\d{4}\*\*，客户服务班将尽快答复。$/);
    expect((await desk.ticket(numberIn(reply))).description).toBe(`查询电量 户号 ${ACCOUNT}`);
    expect(fake.requests.length).toBe(before);
  });
});
