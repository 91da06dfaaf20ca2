/**
 * A local WeCom for the intelligent bot's long connection (docs/wecom-protocol.md "Long connection") and the group
 * robot webhook ("Group robot webhook"), on one port. The real SDK connects to `wsUrl` over a real socket; tests play
 * the people in the chats (`userSays`, `tap`) and read what the chats show (`transcript`, `card`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import { renderCard, tappableKeys } from './cards';
import {
  disconnectedEvent,
  enterChatEvent,
  newCallbackReqId,
  newMsgId,
  templateCardEvent,
  message,
  type CallbackBody,
  type Origin,
} from './callbacks';
import { BotCommands } from './commands';
import { Connection, type RecordedFrame } from './connection';
import { ERR, fail, ok } from './errors';
import { Faults, type DropOptions } from './faults';
import { MediaStore } from './media';
import { InboundMedia } from './inbound-media';
import { SlidingLimiter } from './rate-limit';
import { ResponseUrls } from './response-url';
import { callbackFrameSchema, clientFrameSchema, subscribeBodySchema, type CallbackFrame } from './schemas';
import { resolveSettings, type FakeWeComOptions, type Settings } from './settings';
import { FakeState, type CallbackRecord, type ChatType, type FakeWorld, type TemplateCardState } from './state';
import type { TranscriptEntry } from './transcript';
import { WebhookRobots } from './webhook';

type NewCallback = Omit<CallbackRecord, 'reqId' | 'at' | 'responded' | 'streams'>;

interface Outbound {
  frame: CallbackFrame;
  record: NewCallback;
}

interface UserMessage {
  body: CallbackBody;
  record: NewCallback;
}

/** Idleness is measured in real time: the SDK's heartbeat runs on real timers even when tests move the fake clock. */
const IDLE_CHECK_MS = 50;

export class FakeWeCom {
  readonly frames: RecordedFrame[] = [];
  readonly faults: Faults;
  private readonly settings: Settings;
  private readonly state: FakeState;
  private readonly commands: BotCommands;
  private readonly webhooks: WebhookRobots;
  private readonly responseUrls: ResponseUrls;
  private readonly httpServer: http.Server;
  private readonly wss: WebSocketServer;
  private readonly conns = new Map<number, Connection>();
  /** The newest subscribed connection of each bot: where its callbacks go. */
  private readonly current = new Map<string, Connection>();
  private readonly subscribes = new Map<string, number>();
  private readonly offline = new Map<string, Outbound[]>();
  private readonly messages = new Map<string, UserMessage>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly idleTimer: NodeJS.Timeout;
  private readonly subscribeLimiter: SlidingLimiter;
  /** Images and files people sent, served encrypted for 5 minutes. */
  readonly media: InboundMedia;
  private nextConnId = 1;
  private port = 0;

  private constructor(opts: FakeWeComOptions) {
    this.settings = resolveSettings(opts);
    this.state = new FakeState(this.settings);
    this.media = new InboundMedia(this.settings.now, this.settings.mediaUrlTtlMs);
    this.subscribeLimiter = new SlidingLimiter([{ limit: this.settings.subscribeLimit.limit, ms: this.settings.subscribeLimit.windowMs }], Date.now);
    this.faults = new Faults({ drop: (o) => this.drop(o) });
    this.commands = new BotCommands(this.settings, this.state, new MediaStore(this.settings.now), this.faults);
    this.webhooks = new WebhookRobots(this.settings, this.state.transcript, this.faults);
    this.responseUrls = new ResponseUrls(this.settings, this.commands);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.settings.maxFrameBytes });
    this.httpServer = http.createServer((req, res) => void this.onHttp(req, res));
    this.httpServer.on('upgrade', (req, socket, head) => {
      if (this.faults.refuseUpgrade()) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        const conn = new Connection(this.nextConnId++, ws, Date.now(), (c, d, raw) => this.record(c, d, raw));
        this.conns.set(conn.id, conn);
        ws.on('message', (data) => this.onFrame(conn, data.toString()));
        ws.on('close', () => {
          if (conn.botId && this.current.get(conn.botId) === conn) this.current.delete(conn.botId);
        });
        // Oversized frames and resets surface here; the close event that follows does the bookkeeping.
        ws.on('error', () => {});
      });
    });
    this.idleTimer = setInterval(() => this.closeIdle(), IDLE_CHECK_MS);
    this.idleTimer.unref();
  }

  static async start(opts: FakeWeComOptions = {}): Promise<FakeWeCom> {
    const fake = new FakeWeCom(opts);
    await new Promise<void>((resolve, reject) => {
      fake.httpServer.once('error', reject);
      fake.httpServer.listen(fake.settings.port, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.httpServer.address() as AddressInfo).port;
    return fake;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** POST /cgi-bin/webhook/send?key=K lives here. */
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * WeCom unreachable, as in a network outage: every socket is cut without a close frame and the port is closed, so
   * reconnects and group-robot posts are refused. `comeBack()` listens again on the same port; chats, cards and
   * conversations are kept.
   */
  async goAway(): Promise<void> {
    for (const c of this.conns.values()) c.terminate();
    const closed = new Promise<void>((resolve) => this.httpServer.close(() => resolve()));
    this.httpServer.closeAllConnections();
    await closed;
  }

  async comeBack(): Promise<void> {
    if (this.httpServer.listening) return;
    await new Promise<void>((resolve, reject) => {
      this.httpServer.once('error', reject);
      this.httpServer.listen(this.port, '127.0.0.1', () => {
        this.httpServer.removeListener('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    clearInterval(this.idleTimer);
    for (const t of this.timers) clearTimeout(t);
    this.faults.endOutage();
    for (const c of this.conns.values()) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.httpServer.closeAllConnections();
    if (this.httpServer.listening) await new Promise<void>((resolve) => this.httpServer.close(() => resolve()));
  }

  // ---------- people ----------

  /**
   * A user writes to the bot: in a group (`chatId`, text arrives as "@<BotName> text") or 1:1 (chat id = userid).
   * Activates the conversation for pushes. Without a live connection it throws, or queues with `queueWhileOffline`.
   */
  async userSays(p: {
    botId?: string;
    chatId?: string;
    chatType?: ChatType;
    userId: string;
    text: string;
    msgId?: string;
  }): Promise<{ msgId: string; reqId: string; delivered: boolean }> {
    return this.userSends(p);
  }

  /**
   * A user sends anything WeCom delivers (doc 100719): in a group (only when the bot is @-ed) `text`, `mixed` (text and
   * `images`) or text quoting an earlier message; 1:1 also a lone `image`, `voice` (already transcribed), or `file`.
   * Images and files are served encrypted at URLs valid `mediaUrlTtlMs`.
   */
  async userSends(p: {
    botId?: string;
    chatId?: string;
    chatType?: ChatType;
    userId: string;
    text?: string;
    images?: Buffer[];
    voice?: string;
    file?: Buffer;
    quote?: { text?: string; images?: Buffer[] };
    msgId?: string;
    /** Fault: the media links are already past their 5 minutes when the bot fetches them (a message handled late). */
    expiredMedia?: boolean;
  }): Promise<{ msgId: string; reqId: string; delivered: boolean; media: { url: string; aeskey: string }[] }> {
    const bot = this.bot(p.botId);
    const chatType = p.chatType ?? (p.chatId ? 'group' : 'single');
    if (chatType === 'group' && !p.chatId) throw new Error('a group message needs a chatId');
    if (chatType === 'group' && (p.voice !== undefined || p.file || (p.images?.length && p.text === undefined && !p.quote))) {
      // In groups WeCom delivers only messages that @ the bot: text, mixed and quote (doc 100719).
      throw new Error('groups deliver only text, mixed (text with images) and quote messages to the bot');
    }
    const chatId = chatType === 'group' ? (p.chatId as string) : p.userId;
    const mention = (text: string) => (chatType === 'group' ? `@${bot.name} ${text}` : text);
    const media: { url: string; aeskey: string }[] = [];
    const image = (bytes: Buffer) => {
      const served = this.media.issue(this.apiBase, bytes, p.expiredMedia);
      media.push(served);
      return { msgtype: 'image', image: served };
    };
    const quote = p.quote && {
      quote: p.quote.images?.length
        ? { msgtype: 'mixed', mixed: { msg_item: [...(p.quote.text ? [{ msgtype: 'text', text: { content: p.quote.text } }] : []), ...p.quote.images.map(image)] } }
        : { msgtype: 'text', text: { content: p.quote.text ?? '' } },
    };
    const payload: Record<string, unknown> & { msgtype: string } = p.voice !== undefined
      ? { msgtype: 'voice', voice: { content: p.voice } }
      : p.file
        ? { msgtype: 'file', file: this.media.issue(this.apiBase, p.file) }
        : p.images?.length && p.text === undefined && chatType === 'single'
          ? image(p.images[0]!)
          : p.images?.length
            ? { msgtype: 'mixed', mixed: { msg_item: [{ msgtype: 'text', text: { content: mention(p.text ?? '') } }, ...p.images.map(image)] } }
            : { msgtype: 'text', text: { content: mention(p.text ?? '') } };
    const content = p.voice ?? mention(p.text ?? '') + (p.images?.length ? ` [图片×${p.images.length}]` : '') + (p.file ? ' [文件]' : '');
    const msgId = p.msgId ?? newMsgId();
    const record: NewCallback = { botId: bot.botId, kind: 'message', chatId, chatType, userId: p.userId };
    const body = message(this.origin(record, true), msgId, { ...payload, ...quote });
    const conn = this.route(bot.botId);
    // The chat shows the message before the bot can possibly answer it.
    this.messages.set(msgId, { body, record });
    this.state.activate(bot.botId, chatId, chatType);
    this.state.transcript.add({ chatId, from: 'user', userId: p.userId, botId: bot.botId, kind: 'text', content, msgId });
    return { msgId, ...(await this.deliver(conn, 'aibot_msg_callback', body, record)), media };
  }

  /** WeCom delivers the same message again (same body and msgid) under a fresh req_id. */
  async redeliver(msgId: string): Promise<{ reqId: string; delivered: boolean }> {
    const m = this.messages.get(msgId);
    if (!m) throw new Error(`no message ${msgId} to redeliver`);
    return this.deliver(this.route(m.record.botId), 'aibot_msg_callback', m.body, m.record);
  }

  /** A user opens the 1:1 chat for the first time today: an enter_chat event whose req_id allows one welcome. */
  async enterChat(p: { userId: string; botId?: string }): Promise<{ reqId: string; delivered: boolean }> {
    const { botId } = this.bot(p.botId);
    const record: NewCallback = { botId, kind: 'enter_chat', chatId: p.userId, chatType: 'single', userId: p.userId };
    return this.deliver(this.route(botId), 'aibot_event_callback', enterChatEvent(this.origin(record, false)), record);
  }

  /**
   * A user taps button (or submit/menu item) `eventKey` on card `taskId` as they currently see it; the bot gets a
   * template_card_event, and its req_id allows one update within `updateWindowMs`.
   */
  async tap(p: {
    taskId: string;
    eventKey: string;
    userId: string;
    chatId?: string;
    botId?: string;
    selectedItems?: { question_key: string; option_ids: string[] }[];
  }): Promise<{ reqId: string; delivered: boolean }> {
    const shown = this.state.card(p.taskId, p.botId);
    if (!shown) throw new Error(`no card with task_id ${p.taskId} was shown`);
    const view = shown.perUser[p.userId] ?? shown.card;
    const keys = tappableKeys(view);
    if (!keys.includes(p.eventKey)) {
      throw new Error(`card ${p.taskId} as ${p.userId} sees it has no key ${p.eventKey} (has: ${keys.join(', ')})`);
    }
    const chatId = p.chatId ?? shown.chatId;
    const chatType = this.state.conversation(shown.botId, chatId)?.chatType ?? (chatId === p.userId ? 'single' : 'group');
    const record: NewCallback = { botId: shown.botId, kind: 'template_card_event', chatId, chatType, userId: p.userId, taskId: p.taskId };
    const body = templateCardEvent(this.origin(record, true), {
      cardType: view.card_type,
      eventKey: p.eventKey,
      taskId: p.taskId,
      ...(p.selectedItems && { selectedItems: p.selectedItems }),
    });
    return this.deliver(this.route(shown.botId), 'aibot_event_callback', body, record);
  }

  /** Sends any text to the bot's connection as if WeCom had (malformed-frame tests). */
  sendRawFrame(raw: string | Buffer, botId?: string): void {
    const id = this.bot(botId).botId;
    const conn = this.live(id) ?? [...this.conns.values()].reverse().find((c) => c.botId === id && c.live);
    if (!conn) throw new Error(`bot ${id} has no open connection`);
    void conn.send(raw);
  }

  /** The old connection gets disconnected_event and is closed, as when another process subscribes the bot. */
  async takeover(botId?: string): Promise<void> {
    const id = this.bot(botId).botId;
    const conn = this.live(id);
    if (!conn) throw new Error(`bot ${id} has no live subscribed connection`);
    await this.evict(conn);
  }

  // ---------- what people see ----------

  /** What every chat shows, to be put back after a restart (`restoreWorld`). */
  world(): FakeWorld {
    return {
      transcript: this.state.transcript.all(),
      cards: this.state.allCards().map((card) => structuredClone(card)),
      conversations: this.state.activatedConversations(),
    };
  }

  restoreWorld(world: FakeWorld): void {
    this.state.restore(world);
  }

  /** The bytes of a picture a chat was sent (a transcript entry's `mediaId`). */
  image(mediaId: string): Buffer | undefined {
    return this.commands.images.bytes(mediaId);
  }

  /** The chat in order; with `viewer`, cards show that user's own view where an update targeted them. */
  transcript(chatId: string, viewer?: string): TranscriptEntry[] {
    return this.state.transcript.of(chatId).map((e) => {
      const own = viewer && e.kind === 'card' && e.taskId ? this.state.card(e.taskId, e.botId)?.perUser[viewer] : undefined;
      return own ? { ...e, content: renderCard(own) } : e;
    });
  }

  card(taskId: string, botId?: string): TemplateCardState | undefined {
    const shown = this.state.card(taskId, botId);
    return shown && structuredClone(shown);
  }

  connections(botId?: string): { id: number; botId?: string; live: boolean; subscribed: boolean }[] {
    return [...this.conns.values()]
      .filter((c) => botId === undefined || c.botId === botId)
      .map((c) => ({ id: c.id, ...(c.botId && { botId: c.botId }), live: c.live, subscribed: c.live && c.state === 'subscribed' }));
  }

  /** Whether someone has messaged the bot in this chat, so it may push there. */
  activated(chatId: string, botId?: string): boolean {
    return this.state.conversation(this.bot(botId).botId, chatId)?.activated === true;
  }

  /** Successful subscribes so far (WeCom rate-protects subscribing). */
  subscribeCount(botId?: string): number {
    if (botId !== undefined) return this.subscribes.get(botId) ?? 0;
    return [...this.subscribes.values()].reduce((a, b) => a + b, 0);
  }

  /** Polls in real time until `fn` returns something truthy. */
  async waitFor<T>(fn: () => T | undefined | false | null, timeoutMs = 3000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = fn();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  // ---------- the socket side ----------

  private onFrame(conn: Connection, raw: string): void {
    conn.lastSeen = Date.now();
    this.record(conn, 'in', raw);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return; // no req_id to answer to
    }
    const frame = clientFrameSchema.safeParse(json);
    if (!frame.success) {
      const reqId = reqIdOf(json);
      const detail = z.prettifyError(frame.error).replace(/\s*\n\s*/g, ' ');
      if (reqId) void conn.respond(reqId, fail(ERR.invalidParameter, detail), this.faults.ackDelayMs);
      return;
    }
    const { cmd, headers, body } = frame.data;
    if (cmd === 'aibot_subscribe') {
      this.subscribe(conn, headers.req_id, body);
      return;
    }
    const refusal =
      conn.state === 'new'
        ? fail(ERR.notSubscribed, 'send aibot_subscribe first')
        : conn.state === 'stale'
          ? fail(ERR.notSubscribed, 'a newer connection subscribed this bot')
          : undefined;
    if (cmd === 'ping') {
      if (!this.faults.stopPingAcks) void conn.respond(headers.req_id, refusal ?? ok(), this.faults.ackDelayMs);
      return;
    }
    const outcome = refusal ?? this.commands.handle(conn.botId as string, cmd, headers.req_id, body);
    if (!this.faults.dropAcks) void conn.respond(headers.req_id, outcome, this.faults.ackDelayMs);
  }

  private subscribe(conn: Connection, reqId: string, body: unknown): void {
    const creds = subscribeBodySchema.safeParse(body);
    const bot = creds.success ? this.settings.bots.get(creds.data.bot_id) : undefined;
    const limit = this.settings.subscribeLimit;
    const botKey = creds.success ? creds.data.bot_id : '';
    if (!this.subscribeLimiter.take(botKey)) {
      // Doc 101463: subscribing is rate-protected; the code is a field report's (45009), the limit a setting.
      void conn.respond(reqId, fail({ errcode: limit.errcode, errmsg: ERR.apiFrequency.errmsg }, 'subscribe rate-limited'), this.faults.ackDelayMs);
      return;
    }
    if (this.faults.authFailure || !bot || !creds.success || bot.secret !== creds.data.secret) {
      const sent = conn.respond(reqId, fail(ERR.invalidBot), this.faults.ackDelayMs);
      if (this.settings.closeOnAuthFailure) void sent.then(() => conn.close(1008, 'invalid bot_id or secret'));
      return;
    }
    this.subscribes.set(bot.botId, (this.subscribes.get(bot.botId) ?? 0) + 1);
    const previous = this.current.get(bot.botId);
    conn.botId = bot.botId;
    conn.state = 'subscribed';
    this.current.set(bot.botId, conn);
    void conn.respond(reqId, ok(), this.faults.ackDelayMs).then(() => this.flushOffline(bot.botId));
    if (previous && previous !== conn) void this.evict(previous);
  }

  /** Takeover: tell the old connection, stop routing to it, close it after the configured delay. */
  private evict(old: Connection): Promise<void> {
    const botId = old.botId as string;
    old.state = 'stale';
    if (this.current.get(botId) === old) this.current.delete(botId);
    const frame: CallbackFrame = {
      cmd: 'aibot_event_callback',
      headers: { req_id: newCallbackReqId() },
      body: disconnectedEvent(botId, this.nowSeconds()),
    };
    callbackFrameSchema.parse(frame);
    const sent = old.send(frame);
    this.later(this.settings.takeoverCloseDelayMs, () => old.close(1000, 'replaced by a newer connection'));
    return sent;
  }

  /** Where a callback for `botId` goes now: its live connection, or undefined (queue) — or it throws. */
  private route(botId: string): Connection | undefined {
    const conn = this.live(botId);
    if (!conn && !this.settings.queueWhileOffline) throw new Error(`bot ${botId} has no live subscribed connection`);
    return conn;
  }

  private async deliver(
    conn: Connection | undefined,
    cmd: CallbackFrame['cmd'],
    body: CallbackBody,
    record: NewCallback,
  ): Promise<{ reqId: string; delivered: boolean }> {
    const frame = { cmd, headers: { req_id: newCallbackReqId() }, body } as CallbackFrame;
    callbackFrameSchema.parse(frame); // the fake must never break the protocol it enforces
    if (!conn) {
      this.offline.set(record.botId, [...(this.offline.get(record.botId) ?? []), { frame, record }]);
      return { reqId: frame.headers.req_id, delivered: false };
    }
    await this.push(conn, { frame, record });
    return { reqId: frame.headers.req_id, delivered: true };
  }

  /** Windows of a callback start when it reaches the bot, not when it was produced. */
  private push(conn: Connection, { frame, record }: Outbound): Promise<void> {
    const reqId = frame.headers.req_id;
    this.state.callbacks.set(reqId, { ...record, reqId, at: this.settings.now(), responded: false, streams: new Map() });
    return conn.send(frame);
  }

  private flushOffline(botId: string): void {
    const queued = this.offline.get(botId) ?? [];
    this.offline.delete(botId);
    const conn = this.live(botId);
    for (const item of queued) if (conn) void this.push(conn, item);
  }

  private drop(opts: DropOptions): void {
    for (const c of this.conns.values()) {
      if (!c.live || (opts.botId !== undefined && c.botId !== opts.botId)) continue;
      if (opts.withoutCloseFrame) c.terminate();
      else c.close(opts.code ?? 1000, opts.reason ?? 'connection closed by server');
    }
  }

  private closeIdle(): void {
    const now = Date.now();
    for (const c of this.conns.values()) {
      if (c.live && now - c.lastSeen > this.settings.idleCloseMs) c.close(1000, 'idle timeout');
    }
  }

  private live(botId: string): Connection | undefined {
    const c = this.current.get(botId);
    return c?.live && c.state === 'subscribed' ? c : undefined;
  }

  private record(conn: Connection, direction: 'in' | 'out', raw: string): void {
    let json: any;
    try {
      json = JSON.parse(raw);
    } catch {
      json = undefined;
    }
    const cmd = typeof json?.cmd === 'string' ? json.cmd : undefined;
    const reqId = reqIdOf(json);
    this.frames.push({
      seq: this.frames.length + 1,
      at: this.settings.now(),
      connId: conn.id,
      ...(conn.botId && { botId: conn.botId }),
      direction,
      raw,
      ...(json !== undefined && { json }),
      ...(cmd && { cmd }),
      ...(reqId && { reqId }),
    });
  }

  // ---------- HTTP ----------

  private async onHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.apiBase);
    if (req.method === 'GET' && url.pathname.startsWith('/cgi-bin/media/')) {
      const got = this.media.fetch(url.pathname.slice('/cgi-bin/media/'.length));
      if ('bytes' in got) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(got.bytes);
      else res.writeHead(got.status, { 'content-type': 'text/plain' }).end(got.reason);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const route =
      req.method !== 'POST'
        ? undefined
        : url.pathname === '/cgi-bin/webhook/send'
          ? () => this.webhooks.send(url.searchParams.get('key'), raw)
          : url.pathname === '/cgi-bin/aibot/response'
            ? () => this.responseUrls.post(url.searchParams.get('response_code'), raw)
            : undefined;
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const { errcode, errmsg } = route();
    // WeCom answers HTTP 200 even for errors; the errcode says what happened.
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ errcode, errmsg }));
  }

  // ---------- helpers ----------

  private bot(botId?: string): { botId: string; name: string } {
    const bot = botId === undefined ? this.settings.bots.values().next().value : this.settings.bots.get(botId);
    if (!bot) throw new Error(`unknown bot ${botId ?? '(none configured)'}`);
    return bot;
  }

  /** Where a callback comes from, with a fresh response_url when the callback kind carries one. */
  private origin(r: NewCallback, withResponseUrl: boolean): Origin {
    return {
      ...r,
      createTime: this.nowSeconds(),
      ...(withResponseUrl && this.settings.responseUrls && { responseUrl: this.responseUrls.issue(this.apiBase, r.botId, r.chatId) }),
    };
  }

  private nowSeconds(): number {
    return Math.floor(this.settings.now() / 1000);
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}

function reqIdOf(json: unknown): string | undefined {
  const reqId = (json as { headers?: { req_id?: unknown } } | null | undefined)?.headers?.req_id;
  return typeof reqId === 'string' && reqId !== '' ? reqId : undefined;
}
