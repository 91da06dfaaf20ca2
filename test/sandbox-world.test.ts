import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../src/app';
import { loadConfig } from '../src/config';
import { frozenClock, TEST_ADMIN_TOKEN } from './support/app';
import { createTestDatabase, type TestDatabase } from './support/db';

interface Directory {
  groups: { chatId: string; kind: string; members: string[] }[];
}
interface Chats {
  clock: { label: string; advancedMinutes: number };
  chats: { chatId: string; entries: { from: string; kind: string; text: string; mediaId?: string }[] }[];
}

const post = (app: RunningApp, path: string, body: unknown) =>
  fetch(app.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const chats = async (app: RunningApp) => (await (await fetch(`${app.url}/sandbox/api/chats`)).json()) as Chats;
const WAIT = { timeout: 15_000, interval: 100 };

/** The sandbox on a database that outlives one process, started (and restarted) at a given real time. */
async function sandboxOn(database: TestDatabase, at: string): Promise<{ app: RunningApp; clock: ReturnType<typeof frozenClock> }> {
  const config = loadConfig({ DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN: TEST_ADMIN_TOKEN, SANDBOX: '1', OPS_REPORTS: '0', LOG_LEVEL: 'silent' });
  const clock = frozenClock(new Date(at));
  return { app: await startApp(config, { clock, logger: pino({ level: 'silent' }) }), clock };
}

describe('a sandbox that keeps its world', () => {
  let database: TestDatabase;
  let app: RunningApp | undefined;
  let desk: Directory['groups'][number];
  let leaders: Directory['groups'][number];
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await app?.stop();
    await database.close();
  });

  const deskSays = async (text: string) => {
    expect((await post(app!, '/sandbox/api/say', { chatId: desk.chatId, userId: desk.members[0], text })).status).toBe(202);
  };
  const shown = async (chatId: string) => (await chats(app!)).chats.find((c) => c.chatId === chatId)?.entries ?? [];

  it('after 快进 and a restart, the clock, the chats and the desk replies are all there', async () => {
    ({ app } = await sandboxOn(database, '2026-11-24T10:00:00+08:00'));
    const directory = (await (await fetch(`${app.url}/sandbox/api/directory`)).json()) as Directory;
    desk = directory.groups.find((g) => g.kind === 'desk')!;
    leaders = directory.groups.find((g) => g.kind === 'leaders')!;
    // The tour's first step, as in real WeCom: each group @-s the bot once; the restarts below must not forget it.
    expect((await post(app, '/sandbox/api/activate', {})).status).toBe(200);
    await deskSays('/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000');
    await expect.poll(async () => (await shown(desk.chatId)).some((e) => e.from === 'bot' && /已受理/.test(e.text)), WAIT).toBe(true);
    // Many desk replies on the moved clock: a restart must not take them for a spent minute's budget.
    for (let i = 0; i < 3; i++) expect((await post(app, '/sandbox/api/clock', { step: '1wd' })).status).toBe(200);
    for (let i = 0; i < 5; i++) await deskSays('/帮助');
    await expect.poll(async () => (await shown(desk.chatId)).filter((e) => e.from === 'bot').length, WAIT).toBeGreaterThanOrEqual(6);
    const before = await chats(app);
    expect(before.clock.label).toBe('2026-11-27 周五 10:00');
    await app.stop();

    // The same real time: only what was kept can put the clock back where it was.
    ({ app } = await sandboxOn(database, '2026-11-24T10:00:00+08:00'));
    const after = await chats(app);
    expect(after.clock).toMatchObject({ label: '2026-11-27 周五 10:00', advancedMinutes: 3 * 24 * 60 });
    // Everything shown before is there, in order (a reply still on its way at the stop may follow).
    const kept = before.chats.find((c) => c.chatId === desk.chatId)!.entries.map((e) => e.text);
    expect(after.chats.find((c) => c.chatId === desk.chatId)?.entries.map((e) => e.text).slice(0, kept.length)).toEqual(kept);
    const { count } = await database.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('sent_at', '>', app.ctx.clock.now())
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(0);

    // The desk is still answered: 已受理 for a new report, and /查单. (Half an hour on, so the frozen test clock's minute
    // of replies above is behind us; without the kept offset the clock would be three days back, those rows ahead of it.)
    expect((await post(app, '/sandbox/api/clock', { step: '30m' })).status).toBe(200);
    const deskBots = (await shown(desk.chatId)).filter((e) => e.from === 'bot').length;
    await deskSays('/报修 城关镇 解放路1号 停电 13800000001');
    await deskSays('/查单 0001');
    const replies = async () => (await shown(desk.chatId)).filter((e) => e.from === 'bot').slice(deskBots).map((e) => e.text);
    await expect.poll(async () => (await replies()).filter((text) => text.includes('GZ20261127-0001')).length, WAIT).toBeGreaterThanOrEqual(2);
    expect((await replies()).join('\n')).toContain('已受理故障报修 **GZ20261127-0001**');
  }, 90_000);

  it('重置沙盒 empties the chats, and they stay empty after a restart; the clock stays', async () => {
    expect((await post(app!, '/sandbox/api/reset', {})).status).toBe(200);
    expect((await chats(app!)).chats.every((c) => c.entries.length === 0)).toBe(true);
    await app!.stop();
    ({ app } = await sandboxOn(database, '2026-11-24T10:00:00+08:00'));
    const after = await chats(app);
    expect(after.chats.every((c) => c.entries.length === 0)).toBe(true);
    expect(after.clock.label).toBe('2026-11-27 周五 10:30');
  }, 60_000);

  it.each([
    ['05:40', '2026-12-01', '2026-12-02 周三 08:30'],
    ['12:00', '2026-12-03', '2026-12-04 周五 12:00'],
    ['17:50', '2026-12-07', '2026-12-08 周二 17:50'],
  ])('the tour from %s: 快进 1 个工作日 brings the leaders their morning digest', async (time, day, landed) => {
    app!.ctx.clock.freeze(new Date(`${day}T${time}:00+08:00`));
    const digests = async () => (await shown(leaders.chatId)).filter((e) => e.kind === 'markdown' && e.text.includes('每日简报'));
    const seen = (await digests()).length;
    const moved = (await (await post(app!, '/sandbox/api/clock', { step: '1wd' })).json()) as Chats;
    expect(moved.clock.label).toBe(landed);
    await expect.poll(async () => (await digests()).length, WAIT).toBeGreaterThan(seen);
    // The digest's picture shows in the leaders' chat.
    const picture = (await shown(leaders.chatId)).filter((e) => e.kind === 'media').at(-1) as { mediaId?: string } | undefined;
    const served = await fetch(`${app!.url}/sandbox/api/media/${picture?.mediaId}`);
    expect([served.status, served.headers.get('content-type')]).toEqual([200, 'image/png']);
  }, 30_000);
});
