import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { Logger } from '../log';
import { readCallback, type ReceivedEvent } from './frames';
import type { InboundEvent, InboundHandler } from '../protocol/inbound';
import { claimForHandling, insertFrame, recordFailure, unhandledRows, type NewInboxRow } from './inbox-store';
import type { WecomMetrics } from './metrics';
import { markdown, type Outbound } from '../protocol/outbound';
import { enqueue } from './outbox';

/**
 * Inbound side of the transport: each event is written to the inbox the moment it is read (its msgid unique, so a
 * redelivery is a no-op), never behind the handling of earlier events, so a crash loses nothing WeCom delivered. It is
 * then handled in one transaction with whatever the handler writes. Events of one chat are handled one after the
 * other, in arrival order; chats run side by side.
 */
export const APOLOGY = '抱歉，处理您的消息时出错，请稍后重试或联系客服班';

/** How long a frame waits in memory for the database to come back before it is given up (logged). */
const RECORD_PATIENCE_MS = 60_000;

export interface InboxOptions {
  /** The bot whose replies this inbox queues. */
  botId: string;
  db: Db;
  clock: Clock;
  logger: Logger;
  metrics: WecomMetrics;
  handler: InboundHandler;
  /** Handler attempts before the person gets the apology (default 3). */
  maxAttempts?: number;
  /** Pause before the n-th retry is n times this, in real time (default 200). */
  retryDelayMs?: number;
  /** After the database failed mid-way, unhandled rows are swept again this much later (default 30 000). */
  recoveryDelayMs?: number;
  /** After each commit: what the handler queued (a card update above all) should leave at once. */
  onHandled(): void;
}

export class Inbox {
  private readonly chains = new Map<string, Promise<void>>();
  private halted = false;
  private recoveryTimer: NodeJS.Timeout | undefined;
  private unreachableLoggedAt = -Infinity;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: InboxOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 200;
  }

  /** A valid event from the connection: record it at once, then handle it after earlier events of its chat. */
  receive(event: ReceivedEvent, dedupeKey: string, frame: unknown, startedAt: number): void {
    const recorded = this.record({
      dedupeKey,
      kind: event.kind,
      reqId: event.reqId,
      chatId: event.chat.chatId,
      userId: event.userId,
      frame,
      receivedAt: event.receivedAt,
    });
    recorded.catch(() => undefined); // awaited in the chain below, which logs
    this.chain(event.chat.chatId, async () => {
      const inboxId = await recorded;
      if (inboxId === undefined) {
        this.options.metrics.inboundDuplicates.inc();
        this.options.logger.debug({ dedupeKey }, 'WeCom delivered a message again; already in the inbox');
        return;
      }
      await this.handle({ ...event, inboxId } as InboundEvent);
      this.options.metrics.handleSeconds.observe((performance.now() - startedAt) / 1000);
    });
  }

  /** The insert, retried through a database restart (the frame exists nowhere else but in this process). */
  private record(row: NewInboxRow): Promise<number | undefined> {
    return this.throughRestart(() => insertFrame(this.options.db, row));
  }

  /** Retries `step` while the database is away, for up to a minute. */
  private async throughRestart<T>(step: () => Promise<T>): Promise<T> {
    const until = Date.now() + RECORD_PATIENCE_MS;
    for (let pause = 100; ; pause = Math.min(pause * 2, 2000)) {
      try {
        return await step();
      } catch (error) {
        if (Date.now() > until || this.halted) throw error;
        if (Date.now() - this.unreachableLoggedAt > 5000) {
          this.unreachableLoggedAt = Date.now();
          this.options.logger.warn({ err: error }, 'inbox: database unreachable; waiting for it');
        }
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /** Hands rows left unhandled by an earlier holder to the handler, oldest first (WeCom accepts replies for 24 h). */
  async recover(): Promise<number> {
    const rows = await unhandledRows(this.options.db);
    for (const row of rows) {
      const reading = readCallback(row.frame, row.received_at);
      if (reading.kind !== 'event') continue; // only handleable frames are ever stored
      const event = { ...reading.event, inboxId: row.id } as InboundEvent;
      this.chain(event.chat.chatId, () => this.handle(event));
    }
    if (rows.length) this.options.logger.info({ count: rows.length }, 'handling inbox rows left by an earlier connection holder');
    return rows.length;
  }

  /** No further work (shutdown, or a crash in tests); what is unhandled stays for the next holder. */
  halt(): void {
    this.halted = true;
    clearTimeout(this.recoveryTimer);
  }

  /** Resolves when every event received so far has been handled (or given up). */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.all(this.chains.values());
  }

  private chain(chatId: string, step: () => Promise<void>): void {
    const run = (this.chains.get(chatId) ?? Promise.resolve())
      .then(() => (this.halted ? undefined : step()))
      .catch((error: unknown) => {
        // Only the database can fail here; a recorded row stays unhandled and is swept again shortly.
        this.options.logger.error({ err: error, chatId }, 'inbound event could not be recorded or handled');
        this.scheduleRecovery();
      })
      .finally(() => {
        if (this.chains.get(chatId) === run) this.chains.delete(chatId);
      });
    this.chains.set(chatId, run);
  }

  private scheduleRecovery(): void {
    if (this.recoveryTimer || this.halted) return;
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = undefined;
      this.recover().catch(() => this.scheduleRecovery());
    }, this.options.recoveryDelayMs ?? 30_000);
  }

  private async handle(event: InboundEvent): Promise<void> {
    const { db, clock, handler } = this.options;
    for (;;) {
      try {
        await db.transaction().execute(async (tx) => {
          if (!(await claimForHandling(tx, event.inboxId, clock.now()))) return; // handled elsewhere meanwhile
          await handler(tx, event);
        });
        this.options.onHandled();
        return;
      } catch (error) {
        if (this.halted) return;
        const detail = error instanceof Error ? error.message : String(error);
        // A handler transaction cut by a database restart is tried again once the server is back, in its turn in the
        // chat, rather than left to the sweep half a minute later behind the chat's later messages.
        const attempts = await this.throughRestart(() => recordFailure(db, event.inboxId, detail));
        this.options.logger.warn({ err: error, inboxId: event.inboxId, attempts }, 'inbound handler failed');
        if (attempts >= this.maxAttempts) return this.giveUp(event);
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * attempts));
      }
    }
  }

  /** The handler's work stays rolled back; the person is told, without any technical detail. */
  private async giveUp(event: InboundEvent): Promise<void> {
    const { db, clock } = this.options;
    await db.transaction().execute(async (tx) => {
      if (!(await claimForHandling(tx, event.inboxId, clock.now(), true))) return;
      await enqueue(tx, clock, this.options.botId, apology(event), `inbox-apology:${event.inboxId}`);
    });
    this.options.onHandled();
    this.options.metrics.inboundFailed.inc();
    this.options.logger.error({ inboxId: event.inboxId, chatId: event.chat.chatId }, 'inbound event given up; apology queued');
  }
}

/** A message gets a reply; a tap's req_id only allows a card update, so the tapper is addressed in the chat. */
function apology(event: InboundEvent): Outbound {
  if (event.kind === 'text') return { channel: 'reply', chatId: event.chat.chatId, reqId: event.reqId, body: markdown(APOLOGY) };
  const mention = event.chat.chatType === 'group' ? `<@${event.userId}> ` : '';
  return { channel: 'push', chatId: event.chat.chatId, body: markdown(mention + APOLOGY) };
}
