/**
 * What WeCom does with each command a subscribed bot sends (docs/wecom-protocol.md "Replies, pushes and card updates"):
 * which req_id may be answered how, streams, cards, pushes and rate limits. Every check runs before any effect, so a
 * rejected frame leaves no trace in a chat.
 */
import type { z } from 'zod';
import { renderCard } from './cards';
import { ERR, fail, ok, type Outcome } from './errors';
import type { Faults } from './faults';
import { SentImages } from './images';
import type { MediaStore } from './media';
import {
  parseBody,
  respondMsgBodies,
  sendMsgBodies,
  updateBodySchema,
  welcomeBodies,
  type StreamPayload,
  type TemplateCard,
} from './schemas';
import type { Settings } from './settings';
import type { CallbackRecord, FakeState } from './state';

type Bodies = Record<string, z.ZodType>;

/** Picks the schema for `body.msgtype` among those a command accepts; an unlisted msgtype is 40008. */
function parseByMsgtype<B extends Bodies>(
  bodies: B,
  body: unknown,
  cmd: string,
): { data: z.output<B[keyof B]> } | { error: Outcome } {
  const msgtype = (body as { msgtype?: unknown } | undefined)?.msgtype;
  const schema = typeof msgtype === 'string' && Object.hasOwn(bodies, msgtype) ? bodies[msgtype] : undefined;
  if (!schema) {
    return { error: fail(ERR.invalidMsgtype, `${cmd} takes msgtype ${Object.keys(bodies).join('/')}, got ${String(msgtype)}`) };
  }
  return parseBody(schema, body) as { data: z.output<B[keyof B]> } | { error: Outcome };
}

const MEDIA = ['file', 'image', 'voice', 'video'] as const;

/** A message callback not yet answered: no one-shot reply, and no stream of it finished. */
function inProgress(cb: CallbackRecord): boolean {
  return !cb.responded && ![...cb.streams.values()].some((s) => s.finished);
}

export class BotCommands {
  constructor(
    private readonly settings: Settings,
    private readonly state: FakeState,
    private readonly media: MediaStore,
    private readonly faults: Faults,
    readonly images = new SentImages(),
  ) {}

  handle(botId: string, cmd: string, reqId: string, body: unknown): Outcome {
    switch (cmd) {
      case 'aibot_respond_msg':
        return this.respondMsg(botId, reqId, body);
      case 'aibot_respond_welcome_msg':
        return this.respondWelcome(botId, reqId, body);
      case 'aibot_respond_update_msg':
        return this.respondUpdate(botId, reqId, body);
      case 'aibot_send_msg':
        return this.sendMsg(botId, body);
      case 'aibot_upload_media_init':
        return this.media.init(botId, body);
      case 'aibot_upload_media_chunk':
        return this.media.chunk(botId, body);
      case 'aibot_upload_media_finish':
        return this.media.finish(botId, body);
      default:
        return fail(ERR.invalidParameter, `unknown cmd ${cmd}`);
    }
  }

  private respondMsg(botId: string, reqId: string, body: unknown): Outcome {
    const parsed = parseByMsgtype(respondMsgBodies, body, 'aibot_respond_msg');
    if ('error' in parsed) return parsed.error;
    const b = parsed.data;
    const cb = this.callback(botId, reqId, 'message', this.settings.replyWindowMs);
    if ('errcode' in cb) return cb;
    const busy = inProgress(cb) ? this.overInProgress(cb) : undefined;
    if (busy) return busy;

    const stream = 'stream' in b ? (b.stream as StreamPayload) : undefined;
    const card = 'template_card' in b ? (b.template_card as TemplateCard | undefined) : undefined;
    const oneShot = b.msgtype !== 'stream' && (b.msgtype !== 'stream_with_template_card' || card !== undefined);
    if (oneShot && cb.responded) return fail(ERR.alreadyResponded);
    const streamCheck = stream ? this.checkStream(cb, stream) : undefined;
    if (streamCheck) return streamCheck;
    const cardCheck = card ? this.checkNewCard(botId, card) : undefined;
    if (cardCheck) return cardCheck;
    const mediaCheck = this.checkMedia(botId, b);
    if (mediaCheck) return mediaCheck;
    const counts = oneShot || (stream !== undefined && (this.settings.rateLimitStreamFrames || !cb.streams.has(stream.id)));
    if (counts && !this.state.takeRate(botId, cb.chatId)) return this.rateLimited(cb.chatId);

    if (oneShot) cb.responded = true;
    if (stream) this.applyStream(botId, cb, stream);
    if (card) this.showCard(botId, cb.chatId, card);
    if (b.msgtype === 'markdown') this.say(botId, cb.chatId, 'markdown', b.markdown.content);
    this.showMedia(botId, cb.chatId, b);
    return ok();
  }

  private respondWelcome(botId: string, reqId: string, body: unknown): Outcome {
    const parsed = parseByMsgtype(welcomeBodies, body, 'aibot_respond_welcome_msg');
    if ('error' in parsed) return parsed.error;
    const b = parsed.data;
    const cb = this.callback(botId, reqId, 'enter_chat', this.settings.welcomeWindowMs);
    if ('errcode' in cb) return cb;
    if (cb.responded) return fail(ERR.alreadyResponded);
    const cardCheck = b.msgtype === 'template_card' ? this.checkNewCard(botId, b.template_card) : undefined;
    if (cardCheck) return cardCheck;
    if (!this.state.takeRate(botId, cb.chatId)) return this.rateLimited(cb.chatId);

    cb.responded = true;
    if (b.msgtype === 'template_card') this.showCard(botId, cb.chatId, b.template_card);
    else this.say(botId, cb.chatId, 'welcome', b.text.content);
    return ok();
  }

  private respondUpdate(botId: string, reqId: string, body: unknown): Outcome {
    const parsed = parseBody(updateBodySchema, body);
    if ('error' in parsed) return parsed.error;
    const cb = this.callback(botId, reqId, 'template_card_event', this.settings.updateWindowMs, this.settings.lateUpdateErrcode);
    if ('errcode' in cb) return cb;
    if (cb.responded) return fail(ERR.alreadyResponded);
    const shown = cb.taskId ? this.state.card(cb.taskId, botId) : undefined;
    if (!shown) return fail(ERR.invalidReqId, 'the tapped card is unknown');
    const { template_card: next, userids } = parsed.data;
    if (next.task_id !== undefined && next.task_id !== shown.taskId) {
      return fail(ERR.invalidParameter, `an update must keep task_id ${shown.taskId}, got ${next.task_id}`);
    }
    if (!this.state.takeRate(botId, shown.chatId)) return this.rateLimited(shown.chatId);

    cb.responded = true;
    const card = { ...next, task_id: shown.taskId };
    shown.updates++;
    if (userids) {
      for (const u of userids) shown.perUser[u] = card;
    } else {
      shown.card = card;
      shown.perUser = {};
      this.state.transcript.update(shown.seq, { content: renderCard(card) });
    }
    return ok();
  }

  private sendMsg(botId: string, body: unknown): Outcome {
    const injected = this.faults.nextPushError();
    if (injected) return injected;
    const parsed = parseByMsgtype(sendMsgBodies, body, 'aibot_send_msg');
    if ('error' in parsed) return parsed.error;
    const b = parsed.data;
    const conv = this.state.conversation(botId, b.chatid);
    if (this.settings.pushRequiresActivation && !conv?.activated) {
      return fail(
        { errcode: this.settings.notActivatedErrcode, errmsg: 'conversation not activated' },
        `no user has messaged this bot in chat ${b.chatid}`,
      );
    }
    if (b.chat_type !== undefined && conv && b.chat_type !== (conv.chatType === 'single' ? 1 : 2)) {
      return fail(ERR.invalidParameter, `chat_type ${b.chat_type} does not match ${conv.chatType} chat ${b.chatid}`);
    }
    const cardCheck = b.msgtype === 'template_card' ? this.checkNewCard(botId, b.template_card) : undefined;
    if (cardCheck) return cardCheck;
    const mediaCheck = this.checkMedia(botId, b);
    if (mediaCheck) return mediaCheck;
    if (!this.state.takeRate(botId, b.chatid)) return this.rateLimited(b.chatid);

    if (b.msgtype === 'markdown') this.say(botId, b.chatid, 'markdown', b.markdown.content);
    if (b.msgtype === 'template_card') this.showCard(botId, b.chatid, b.template_card);
    this.showMedia(botId, b.chatid, b);
    return ok();
  }

  /** A POST to a message's or tap's `response_url`: markdown or a card into that chat (§1a active reply). */
  replyByUrl(botId: string, chatId: string, body: unknown): Outcome {
    const bodies = { markdown: respondMsgBodies.markdown, template_card: respondMsgBodies.template_card };
    const parsed = parseByMsgtype(bodies, body, 'response_url');
    if ('error' in parsed) return parsed.error;
    const b = parsed.data;
    const cardCheck = b.msgtype === 'template_card' ? this.checkNewCard(botId, b.template_card) : undefined;
    if (cardCheck) return cardCheck;
    if (!this.state.takeRate(botId, chatId)) return this.rateLimited(chatId);
    if (b.msgtype === 'markdown') this.say(botId, chatId, 'markdown', b.markdown.content);
    else this.showCard(botId, chatId, b.template_card);
    return ok();
  }

  /** The callback behind `reqId`, if this command may still answer it. */
  private callback(
    botId: string,
    reqId: string,
    kind: CallbackRecord['kind'],
    windowMs: number,
    lateErrcode: number = ERR.invalidReqId.errcode,
  ): CallbackRecord | Outcome {
    const cb = this.state.callbacks.get(reqId);
    if (!cb || cb.botId !== botId) return fail(ERR.invalidReqId, `req_id ${reqId} was not issued to this bot`);
    if (cb.kind !== kind) return fail(ERR.invalidReqId, `req_id ${reqId} belongs to a ${cb.kind} callback`);
    if (this.settings.now() - cb.at > windowMs) {
      return fail({ errcode: lateErrcode, errmsg: ERR.invalidReqId.errmsg }, `req_id ${reqId} expired after ${windowMs} ms`);
    }
    return cb;
  }

  /**
   * Doc 100719: at most 3 messages of one user in progress at once. A message is in progress from its delivery until
   * its one reply or the end of its stream; a reply to a message queued behind 3 older ones in progress is refused.
   */
  private overInProgress(cb: CallbackRecord): Outcome | undefined {
    const { limit, errcode } = this.settings.inProgressPerUser;
    const now = this.settings.now();
    // Callbacks are kept in delivery order: count those delivered before this one.
    const all = [...this.state.callbacks.values()];
    const ahead = all
      .slice(0, all.indexOf(cb))
      .filter((o) => o.kind === 'message' && o.botId === cb.botId && o.userId === cb.userId && inProgress(o) && now - o.at <= this.settings.replyWindowMs).length;
    return ahead >= limit ? fail({ errcode, errmsg: 'too many messages in progress' }, `user ${cb.userId} has ${ahead} earlier messages in progress`) : undefined;
  }

  private checkStream(cb: CallbackRecord, stream: StreamPayload): Outcome | undefined {
    const known = cb.streams.get(stream.id);
    if (known?.finished) return fail(ERR.alreadyResponded, `stream ${stream.id} already finished`);
    if (known && this.settings.now() - known.startedAt > this.settings.streamWindowMs) return fail(ERR.streamExpired);
    if (stream.msg_item && !this.settings.acceptMsgItem) return fail(ERR.invalidParameter, 'msg_item is not supported');
    if (stream.msg_item && !stream.finish) return fail(ERR.invalidParameter, 'msg_item only on the finish:true frame');
    return undefined;
  }

  private applyStream(botId: string, cb: CallbackRecord, stream: StreamPayload): void {
    const known = cb.streams.get(stream.id);
    const finished = stream.finish === true;
    if (!known) {
      const entry = this.state.transcript.add({
        chatId: cb.chatId,
        from: 'bot',
        botId,
        kind: 'stream',
        content: stream.content ?? '',
        streamId: stream.id,
        finished,
      });
      cb.streams.set(stream.id, { seq: entry.seq, startedAt: this.settings.now(), finished });
      return;
    }
    known.finished = finished;
    this.state.transcript.update(known.seq, { finished, ...(stream.content !== undefined && { content: stream.content }) });
  }

  private checkNewCard(botId: string, card: TemplateCard): Outcome | undefined {
    if (card.task_id && this.state.card(card.task_id, botId)) {
      return fail({ errcode: this.settings.duplicateTaskIdErrcode, errmsg: 'invalid parameter' }, `task_id ${card.task_id} was already used by this bot`);
    }
    return undefined;
  }

  private showCard(botId: string, chatId: string, card: TemplateCard): void {
    const entry = this.state.transcript.add({
      chatId,
      from: 'bot',
      botId,
      kind: 'card',
      content: renderCard(card),
      ...(card.task_id && { taskId: card.task_id }),
    });
    if (card.task_id) {
      this.state.addCard({ taskId: card.task_id, chatId, botId, card, updates: 0, perUser: {}, seq: entry.seq });
    }
  }

  private checkMedia(botId: string, b: { msgtype: string }): Outcome | undefined {
    const type = MEDIA.find((t) => t === b.msgtype);
    if (!type) return undefined;
    const mediaId = (b as unknown as Record<string, { media_id: string }>)[type]?.media_id ?? '';
    return this.media.usable(botId, mediaId, type) ? undefined : fail(ERR.invalidMediaId, `${mediaId} is unknown, expired or not a ${type}`);
  }

  private showMedia(botId: string, chatId: string, b: { msgtype: string }): void {
    const type = MEDIA.find((t) => t === b.msgtype);
    if (!type) return;
    const mediaId = (b as unknown as Record<string, { media_id: string }>)[type]?.media_id ?? '';
    const media = this.media.usable(botId, mediaId, type);
    if (media && type === 'image') this.images.record(mediaId, media.bytes);
    this.state.transcript.add({ chatId, from: 'bot', botId, kind: 'media', content: `[${type}] ${media?.filename ?? mediaId}`, mediaId });
  }

  private say(botId: string, chatId: string, kind: 'markdown' | 'welcome' | 'media', content: string): void {
    this.state.transcript.add({ chatId, from: 'bot', botId, kind, content });
  }

  private rateLimited(chatId: string): Outcome {
    const { perMinute, perHour } = this.settings.rateLimit;
    return fail(ERR.frequency, `chat ${chatId} is over ${perMinute}/min or ${perHour}/h`);
  }
}
