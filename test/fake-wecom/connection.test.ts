/**
 * The long connection itself: subscribing, one live connection per bot, heartbeats, drops and refusals,
 * and frames WeCom would refuse — driven by the real SDK over a real socket.
 */
import { WSClient } from '@wecom/aibot-node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { connectBot, nextFrame, rawSocket, silentLogger } from './bot-client';
import { FakeWeCom } from '../../fake-wecom/index';

const BOT = { botId: 'bot-95598', secret: 's3cret' };

let fake: FakeWeCom;
const clients: WSClient[] = [];
const track = (c: WSClient): WSClient => {
  clients.push(c);
  return c;
};

afterEach(async () => {
  for (const c of clients.splice(0)) c.removeAllListeners().disconnect();
  await fake?.close();
});

describe('subscribing', () => {
  it('accepts the right secret and answers with the subscribe req_id', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    track(await connectBot(fake, BOT));
    expect(fake.subscribeCount(BOT.botId)).toBe(1);
    expect(fake.connections(BOT.botId)).toEqual([{ id: 1, botId: BOT.botId, live: true, subscribed: true }]);
    const sub = fake.frames.find((f) => f.cmd === 'aibot_subscribe');
    const ack = fake.frames.find((f) => f.direction === 'out' && f.reqId === sub?.reqId);
    expect(ack?.json).toEqual({ headers: { req_id: sub?.reqId }, errcode: 0, errmsg: 'ok' });
  });

  it('refuses a wrong secret with 853000, which the SDK reports as an auth failure', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    const client = track(
      new WSClient({ ...BOT, secret: 'wrong', wsUrl: fake.wsUrl, logger: silentLogger, maxAuthFailureAttempts: 0 }),
    );
    const error = new Promise<Error>((resolve) => client.once('error', resolve));
    client.connect();
    expect((await error).message).toBe('Authentication failed: invalid bot_id or secret (code: 853000)');
    expect(fake.subscribeCount(BOT.botId)).toBe(0);
  });

  it('rate-protects subscribing: past the limit a subscribe is 45009, until the window slides', async () => {
    fake = await FakeWeCom.start({ bots: [BOT], subscribeLimit: { limit: 2, windowMs: 300, errcode: 45009 } });
    for (let i = 0; i < 2; i++) {
      const raw = await rawSocket(fake);
      raw.send({ cmd: 'aibot_subscribe', headers: { req_id: `aibot_subscribe_${i}` }, body: { bot_id: BOT.botId, secret: BOT.secret } });
      expect(await raw.reply(`aibot_subscribe_${i}`)).toMatchObject({ errcode: 0 });
      raw.ws.close();
    }
    const third = await rawSocket(fake);
    third.send({ cmd: 'aibot_subscribe', headers: { req_id: 'aibot_subscribe_3' }, body: { bot_id: BOT.botId, secret: BOT.secret } });
    expect(await third.reply('aibot_subscribe_3')).toMatchObject({ errcode: 45009 });
    expect(fake.subscribeCount(BOT.botId)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 350));
    third.send({ cmd: 'aibot_subscribe', headers: { req_id: 'aibot_subscribe_4' }, body: { bot_id: BOT.botId, secret: BOT.secret } });
    expect(await third.reply('aibot_subscribe_4')).toMatchObject({ errcode: 0 });
    third.ws.close();
  });

  it('answers 853000 while the authFailure fault is on', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    fake.faults.authFailure = true;
    const client = track(new WSClient({ ...BOT, wsUrl: fake.wsUrl, logger: silentLogger, maxAuthFailureAttempts: 0 }));
    const error = new Promise<Error>((resolve) => client.once('error', resolve));
    client.connect();
    expect((await error).message).toContain('853000');
  });

  it('refuses commands on a socket that has not subscribed', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    const raw = await rawSocket(fake);
    raw.send({ cmd: 'aibot_send_msg', headers: { req_id: 'r1' }, body: { chatid: 'x', msgtype: 'markdown', markdown: { content: 'hi' } } });
    expect(await raw.reply('r1')).toMatchObject({ errcode: 846609 });
    raw.ws.close();
  });
});

describe('one live connection per bot', () => {
  it('a second SDK client takes over: the first gets disconnected_event and stops, callbacks go to the second', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    const first = track(await connectBot(fake, BOT));
    const kicked = nextFrame(first, 'event.disconnected_event');
    const disconnected = new Promise<string>((resolve) => first.once('disconnected', resolve));
    const second = track(await connectBot(fake, BOT));

    expect((await kicked).body).toMatchObject({ msgtype: 'event', aibotid: BOT.botId, event: { eventtype: 'disconnected_event' } });
    expect(await disconnected).toBe('New connection established, server disconnected this connection');
    await fake.waitFor(() => fake.connections(BOT.botId).filter((c) => c.live).length === 1);

    const onSecond = nextFrame(second, 'message.text');
    await fake.userSays({ chatId: 'wr-desk', userId: 'zhangsan', text: '报修' });
    expect((await onSecond).body.text.content).toBe('@客服机器人 报修');
    expect(fake.subscribeCount(BOT.botId)).toBe(2);
  });

  it('answers 846609 to commands still arriving on the replaced connection', async () => {
    fake = await FakeWeCom.start({ bots: [BOT], takeoverCloseDelayMs: 2000 });
    const old = await rawSocket(fake);
    old.send({ cmd: 'aibot_subscribe', headers: { req_id: 'aibot_subscribe_1' }, body: { bot_id: BOT.botId, secret: BOT.secret } });
    expect(await old.reply('aibot_subscribe_1')).toMatchObject({ errcode: 0 });
    track(await connectBot(fake, BOT));
    await fake.waitFor(() => old.received.some((f) => f.body?.event?.eventtype === 'disconnected_event'));

    old.send({ cmd: 'ping', headers: { req_id: 'ping_1' } });
    expect(await old.reply('ping_1')).toMatchObject({ errcode: 846609 });
    old.ws.close();
  });

  it('takeover() kicks the current connection as if another process subscribed', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    const client = track(await connectBot(fake, BOT));
    const disconnected = new Promise<string>((resolve) => client.once('disconnected', resolve));
    await fake.takeover(BOT.botId);
    await disconnected;
    await expect(fake.userSays({ userId: 'lisi', text: 'hi' })).rejects.toThrow('no live subscribed connection');
  });
});

describe('heartbeat, drops and refusals', () => {
  it('acks pings, and the SDK drops and reconnects when the acks stop', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    track(await connectBot(fake, { ...BOT, heartbeatInterval: 30 }));
    await fake.waitFor(() => fake.frames.some((f) => f.direction === 'out' && f.reqId?.startsWith('ping')));
    fake.faults.stopPingAcks = true;
    await fake.waitFor(() => fake.subscribeCount(BOT.botId) === 2);
    expect(fake.connections(BOT.botId).map((c) => c.live)).toEqual([false, true]);
  });

  it('closes a connection that sends nothing for idleCloseMs', async () => {
    fake = await FakeWeCom.start({ bots: [BOT], idleCloseMs: 150 });
    const client = track(await connectBot(fake, { ...BOT, heartbeatInterval: 60_000, maxReconnectAttempts: 0 }));
    const closed = new Promise<string>((resolve) => client.once('disconnected', resolve));
    expect(await closed).toBe('idle timeout');
  });

  it('a pinging connection is not idle', async () => {
    fake = await FakeWeCom.start({ bots: [BOT], idleCloseMs: 150 });
    track(await connectBot(fake, { ...BOT, heartbeatInterval: 30 }));
    await new Promise((r) => setTimeout(r, 400));
    expect(fake.connections(BOT.botId)).toEqual([{ id: 1, botId: BOT.botId, live: true, subscribed: true }]);
  });

  it('the SDK reconnects after dropConnections, with or without a close frame', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    track(await connectBot(fake, BOT));
    fake.faults.dropConnections({ code: 1001, reason: 'maintenance' });
    await fake.waitFor(() => fake.subscribeCount(BOT.botId) === 2);
    fake.faults.dropConnections({ withoutCloseFrame: true });
    await fake.waitFor(() => fake.subscribeCount(BOT.botId) === 3);
    await fake.waitFor(() => fake.connections(BOT.botId).filter((c) => c.subscribed).length === 1);
  });

  it('refused upgrades make the SDK back off and retry until the fake accepts again', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    const client = track(await connectBot(fake, BOT));
    const attempts: number[] = [];
    client.on('reconnecting', (n) => attempts.push(n));
    fake.faults.refuseConnections(2);
    fake.faults.dropConnections({ withoutCloseFrame: true });
    await fake.waitFor(() => fake.subscribeCount(BOT.botId) === 2);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('an outage refuses everyone until it ends', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    track(await connectBot(fake, BOT));
    fake.faults.outage(10_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.connections(BOT.botId).some((c) => c.live)).toBe(false);
    fake.faults.endOutage();
    await fake.waitFor(() => fake.subscribeCount(BOT.botId) === 2, 4000);
  });

  it('goes away (port closed: reconnects and robot posts refused) and comes back on the same port with its chats', async () => {
    fake = await FakeWeCom.start({ bots: [BOT], webhookKeys: ['robot-1'] });
    track(await connectBot(fake, BOT));
    await fake.userSays({ userId: 'zhangsan', text: '查电费' });
    const post = () => fetch(`${fake.apiBase}/cgi-bin/webhook/send?key=robot-1`, { method: 'POST', body: JSON.stringify({ msgtype: 'text', text: { content: '通知' } }) });
    await fake.goAway();
    expect(fake.connections(BOT.botId).some((c) => c.live)).toBe(false);
    await expect(post()).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    const port = new URL(fake.apiBase).port;
    await fake.comeBack();
    expect(new URL(fake.apiBase).port).toBe(port);
    await fake.waitFor(() => fake.subscribeCount(BOT.botId) === 2, 4000);
    expect((await (await post()).json()) as unknown).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(fake.transcript('zhangsan').map((e) => e.content)).toEqual(['查电费']);
  });
});

describe('frames WeCom would refuse', () => {
  it('answers a malformed command with 40058 and keeps the connection', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    const client = track(await connectBot(fake, BOT));
    const msg = nextFrame(client, 'message.text');
    await fake.userSays({ userId: 'zhangsan', text: '查电费' });
    const frame = await msg;
    await expect(client.reply(frame, { msgtype: 'stream' })).rejects.toMatchObject({ errcode: 40058 });
    await expect(client.replyStream(frame, 's1', '正在查询', true)).resolves.toMatchObject({ errcode: 0 });
    expect(fake.connections(BOT.botId)).toHaveLength(1);
  });

  it('records non-JSON and envelope-less frames, answers those with a req_id, and stays open', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    const raw = await rawSocket(fake);
    raw.send('not json {');
    raw.send({ headers: { req_id: 'r-no-cmd' } });
    expect(await raw.reply('r-no-cmd')).toMatchObject({ errcode: 40058 });
    expect(fake.frames.filter((f) => f.direction === 'in').map((f) => f.raw)).toContain('not json {');
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
    raw.ws.close();
  });

  it('acks in arrival order even when acks are delayed, and dropAcks sends none', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    const raw = await rawSocket(fake);
    fake.faults.ackDelayMs = 80;
    raw.send({ cmd: 'aibot_subscribe', headers: { req_id: 'aibot_subscribe_1' }, body: { bot_id: BOT.botId, secret: BOT.secret } });
    raw.send({ cmd: 'ping', headers: { req_id: 'ping_1' } });
    raw.send({ cmd: 'aibot_respond_msg', headers: { req_id: 'nope' }, body: { msgtype: 'stream', stream: { id: 's' } } });
    await raw.reply('nope');
    expect(raw.received.map((f) => [f.headers.req_id, f.errcode])).toEqual([
      ['aibot_subscribe_1', 0],
      ['ping_1', 0],
      ['nope', 846605],
    ]);
    fake.faults.ackDelayMs = 0;
    fake.faults.dropAcks = true;
    raw.send({ cmd: 'aibot_send_msg', headers: { req_id: 'dropped' }, body: {} });
    await new Promise((r) => setTimeout(r, 100));
    expect(raw.received.some((f) => f.headers.req_id === 'dropped')).toBe(false);
    raw.ws.close();
  });

  it('closes the connection on a frame bigger than maxFrameBytes', async () => {
    fake = await FakeWeCom.start({ bots: [BOT], maxFrameBytes: 1000 });
    const raw = await rawSocket(fake);
    const closed = new Promise<number>((resolve) => raw.ws.once('close', resolve));
    raw.send({ cmd: 'ping', headers: { req_id: 'ping_big' }, body: { pad: 'x'.repeat(2000) } });
    expect(await closed).toBe(1009);
  });

  it('sendRawFrame reaches the SDK, which drops garbage and bodies without msgtype and carries on', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    const client = track(await connectBot(fake, BOT));
    const seen: unknown[] = [];
    client.on('message', (f) => seen.push(f));
    fake.sendRawFrame('{"cmd":"aibot_msg_callback",');
    fake.sendRawFrame(JSON.stringify({ cmd: 'aibot_msg_callback', headers: { req_id: 'r1' }, body: { msgid: 'm1' } }), BOT.botId);
    const got = nextFrame(client, 'message.text');
    await fake.userSays({ userId: 'zhangsan', text: '还在吗' });
    await got;
    expect(seen).toHaveLength(1);
  });

  it('every callback has an opaque req_id, a msgid and a msgtype', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    const client = track(await connectBot(fake, BOT));
    const got = nextFrame(client, 'message.text');
    await fake.userSays({ chatId: 'wr-desk', userId: 'zhangsan', text: 'hello' });
    await got;
    await fake.enterChat({ userId: 'lisi' });
    const callbacks = fake.frames.filter((f) => f.cmd?.startsWith('aibot_') && f.cmd.endsWith('_callback'));
    expect(callbacks).toHaveLength(2);
    for (const f of callbacks) {
      expect(f.reqId).not.toMatch(/^(ping|aibot_subscribe)/);
      expect(f.json.body).toMatchObject({ msgid: expect.any(String), msgtype: expect.any(String) });
    }
  });
});
