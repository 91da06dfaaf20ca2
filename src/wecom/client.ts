import { WSClient, type WsFrame } from '@wecom/aibot-node-sdk';
import type { Logger } from '../log';
import type { CardUpdateBody, WecomBody } from '../protocol/outbound';

/**
 * The long connection to WeCom (docs/wecom-protocol.md "Long connection") through the official SDK; the only module
 * that imports it. Adds what the SDK lacks for a service: an auth timeout, no reconnect after a takeover, typed send
 * outcomes, and a hook that sees the frames the SDK itself throws away (bad JSON, unknown frames), so they can be
 * counted.
 */
export interface WecomClientOptions {
  botId: string;
  secret: string;
  wsUrl: string;
  logger: Logger;
  /** Ping period; the SDK drops the socket after two unanswered pings (default 30 000). */
  heartbeatIntervalMs?: number;
  /** First reconnect delay, doubled per failure up to the SDK's 30 s cap (default 1000). */
  reconnectIntervalMs?: number;
  /** The SDK waits forever for the subscribe answer; after this long the socket is replaced (default 10 000). */
  authTimeoutMs?: number;
  /** A message or event callback with a body; not validated yet. */
  onCallback(frame: WsFrame): void;
  /** A frame the SDK dropped before it reached `onCallback`. */
  onDropped(reason: DroppedReason, detail: string): void;
  /** Authenticated, disconnected, or taken over. */
  onStateChange(): void;
}

export type DroppedReason = 'bad_json' | 'unmatched_frame' | 'missing_msgtype';

/** WeCom's answer to one command: 0 or an errcode. */
export interface WecomAnswer {
  errcode: number;
  errmsg: string;
}

export type TransportFailure = 'not_connected' | 'ack_timeout' | 'connection_closed' | 'queue_full' | 'http_error';

/** No answer came from WeCom; the command may or may not have arrived. */
export class WecomTransportError extends Error {
  constructor(
    readonly kind: TransportFailure,
    message: string,
  ) {
    super(message);
    this.name = 'WecomTransportError';
  }

  /** Whether WeCom may have the command: it was written before the answer was lost (not refused before it left). */
  get mayHaveArrived(): boolean {
    return this.kind !== 'not_connected' && this.kind !== 'queue_full';
  }
}

/**
 * The SDK reports frames it discards only through its logger; these prefixes identify them (SDK 1.0.7,
 * `WsConnectionManager` and `MessageHandler`). The malformed-frame tests fail if a new SDK changes them.
 */
const SDK_DROP_MESSAGES: [prefix: string, reason: DroppedReason][] = [
  ['Failed to parse WebSocket message', 'bad_json'],
  ['Received unknown frame', 'unmatched_frame'],
  ['Received invalid message format', 'missing_msgtype'],
];

/** The SDK's `disconnected` reason after a `disconnected_event` (sent even when the event body lacks msgtype). */
const SDK_TAKEOVER_REASON = 'New connection established';

const UPDATE_CMD = 'aibot_respond_update_msg';

export class WecomClient {
  private readonly sdk: WSClient;
  private authenticated = false;
  private running = false;
  private authTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WecomClientOptions) {
    const log = options.logger.child({ component: 'wecom-sdk' });
    // The SDK is chatty (every frame at debug, every reconnect at info); what matters is logged by the handlers below.
    const route = (level: string) => (message: string, ...args: unknown[]) => {
      const dropped = SDK_DROP_MESSAGES.find(([prefix]) => message.startsWith(prefix));
      if (dropped) options.onDropped(dropped[1], args.map(String).join(' ').slice(0, 500));
      log.debug({ sdkLevel: level, args: args.map((a) => String(a).slice(0, 500)) }, message);
    };
    this.sdk = new WSClient({
      botId: options.botId,
      secret: options.secret,
      wsUrl: options.wsUrl,
      heartbeatInterval: options.heartbeatIntervalMs ?? 30_000,
      reconnectInterval: options.reconnectIntervalMs ?? 1000,
      // The holder must stay connected through any outage; backoff is the SDK's (capped at 30 s).
      maxReconnectAttempts: -1,
      maxAuthFailureAttempts: -1,
      logger: { debug: route('debug'), info: route('info'), warn: route('warn'), error: route('error') },
    });
    this.sdk.on('connected', () => this.armAuthTimeout());
    this.sdk.on('authenticated', () => {
      clearTimeout(this.authTimer);
      this.authenticated = true;
      this.options.logger.info({ wsUrl: options.wsUrl }, 'WeCom long connection authenticated');
      this.options.onStateChange();
    });
    this.sdk.on('disconnected', (reason: string) => {
      clearTimeout(this.authTimer);
      const was = this.authenticated;
      this.authenticated = false;
      if (reason.startsWith(SDK_TAKEOVER_REASON)) {
        // Another connection subscribed this bot. The SDK does not reconnect, and neither do we: two clients that
        // reconnect kick each other forever (docs/wecom-protocol.md "Long connection").
        this.running = false;
        this.options.logger.error('WeCom handed this bot to another connection (disconnected_event); not reconnecting');
      } else if (was) {
        this.options.logger.warn({ reason }, 'WeCom long connection lost; the SDK reconnects');
      }
      this.options.onStateChange();
    });
    this.sdk.on('error', (error: Error) => this.options.logger.warn({ err: error.message }, 'WeCom connection error'));
    this.sdk.on('message', (frame: WsFrame) => this.options.onCallback(frame));
    this.sdk.on('event', (frame: WsFrame) => {
      if (frame.body?.event?.eventtype !== 'disconnected_event') this.options.onCallback(frame);
    });
  }

  get isAuthenticated(): boolean {
    return this.authenticated;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.sdk.connect();
  }

  /** Closes the socket at once; pending sends reject with `connection_closed`. */
  stop(): void {
    clearTimeout(this.authTimer);
    this.running = false;
    this.authenticated = false;
    this.sdk.disconnect();
    this.options.onStateChange();
  }

  /** `aibot_respond_msg` on a message callback's req_id. */
  reply(reqId: string, body: WecomBody): Promise<WecomAnswer> {
    return this.answer(() => this.sdk.reply({ headers: { req_id: reqId } }, body));
  }

  /** `aibot_respond_update_msg` on a template_card_event's req_id (WeCom's 5-second window). */
  updateCard(reqId: string, body: CardUpdateBody): Promise<WecomAnswer> {
    return this.answer(() => this.sdk.reply({ headers: { req_id: reqId } }, body, UPDATE_CMD));
  }

  /** `aibot_send_msg` to a group chatid or a userid (1:1). */
  push(chatId: string, body: WecomBody): Promise<WecomAnswer> {
    return this.answer(() => this.sdk.sendMessage(chatId, body));
  }

  /** A picture: uploaded as temporary media through the SDK (init → 512 KiB chunks → finish), then sent as an `image`. */
  pushPicture(chatId: string, bytes: Buffer, filename: string): Promise<WecomAnswer> {
    return this.answer(async () => {
      const { media_id: mediaId } = await this.sdk.uploadMedia(bytes, { type: 'image', filename });
      return this.sdk.sendMediaMessage(chatId, 'image', mediaId);
    });
  }

  private armAuthTimeout(): void {
    clearTimeout(this.authTimer);
    this.authTimer = setTimeout(() => {
      if (!this.running || this.authenticated) return;
      this.options.logger.warn({ ms: this.options.authTimeoutMs ?? 10_000 }, 'WeCom did not answer the subscribe; reconnecting');
      this.sdk.disconnect();
      this.sdk.connect();
    }, this.options.authTimeoutMs ?? 10_000);
  }

  /** The SDK resolves with the ack, rejects with the ack frame itself for a non-zero errcode, or with an Error. */
  private async answer(send: () => Promise<WsFrame>): Promise<WecomAnswer> {
    // The SDK writes commands to an open socket even before the subscribe succeeded; WeCom would refuse them.
    if (!this.authenticated) throw new WecomTransportError('not_connected', 'the WeCom long connection is not authenticated');
    try {
      const ack = await send();
      return { errcode: ack.errcode ?? 0, errmsg: ack.errmsg ?? 'ok' };
    } catch (rejection) {
      if (isAnswer(rejection)) return { errcode: rejection.errcode, errmsg: rejection.errmsg ?? '' };
      throw toTransportError(rejection);
    }
  }
}

function isAnswer(value: unknown): value is { errcode: number; errmsg?: string } {
  return typeof value === 'object' && value !== null && typeof (value as { errcode?: unknown }).errcode === 'number';
}

function toTransportError(rejection: unknown): WecomTransportError {
  const message = rejection instanceof Error ? rejection.message : String(rejection);
  if (message.includes('ack timeout')) return new WecomTransportError('ack_timeout', message);
  if (message.includes('not connected')) return new WecomTransportError('not_connected', message);
  if (message.includes('exceeds max size')) return new WecomTransportError('queue_full', message);
  return new WecomTransportError('connection_closed', message);
}
