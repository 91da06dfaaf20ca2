import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BOT, FakeWeCom } from '../fake-wecom/index';
import { frozenClock, startTestApp, wecomEnv, type TestApp } from './support/app';

interface Directory {
  botName: string;
  groups: { chatId: string; name: string; kind: string; members: string[] }[];
  people: { userId: string; name: string; title: string; kind: string }[];
}
interface Chats {
  clock: { label: string; day: string; advancedMinutes: number };
  online: boolean;
  chats: {
    chatId: string;
    entries: { from: string; userId?: string; text: string; taskId?: string; card?: { button_list?: { key: string }[] } }[];
  }[];
}

const post = (app: TestApp, path: string, body: unknown) =>
  fetch(app.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const getJson = async <T>(app: TestApp, path: string): Promise<T> => (await fetch(app.url + path)).json() as Promise<T>;

describe('the sandbox, when no WeCom credentials are configured', () => {
  let app: TestApp;
  let directory: Directory;
  beforeAll(async () => {
    app = await startTestApp();
    directory = await getJson<Directory>(app, '/sandbox/api/directory');
  });
  afterAll(() => app?.stop());

  it('is ready once started: the bot is connected to the in-process WeCom', async () => {
    const ready = await fetch(app.url + '/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { wecom: true } });
  });

  it('serves the page with its tour and clock control, and its script and style', async () => {
    const page = await fetch(app.url + '/sandbox');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    for (const text of ['快进 30 分钟', '快进 1 个工作日', '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000', '/帮助']) {
      expect(html).toContain(text);
    }
    expect((await fetch(app.url + '/sandbox/static/sandbox.js')).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(app.url + '/sandbox/static/sandbox.css')).status).toBe(200);
    expect((await fetch(app.url + '/sandbox/static/app.ts')).status).toBe(404);
  });

  it("shows the organisation's group chats, desk first, and everyone who can be played", async () => {
    expect(directory.botName).toBe(DEMO_BOT.name);
    expect(directory.groups[0]?.kind).toBe('desk');
    expect(new Set(directory.groups.map((g) => g.kind))).toEqual(new Set(['desk', 'crew', 'department', 'leaders', 'dispatch']));
    const inGroups = new Set(directory.groups.flatMap((g) => g.members));
    expect(new Set(directory.people.map((p) => p.userId))).toEqual(inGroups);
    for (const person of directory.people) expect(person.name).toMatch(/^\p{Script=Han}{2,4}$/u);
  });

  it('puts what a person types into the group as a message to the bot over the long connection', async () => {
    const desk = directory.groups[0]!;
    const member = desk.members[0]!;
    const sent = await post(app, '/sandbox/api/say', { chatId: desk.chatId, userId: member, text: '/帮助' });
    expect(sent.status).toBe(202);

    const chats = await getJson<Chats>(app, `/sandbox/api/chats?as=${member}`);
    expect(chats.online).toBe(true);
    const deskChat = chats.chats.find((c) => c.chatId === desk.chatId)!;
    expect(deskChat.entries[0]).toMatchObject({ from: 'user', userId: member, text: `@${DEMO_BOT.name} /帮助` });
    // The person's own 1:1 chat with the bot comes along.
    expect(chats.chats.map((c) => c.chatId)).toContain(member);
  });

  it('answers an unchanged poll with 304', async () => {
    // The bot may still be answering the last message; once the chats are quiet, a repeated poll costs nothing.
    await expect
      .poll(async () => {
        const first = await fetch(app.url + '/sandbox/api/chats');
        const again = await fetch(app.url + '/sandbox/api/chats', { headers: { 'if-none-match': first.headers.get('etag')! } });
        return again.status;
      })
      .toBe(304);
  });

  it('refuses a message from someone who is not in the group, and a card nobody was shown', async () => {
    const desk = directory.groups[0]!;
    const outsider = directory.people.find((p) => !desk.members.includes(p.userId))!;
    const refused = await post(app, '/sandbox/api/say', { chatId: desk.chatId, userId: outsider.userId, text: '/帮助' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('不在这个群');
    const noCard = await post(app, '/sandbox/api/tap', { taskId: 'never-shown', eventKey: 'accept', userId: outsider.userId });
    expect(noCard.status).toBe(404);
    const empty = await post(app, '/sandbox/api/say', { chatId: desk.chatId, userId: desk.members[0], text: '   ' });
    expect(empty.status).toBe(400);
  });

  it('turns a tap into a card event; a button already gone from the card is refused politely', async () => {
    const desk = directory.groups[0]!;
    // The tour's 激活 step: someone in every group @-s the bot once, as WeCom requires before any push.
    const activated = (await (await post(app, '/sandbox/api/activate', {})).json()) as { activated: number };
    expect(activated.activated).toBeGreaterThan(0);
    expect(((await (await post(app, '/sandbox/api/activate', {})).json()) as { activated: number }).activated).toBe(0);
    const report = '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000';
    await post(app, '/sandbox/api/say', { chatId: desk.chatId, userId: desk.members[0], text: report });
    const dispatched = async () => {
      const { chats } = await getJson<Chats>(app, '/sandbox/api/chats');
      for (const chat of chats) {
        const shown = chat.entries.find((e) => e.card && e.taskId);
        if (shown) return { chatId: chat.chatId, taskId: shown.taskId! };
      }
      return undefined;
    };
    await expect.poll(dispatched).toBeDefined();
    const { chatId, taskId } = (await dispatched())!;
    const crew = directory.groups.find((g) => g.chatId === chatId)!;
    expect(crew.kind).toBe('crew');

    const outsider = desk.members[0]!;
    expect((await post(app, '/sandbox/api/tap', { taskId, eventKey: 'accept', userId: outsider })).status).toBe(403);
    expect((await post(app, '/sandbox/api/tap', { taskId, eventKey: 'accept', userId: crew.members[0] })).status).toBe(202);
    const keys = async () => {
      const chat = (await getJson<Chats>(app, '/sandbox/api/chats')).chats.find((c) => c.chatId === chatId)!;
      return chat.entries.find((e) => e.taskId === taskId)!.card!.button_list!.map((b) => b.key);
    };
    await expect.poll(keys).not.toContain('accept');
    const again = await post(app, '/sandbox/api/tap', { taskId, eventKey: 'accept', userId: crew.members[0] });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain('最新状态');
  });

  it('moves the app clock 30 minutes, or to this time on the next working day, and refuses anything else', async () => {
    const clock = async (step: unknown) => post(app, '/sandbox/api/clock', { step });
    app.clock.freeze(new Date('2026-11-27T10:00:00+08:00')); // a Friday
    let body = (await (await clock('30m')).json()) as Chats;
    expect(body.clock).toMatchObject({ label: '2026-11-27 周五 10:30', day: '工作日', advancedMinutes: 30 });
    body = (await (await clock('1wd')).json()) as Chats;
    expect(body.clock).toMatchObject({ label: '2026-11-30 周一 10:30', advancedMinutes: 30 + 3 * 24 * 60 });
    expect(app.clock.now().toISOString()).toBe('2026-11-30T02:30:00.000Z');
    app.clock.freeze(new Date('2026-10-01T09:00:00+08:00')); // 国庆节
    body = (await (await clock('1wd')).json()) as Chats;
    expect(body.clock).toMatchObject({ label: '2026-10-08 周四 09:00', day: '工作日' });

    expect((await clock('2h')).status).toBe(400);
    expect((await post(app, '/sandbox/api/clock', {})).status).toBe(400);
  });
});

describe('the sandbox before any organisation is loaded', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ORG_FILE: 'config/no-such-org.json' });
  });
  afterAll(() => app?.stop());

  it('still runs, with no chats to show and its clock working', async () => {
    expect(await getJson<Directory>(app, '/sandbox/api/directory')).toMatchObject({ groups: [], people: [] });
    const { clock, chats } = await getJson<Chats>(app, '/sandbox/api/chats');
    expect(clock.label).toBe('2026-11-24 周二 10:00');
    expect(chats).toEqual([]);
    expect(await (await fetch(app.url + '/sandbox')).text()).toContain('快进 30 分钟');
  });
});

describe('with WeCom credentials configured', () => {
  let fake: FakeWeCom;
  let app: TestApp;
  beforeAll(async () => {
    fake = await FakeWeCom.start({ bots: [DEMO_BOT] });
    app = await startTestApp(wecomEnv(fake, DEMO_BOT), frozenClock());
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('has no sandbox: every /sandbox path answers 404', async () => {
    expect(app.sandbox).toBe(false);
    for (const path of ['/sandbox', '/sandbox/static/sandbox.js', '/sandbox/api/directory', '/sandbox/api/chats']) {
      expect((await fetch(app.url + path)).status, path).toBe(404);
    }
    expect((await post(app, '/sandbox/api/clock', { step: '30m' })).status).toBe(404);
    expect((await post(app, '/sandbox/api/say', { chatId: 'x', userId: 'y', text: '/帮助' })).status).toBe(404);
  });
});
