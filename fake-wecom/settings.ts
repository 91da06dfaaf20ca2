/**
 * Options of the fake and their defaults. Every limit docs/wecom-protocol.md marks as unconfirmed is a setting here, so
 * a test can reproduce whatever the real WeCom turns out to do.
 */
export interface BotAccount {
  botId: string;
  secret: string;
  /** Shown as "@Name" at the start of group text. */
  name?: string;
}

export interface FakeWeComOptions {
  /** 0 = random (default). */
  port?: number;
  bots?: BotAccount[];
  /** Valid group-robot webhook keys; a bare key posts into a chat whose id is the key itself. */
  webhookKeys?: (string | { key: string; chatId: string })[];
  /** Clock for TTLs and rate windows (default Date.now). */
  now?: () => number;
  /** Delay before closing the old connection on takeover (default 0). */
  takeoverCloseDelayMs?: number;
  /** Close a connection silent this long (default 120 000). */
  idleCloseMs?: number;
  /** Card update window after a tap (default 5000). */
  updateWindowMs?: number;
  /** aibot_send_msg only to chats where a user has messaged the bot (default true). */
  pushRequiresActivation?: boolean;
  /** Per conversation, shared by replies, welcome, updates and pushes (default 30/min, 1000/h). */
  rateLimit?: { perMinute: number; perHour: number };
  /** Per webhook key (default 20). */
  webhookPerMinute?: number;
  /** Bigger frames close the connection with 1009 (default 1 MiB). */
  maxFrameBytes?: number;
  /** Callbacks produced while a bot has no live connection are queued and delivered on its next subscribe (default false: they throw). */
  queueWhileOffline?: boolean;
  /** Reply window of a message req_id (default 24 h). */
  replyWindowMs?: number;
  /** Welcome window of an enter_chat req_id (default 5000). */
  welcomeWindowMs?: number;
  /** Stream lifetime from its first frame (default 6 min). */
  streamWindowMs?: number;
  /** Whether every stream frame counts against the rate limit, or only the first of each stream (default false). */
  rateLimitStreamFrames?: boolean;
  /** Accept (and ignore) `stream.msg_item`, which the WS doc says is unsupported but the SDK sends (default true). */
  acceptMsgItem?: boolean;
  /** Close the socket after 853000 instead of leaving it open as field reports saw (default false). */
  closeOnAuthFailure?: boolean;
  /**
   * Errcode for aibot_send_msg to a chat nobody has messaged the bot in (default 86003, a guess). Doc 101463 only says
   * pushes need "用户在会话中给机器人发消息" first; the refusal's code is not published.
   */
  notActivatedErrcode?: number;
  /**
   * Errcode for a card whose task_id this bot used before (default 40058, a guess). Doc: "任务 ID，同一个机器人不能重复"
   * (SDK TemplateCard comment); the answer to a repeat is not published.
   */
  duplicateTaskIdErrcode?: number;
  /**
   * Errcode for a card update after its window (default 846605, from field reports). Doc: the update must come "5秒内";
   * PROTOCOL.md §1d: "After 5 s expect 846605 (unverified)".
   */
  lateUpdateErrcode?: number;
  /**
   * Successful and refused subscribes per bot within `windowMs` before further ones are refused with `errcode`
   * (default 20 per minute, 45009). Doc 101463: subscribing is rate-protected ("请勿频繁订阅"); neither the limit nor
   * the code is published, 45009 was seen in the field.
   */
  subscribeLimit?: { limit: number; windowMs: number; errcode: number };
  /**
   * Messages of one user in progress at once (default 3, doc 100719: "每个用户最多同时有3条消息在处理中"), and the
   * errcode for a reply to a message beyond them (default 846607, a guess: the doc gives none).
   */
  inProgressPerUser?: { limit: number; errcode: number };
  /** Lifetime of an inbound media URL (default 5 min, doc 100719: "url有效期为5分钟"). */
  mediaUrlTtlMs?: number;
  /** Put a `response_url` in message and tap callbacks, served by this fake (default true). */
  responseUrls?: boolean;
  /** Errcode for a used or expired response_url; the real code is unknown (default 846604). */
  responseUrlErrcode?: number;
}

export const DEFAULT_BOT_NAME = '客服机器人';
export const DEMO_BOT: Required<BotAccount> = { botId: 'demo-bot', secret: 'demo-secret', name: DEFAULT_BOT_NAME };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export type Settings = Required<Omit<FakeWeComOptions, 'bots' | 'webhookKeys'>> & {
  bots: Map<string, Required<BotAccount>>;
  webhookChats: Map<string, string>;
};

export function resolveSettings(opts: FakeWeComOptions = {}): Settings {
  const bots = opts.bots ?? [DEMO_BOT];
  return {
    port: opts.port ?? 0,
    now: opts.now ?? Date.now,
    takeoverCloseDelayMs: opts.takeoverCloseDelayMs ?? 0,
    idleCloseMs: opts.idleCloseMs ?? 2 * MINUTE,
    updateWindowMs: opts.updateWindowMs ?? 5000,
    pushRequiresActivation: opts.pushRequiresActivation ?? true,
    rateLimit: opts.rateLimit ?? { perMinute: 30, perHour: 1000 },
    webhookPerMinute: opts.webhookPerMinute ?? 20,
    maxFrameBytes: opts.maxFrameBytes ?? 1024 * 1024,
    queueWhileOffline: opts.queueWhileOffline ?? false,
    replyWindowMs: opts.replyWindowMs ?? 24 * HOUR,
    welcomeWindowMs: opts.welcomeWindowMs ?? 5000,
    streamWindowMs: opts.streamWindowMs ?? 6 * MINUTE,
    rateLimitStreamFrames: opts.rateLimitStreamFrames ?? false,
    acceptMsgItem: opts.acceptMsgItem ?? true,
    closeOnAuthFailure: opts.closeOnAuthFailure ?? false,
    notActivatedErrcode: opts.notActivatedErrcode ?? 86003,
    duplicateTaskIdErrcode: opts.duplicateTaskIdErrcode ?? 40058,
    lateUpdateErrcode: opts.lateUpdateErrcode ?? 846605,
    subscribeLimit: opts.subscribeLimit ?? { limit: 20, windowMs: MINUTE, errcode: 45009 },
    inProgressPerUser: opts.inProgressPerUser ?? { limit: 3, errcode: 846607 },
    mediaUrlTtlMs: opts.mediaUrlTtlMs ?? 5 * MINUTE,
    responseUrls: opts.responseUrls ?? true,
    responseUrlErrcode: opts.responseUrlErrcode ?? 846604,
    bots: new Map(bots.map((b) => [b.botId, { ...b, name: b.name ?? DEFAULT_BOT_NAME }])),
    webhookChats: new Map(
      (opts.webhookKeys ?? []).map((k) => (typeof k === 'string' ? [k, k] : [k.key, k.chatId])),
    ),
  };
}
