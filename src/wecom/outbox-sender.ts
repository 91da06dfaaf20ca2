import { HOUR_MS, type Clock } from '../clock';
import type { Db } from '../db/database';
import type { Logger } from '../log';
import { WecomTransportError, type WecomAnswer } from './client';
import type { WecomMetrics } from './metrics';
import { markdown, mentionText, type CardUpdateBody, type PictureBody, type WebhookBody, type WecomBody } from '../protocol/outbound';
import type { Fence } from './leader';
import { enqueue, outboxPort, WEBHOOK_CHAT_PREFIX } from './outbox';
import { HOW_TO_ACTIVATE, wasHeard } from '../domain/heard-chats';
import {
  claim,
  drop,
  foldPending,
  pendingHeads,
  recentSends,
  releaseLeases,
  type AttemptResult,
  type PendingRow,
  type SendLane,
} from './outbox-store';
import type { LogThrottle } from '../log-throttle';
import { OutboxResults } from './outbox-results';
import { RateWindows, type RateWindow } from './rate-windows';
import { decide, type Outcome, type RetryPolicy } from './retry-policy';

/**
 * Sends outbox rows, in the connection holder only. A chat's rows leave one at a time in id order; different chats
 * go side by side. Answers to a person (replies and card updates) have a lane of their own: its own passes over the
 * queue and its own rows in flight, so a reply leaves the moment its transaction commits, whatever backlog of cards
 * and nags the per-chat budgets are holding back in the other lane. Woken by NOTIFY on `outbox`, by the app clock moving, and by a
 * timer for the next retry or rate window — it never polls.
 */
export interface BotConnection {
  readonly isAuthenticated: boolean;
  reply(reqId: string, body: WecomBody): Promise<WecomAnswer>;
  updateCard(reqId: string, body: CardUpdateBody): Promise<WecomAnswer>;
  push(chatId: string, body: WecomBody): Promise<WecomAnswer>;
  pushPicture(chatId: string, bytes: Buffer, filename: string): Promise<WecomAnswer>;
}

export interface SenderLimits {
  /** Per conversation, replies, updates and pushes together (docs/wecom-protocol.md "Replies, pushes and card
   * updates": 30/min, 1000/h). */
  perMinute: number;
  perHour: number;
  /** Per webhook key (docs/wecom-protocol.md "Group robot webhook": 20/min). */
  webhookPerMinute: number;
}

export const WECOM_LIMITS: SenderLimits = { perMinute: 30, perHour: 1000, webhookPerMinute: 20 };

export interface SenderOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  throttle: LogThrottle;
  metrics: WecomMetrics;
  connection: BotConnection;
  webhook(key: string, body: WebhookBody): Promise<WecomAnswer>;
  /** The bot whose rows this sender sends (and no other's). */
  botId: string;
  /** This process's lease on the bot: its holder names the leases on rows, its epoch fences the claim. */
  fence(): Fence;
  /** The lease cannot have expired yet: checked right before each send, so a resumed old holder sends nothing. */
  maySend(): boolean;
  /** Rows queued before rows carried their bot are taken on by a real bot, never by the sandbox. */
  adoptUnowned: boolean;
  policy: RetryPolicy;
  limits: SenderLimits;
  /** The desk group, told once when messages to a chat are given up. */
  deskChatId?: () => Promise<string | undefined>;
  /** What people call a chat (its unit's name), for the desk's notices. */
  chatName?: (chatId: string) => Promise<string | undefined>;
  /** Rows in flight at once, across chats (default 64). */
  maxInFlight?: number;
  /**
   * How the SLA clocks a nag speaks about stand at its turn: when none still runs it is dropped, not sent; tickets done
   * meanwhile are named in a closing line, so the nag does not chase what is already handled.
   */
  nagProgress?: (clockIds: number[]) => Promise<NagProgress>;
}

/**
 * When a chat's minute has no more than a fifth of its budget left, foldable messages (cards, work @s) stop going one by
 * one: what is queued for the chat leaves as one list, at most once per `60 s / reserve`, so the reserve lasts the
 * minute and a folded card waits seconds, not for the window. Byte budgets stay under WeCom's (markdown 20480, webhook
 * text 2048) with room for the heading.
 */
function foldingOf(limit: number, maxBytes: number) {
  const reserve = Math.max(1, Math.ceil(limit / 5));
  return { reserve, everyMs: Math.ceil(60_000 / reserve), maxBytes };
}

export interface NagProgress {
  /** Clocks still running. */
  running: number;
  /** Tickets whose clocks in the nag have all stopped since it was queued. */
  done: string[];
}

const LEASE_MS = 120_000;
/** Alerts carry this dedupe-key prefix: a failed alert is not alerted about again. */
const ALERT_KEY = 'wecom-undeliverable:';

export class OutboxSender {
  private running = false;
  /** Bumped by every halt, so a start still awaiting its set-up when halted does not begin sending afterwards. */
  private generation = 0;
  private readonly passes: Record<SendLane, Pass> = { answers: newPass(), pushes: newPass() };
  private unsubscribeClock: (() => void) | undefined;
  private readonly windows: RateWindows;
  private readonly lastFold = new Map<string, number>();
  /** Per nag about to be sent, the tickets done since it was queued. */
  private readonly doneMeanwhile = new Map<number, string[]>();
  private readonly folding: { chat: ReturnType<typeof foldingOf>; webhook: ReturnType<typeof foldingOf> };
  private readonly results: OutboxResults;

  constructor(private readonly options: SenderOptions) {
    const { limits } = options;
    this.results = new OutboxResults(options.db, () => options.fence().holder, options.throttle, () => this.wake());
    const chat: RateWindow[] = [
      { limit: limits.perMinute, ms: 60_000 },
      { limit: limits.perHour, ms: HOUR_MS },
    ];
    const webhook: RateWindow[] = [{ limit: limits.webhookPerMinute, ms: 60_000 }];
    this.windows = new RateWindows((key) => (key.startsWith(WEBHOOK_CHAT_PREFIX) ? webhook : chat));
    this.folding = { chat: foldingOf(limits.perMinute, 16_000), webhook: foldingOf(limits.webhookPerMinute, 1_700) };
  }

  /** Starts sending as the new holder; `listen` subscribes to NOTIFY on new rows (the trigger in 002_wecom.sql). */
  async start(listen: (channel: string, onNotify: () => void) => Promise<void>): Promise<void> {
    const { db, clock, botId } = this.options;
    const generation = this.generation;
    const released = await releaseLeases(db, this.options.fence().holder, botId, this.options.adoptUnowned);
    if (released) this.options.logger.warn({ released }, 'took over outbox rows in flight at an earlier holder; they are marked possibly sent');
    for (const row of await recentSends(db, botId, new Date(clock.nowMs() - HOUR_MS))) this.windows.record(row.chat_id, row.sent_at.getTime());
    await listen('outbox', () => this.wake());
    if (generation !== this.generation) return;
    this.running = true;
    this.unsubscribeClock = clock.onAdvance(() => this.wake());
    this.wake();
  }

  /** Stops taking rows at once (the lock is gone, or shutdown); rows in flight still record their outcome. */
  halt(): void {
    this.generation++;
    this.running = false;
    for (const pass of Object.values(this.passes)) clearTimeout(pass.timer);
    this.unsubscribeClock?.();
    this.unsubscribeClock = undefined;
  }

  /** A crash, for tests: nothing more is sent, and outcomes not recorded yet are forgotten. */
  kill(): void {
    this.halt();
    this.results.halt();
  }

  /** Resolves when no row is in flight and every outcome is recorded. */
  async idle(): Promise<void> {
    const busy = () => Object.values(this.passes).some((pass) => pass.inFlight.size || pass.draining) || this.results.size;
    while (busy()) {
      const inFlight = Object.values(this.passes).flatMap((pass) => [...pass.inFlight.values()]);
      await Promise.all([...inFlight, this.results.idle(), tick()]);
    }
  }

  /** Looks for sendable rows in both lanes soon; calls during a pass make it run once more. */
  wake(): void {
    this.wakeLane('answers');
    this.wakeLane('pushes');
  }

  private wakeLane(kind: SendLane): void {
    const pass = this.passes[kind];
    if (!this.running) return;
    if (pass.draining) {
      pass.again = true;
      return;
    }
    pass.draining = true;
    void (async () => {
      do {
        pass.again = false;
        await this.drain(kind).then(
          () => this.options.throttle.clear(`outbox-pass:${kind}`),
          (error: unknown) => {
            this.options.throttle.error(`outbox-pass:${kind}`, { err: error }, 'outbox pass failed; retrying in a second');
            this.arm(kind, this.options.clock.nowMs() + 1000, 1000);
          },
        );
      } while (pass.again && this.running);
      pass.draining = false;
    })();
  }

  private async drain(kind: SendLane): Promise<void> {
    const { db, clock, botId, connection } = this.options;
    const pass = this.passes[kind];
    const now = clock.nowMs();
    let nextAt = Infinity;
    const ready: PendingRow[] = [];
    for (const row of await pendingHeads(db, botId, kind)) {
      if (pass.inFlight.has(lane(row))) continue;
      // Sent, its outcome not recorded yet: never sent again before it is, whatever the database does meanwhile.
      if (this.results.isUnrecorded(row.id)) continue;
      if (row.channel !== 'webhook' && !connection.isAuthenticated) continue; // woken again on authentication
      // Card updates are never held back: WeCom allows them only within 5 s of the tap.
      const freeAt = row.channel === 'update' ? now : this.windows.freeAt(row.chat_id, now);
      const folding = row.chat_id.startsWith(WEBHOOK_CHAT_PREFIX) ? this.folding.webhook : this.folding.chat;
      const tight = row.fold_lines !== null && this.windows.room(row.chat_id, now) <= folding.reserve;
      const foldAt = tight ? (this.lastFold.get(row.chat_id) ?? -Infinity) + folding.everyMs : -Infinity;
      const at = Math.max(row.next_attempt_at.getTime(), freeAt, foldAt);
      if (at > now) {
        nextAt = Math.min(nextAt, at);
      } else if (await this.stale(row, now)) {
        await drop(db, row.id);
        this.options.logger.info({ id: row.id, chatId: row.chat_id }, 'nag no longer true at its turn; dropped');
        pass.again = true;
      } else {
        ready.push(tight ? await this.fold(row, folding.maxBytes, now) : row);
      }
    }
    this.arm(kind, nextAt);
    if (!this.running || ready.length === 0 || !this.options.maySend()) return;
    ready.sort((a, b) => Number(b.channel === 'update') - Number(a.channel === 'update') || a.id - b.id);
    const room = (this.options.maxInFlight ?? 64) - pass.inFlight.size;
    const ids = ready.slice(0, Math.max(0, room)).map((row) => row.id);
    for (const row of await claim(db, ids, this.options.fence(), LEASE_MS)) {
      const sending = this.send(row).finally(() => {
        pass.inFlight.delete(lane(row));
        this.wakeLane(kind);
      });
      pass.inFlight.set(lane(row), sending);
    }
  }

  private async stale(row: PendingRow, now: number): Promise<boolean> {
    if (row.stale_at && row.stale_at.getTime() <= now) return true;
    if (!row.clock_ids?.length || !this.options.nagProgress) return false;
    const { running, done } = await this.options.nagProgress(row.clock_ids);
    if (running > 0 && done.length > 0) this.doneMeanwhile.set(row.id, done);
    else this.doneMeanwhile.delete(row.id);
    return running === 0;
  }

  /** Everything foldable queued for the row's chat, as one list (or the row itself when it is alone). */
  private async fold(row: PendingRow, maxBytes: number, now: number): Promise<PendingRow> {
    this.lastFold.set(row.chat_id, now);
    const fits = (lines: string[]) => Buffer.byteLength(lines.join('\n')) <= maxBytes;
    const { row: folded, folded: count } = await foldPending(this.options.db, this.options.botId, row.chat_id, fits, (lines, mentions) =>
      row.channel === 'webhook' ? mentionText(foldedText(lines), mentions) : markdown(foldedText(lines)),
    );
    if (folded) this.options.logger.info({ chatId: row.chat_id, count, id: folded.id }, 'messages folded into one list');
    return folded ?? row;
  }

  /** Wakes the lane at `atMs` on the app clock; a frozen clock (tests) also wakes us through `onAdvance`. */
  private arm(kind: SendLane, atMs: number, minDelayMs = 10): void {
    const pass = this.passes[kind];
    clearTimeout(pass.timer);
    if (!Number.isFinite(atMs) || !this.running) return;
    const delay = Math.min(Math.max(atMs - this.options.clock.nowMs(), minDelayMs), 60_000);
    pass.timer = setTimeout(() => this.wakeLane(kind), delay);
  }

  private async send(row: PendingRow): Promise<void> {
    const { clock, policy, metrics } = this.options;
    // Frozen between the claim and now (SIGSTOP, a long pause): the lease may be another's; the row stays for it.
    if (!this.options.maySend()) return;
    if (row.possibly_sent) this.options.logger.warn({ id: row.id, chatId: row.chat_id }, 'sending a message that may have been sent already');
    let outcome: Outcome;
    // An attempt whose answer was lost may have reached the chat: the next one says （重发）, as after a vanished holder.
    let possiblySent = false;
    try {
      outcome = { answer: await this.deliver(row) };
      this.doneMeanwhile.delete(row.id);
    } catch (error) {
      outcome = { noAnswer: error instanceof WecomTransportError ? `${error.kind}: ${error.message}` : String(error) };
      possiblySent = !(error instanceof WecomTransportError) || error.mayHaveArrived;
    }
    const now = clock.now();
    const decision = decide(
      {
        channel: row.channel,
        attempts: row.attempts,
        createdAtMs: row.created_at.getTime(),
        cardPossiblyShown: row.possibly_sent && (row.body as { msgtype?: string }).msgtype === 'template_card',
      },
      outcome,
      now.getTime(),
      policy,
    );
    const errcode = 'answer' in outcome ? outcome.answer.errcode : -1;
    const error = 'answer' in outcome ? (errcode === 0 ? null : outcome.answer.errmsg) : outcome.noAnswer;
    const attempt = { at: now.toISOString(), errcode, ...(error !== null && { error }) };
    const recordAttempt = (result: AttemptResult) => this.results.add(row.id, result);
    switch (decision.action) {
      case 'sent':
        if (errcode !== 0) this.options.logger.info({ id: row.id, chatId: row.chat_id, errcode }, 'an earlier attempt arrived; taken as sent');
        this.windows.record(row.chat_id, now.getTime());
        recordAttempt({ status: 'sent', attempt, errcode, error, sentAt: now });
        metrics.outboxSent.inc({ channel: row.channel });
        return;
      case 'retry': {
        const retryAt = new Date(decision.atMs);
        recordAttempt({
          status: 'pending',
          attempt: { ...attempt, retryAt: retryAt.toISOString() },
          errcode,
          error,
          nextAttemptAt: retryAt,
          ...(possiblySent && { possiblySent }),
        });
        metrics.outboxRetried.inc({ channel: row.channel, errcode: 'answer' in outcome ? String(errcode) : 'no_answer' });
        return;
      }
      case 'as_push':
        this.options.logger.info({ id: row.id, chatId: row.chat_id, errcode }, 'reply window over; sending as a push');
        recordAttempt({ status: 'pending', attempt, errcode, error, nextAttemptAt: now, asPush: true });
        return;
      case 'fail':
        // PROTOCOL.md §7: WeCom does not publish the code for "nobody has messaged the bot here"; any refusal of a push to
        // a chat never heard from is taken as that. The work is kept, not given up, and leaves when the chat speaks.
        if (row.channel === 'push' && 'answer' in outcome && !(await wasHeard(this.options.db, row.chat_id))) {
          recordAttempt({ status: 'waiting', attempt, errcode, error });
          this.options.logger.warn({ id: row.id, chatId: row.chat_id, errcode }, 'push refused by a chat never heard from; kept until someone there messages the bot');
          // Heard from while this push was on its way: it need not wait for the next message (once it is recorded waiting).
          if (await wasHeard(this.options.db, row.chat_id)) {
            await this.results.idle();
            await outboxPort(clock, this.options.botId).releaseWaiting(this.options.db, row.chat_id);
          }
          await this.tellNotActivated(row, errcode);
          return;
        }
        recordAttempt({ status: 'failed', attempt, errcode, error });
        metrics.outboxFailed.inc({ channel: row.channel });
        this.options.logger.error({ id: row.id, chatId: row.chat_id, channel: row.channel, errcode, error }, 'outbox message given up');
        await this.alertDesk(row, errcode);
        return;
    }
  }

  private deliver(row: PendingRow): Promise<WecomAnswer> {
    const { connection } = this.options;
    switch (row.channel) {
      case 'reply':
        return connection.reply(row.req_id as string, row.body as WecomBody);
      case 'update':
        return connection.updateCard(row.req_id as string, row.body as CardUpdateBody);
      case 'push': {
        const body = row.body as WecomBody | PictureBody;
        if (body.msgtype === 'picture') return connection.pushPicture(row.chat_id, Buffer.from(body.picture.base64, 'base64'), body.picture.filename);
        return connection.push(row.chat_id, this.asSent(row) as WecomBody);
      }
      case 'webhook':
        return this.options.webhook(row.chat_id.slice(WEBHOOK_CHAT_PREFIX.length), this.asSent(row) as WebhookBody);
    }
  }

  /**
   * The row's body as it goes out: marked （重发） when it may have arrived before, with the tickets done meanwhile. A
   * group robot's @ that may have arrived is not sounded again: the resend names the people without notifying them.
   */
  private asSent(row: PendingRow): unknown {
    const done = this.doneMeanwhile.get(row.id);
    const body = row.possibly_sent ? silenced(row.body) : row.body;
    return amended(body, row.possibly_sent ? RESENT : '', done ? `\n（发出前已办理：${doneList(done)}，不再催办）` : '');
  }

  /** Once per chat: which work waits there, and how to activate the group. Never about the desk's own chat. */
  private async tellNotActivated(row: PendingRow, errcode: number): Promise<void> {
    const { db, clock, botId, deskChatId, chatName } = this.options;
    if (!deskChatId || row.dedupe_key?.startsWith(ALERT_KEY)) return;
    try {
      const desk = await deskChatId();
      if (!desk || desk === row.chat_id) return;
      const name = (await chatName?.(row.chat_id)) ?? `会话 ${row.chat_id}`;
      const text = [
        '**消息未送达：群未激活**',
        `「${name}」群还没有人 @ 过机器人，企业微信拒收了发往该群的消息（错误码 ${errcode}）：${preview(row.body)}`,
        '消息已保留，不会丢失；工单看板上标为 未送达。',
        `激活方法：${HOW_TO_ACTIVATE}。激活后保留的消息自动送达。`,
      ].join('\n');
      await enqueue(db, clock, botId, { channel: 'push', chatId: desk, body: markdown(text) }, `${ALERT_KEY}not-activated:${row.chat_id}`);
    } catch (error) {
      this.options.logger.error({ err: error, id: row.id }, 'could not queue the desk notice for a chat not activated');
    }
  }

  /** Once per chat and hour, so an outage does not flood the desk; alerts about alerts are never sent. */
  private async alertDesk(row: PendingRow, errcode: number): Promise<void> {
    const { db, clock, botId, deskChatId } = this.options;
    if (!deskChatId || row.dedupe_key?.startsWith(ALERT_KEY)) return;
    try {
      const desk = await deskChatId();
      if (!desk || desk === row.chat_id) return;
      const hour = Math.floor(clock.nowMs() / HOUR_MS);
      await enqueue(db, clock, botId, { channel: 'push', chatId: desk, body: markdown(alertText(row, errcode)) }, `${ALERT_KEY}${row.chat_id}:${hour}`);
    } catch (error) {
      this.options.logger.error({ err: error, id: row.id }, 'could not queue the desk alert for a given-up message');
    }
  }
}

const RESENT = '（重发）';
/** Numbers named as done in a nag's closing line: enough to recognise, and a robot text stays within its 2048 bytes. */
const DONE_NAMED = 20;

function doneList(done: string[]): string {
  return done.length > DONE_NAMED ? `${done.slice(0, DONE_NAMED).join('、')} 等 ${done.length} 件` : done.join('、');
}

/**
 * A body with `before` in front of its content (a card's: of its title) and `after` behind it (markdown and text): a
 * card or push that may have reached the chat already says so, so nobody takes it for new work.
 */
function amended(body: unknown, before: string, after: string): unknown {
  if (!before && !after) return body;
  const b = body as WecomBody | WebhookBody;
  switch (b.msgtype) {
    case 'markdown':
      return { ...b, markdown: { content: before + b.markdown.content + after } };
    case 'text':
      return { ...b, text: { ...b.text, content: before + b.text.content + after } };
    case 'template_card': {
      const title = (b.template_card.main_title as { title?: string; desc?: string } | undefined) ?? {};
      return { ...b, template_card: { ...b.template_card, main_title: { ...title, title: before + (title.title ?? '') } } };
    }
  }
}

/** A group robot text without its mention lists: nobody is woken a second time. */
function silenced(body: unknown): unknown {
  const b = body as { msgtype?: string; text?: { content: string; mentioned_list?: string[]; mentioned_mobile_list?: string[] } };
  if (b.msgtype !== 'text' || !b.text) return body;
  const { content } = b.text;
  return { ...b, text: { content } };
}

/** One lane's passes over the queue: at most one at a time, another when woken during it. */
interface Pass {
  draining: boolean;
  again: boolean;
  timer: NodeJS.Timeout | undefined;
  /** Rows being sent, by chat (card updates have their own queue per chat). */
  inFlight: Map<string, Promise<void>>;
}

function newPass(): Pass {
  return { draining: false, again: false, timer: undefined, inFlight: new Map() };
}

/** Card updates have their own queue per chat; every other row of a lane to a chat shares one. */
function lane(row: PendingRow): string {
  return row.channel === 'update' ? `update:${row.chat_id}` : row.chat_id;
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}

const CHANNEL_NAMES: Record<PendingRow['channel'], string> = {
  reply: '回复',
  push: '推送',
  update: '卡片更新',
  webhook: '群机器人通知',
};

/** A folded list: every line kept, so each item stays listed and actionable by its command. */
function foldedText(lines: string[]): string {
  return [`【消息汇总】本群消息较多，以下 ${lines.length} 条合并发送，可用指令办理：`, ...lines].join('\n');
}

function alertText(row: PendingRow, errcode: number): string {
  const queued = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(row.created_at);
  const target = row.chat_id.startsWith(WEBHOOK_CHAT_PREFIX) ? '群机器人' : `会话 ${row.chat_id}`;
  return [
    '**企业微信消息发送失败**',
    `发往${target}的一条${CHANNEL_NAMES[row.channel]}（${queued} 生成）多次重试仍未送达，已停止发送（错误码 ${errcode}）。`,
    `内容：${preview(row.body)}`,
    '请人工联系相关人员。',
  ].join('\n');
}

function preview(body: unknown): string {
  const b = body as { markdown?: { content?: string }; text?: { content?: string }; template_card?: { main_title?: { title?: string } } };
  const text = b.markdown?.content ?? b.text?.content ?? b.template_card?.main_title?.title ?? '（卡片）';
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
