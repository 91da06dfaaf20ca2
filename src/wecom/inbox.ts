import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { Logger } from '../log';
import { readCallback, type ReceivedEvent } from './frames';
import type { InboundEvent, InboundHandler } from '../protocol/inbound';
import { claimForHandling, insertFrames, recordFailure, unhandledRows, type NewInboxRow } from './inbox-store';
import type { InboxJournal, JournalEntry } from './inbox-journal';
import type { LogThrottle } from '../log-throttle';
import type { WecomMetrics } from './metrics';
import { markdown, type Outbound } from '../protocol/outbound';
import { enqueue } from './outbox';

/**
 * Inbound side of the transport. Each frame is appended to the local journal the moment it is read, then written to
 * the inbox table together with the frames that arrived with it (one statement, one commit per group: group commit),
 * never behind the handling of earlier events; its msgid is unique, so a redelivery or a journal read back is a no-op.
 * A frame is handled only after its group committed, in one transaction with whatever the handler writes. Events of
 * one chat are handled one after the other, in arrival order; chats run side by side. While the database is away the
 * frames wait in the journal (and in memory) and are written, in order, once it answers again.
 */
export const APOLOGY = '抱歉，处理您的消息时出错，请稍后重试或联系客服班';

/** Frames written to the inbox table in one statement at most. */
const MAX_GROUP = 200;

export interface InboxOptions {
  /** The bot whose replies this inbox queues. */
  botId: string;
  /** Handler transactions. */
  db: Db;
  /** Inbox writes: connections of their own, never waiting behind handler transactions. */
  writer: Db;
  clock: Clock;
  logger: Logger;
  throttle: LogThrottle;
  metrics: WecomMetrics;
  journal: InboxJournal;
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

interface Received {
  row: NewInboxRow;
  event: ReceivedEvent;
  startedAt: number;
  journaled: boolean;
}

export class Inbox {
  private readonly chains = new Map<string, Promise<void>>();
  /** Inbox rows waiting in a chain, so a sweep does not queue them twice. */
  private readonly chained = new Set<number>();
  /** Frames read and not yet in the inbox table, in arrival order. */
  private readonly unwritten: Received[] = [];
  private writer: Promise<void> | undefined;
  private replaying: Promise<number> | undefined;
  private halted = false;
  private recoveryTimer: NodeJS.Timeout | undefined;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: InboxOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 200;
  }

  /** A valid event from the connection: journaled at once, written with its group, then handled after earlier events of its chat. */
  receive(event: ReceivedEvent, dedupeKey: string, frame: unknown, startedAt: number): void {
    const journaled = this.options.journal.append({ dedupeKey, frame, receivedAt: event.receivedAt });
    if (!journaled) {
      this.options.throttle.error('journal-full', { waiting: this.unwritten.length }, 'inbox journal full; frames are kept in memory only until the database answers');
    }
    this.unwritten.push({ row: inboxRow(event, dedupeKey, frame), event, startedAt, journaled });
    this.write();
  }

  /** Writes what was read, group by group, in order; while the database is away it waits for it, frames kept. */
  private write(): void {
    if (this.writer || this.halted) return;
    this.writer = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.writeGroups())
      .finally(() => {
        this.writer = undefined;
        if (this.unwritten.length && !this.halted) this.write();
      });
  }

  private async writeGroups(): Promise<void> {
    while (this.unwritten.length && !this.halted) {
      const group = this.unwritten.slice(0, MAX_GROUP);
      const ids = await this.throughOutage(() => insertFrames(this.options.writer, group.map((received) => received.row)));
      if (ids === undefined) return; // halted: the journal keeps them
      this.unwritten.splice(0, group.length);
      this.options.journal.recorded(group.filter((received) => received.journaled).length);
      group.forEach((received, n) => {
        const inboxId = ids[n];
        if (inboxId === undefined) {
          this.options.metrics.inboundDuplicates.inc();
          this.options.logger.debug({ dedupeKey: received.row.dedupeKey }, 'WeCom delivered a message again; already in the inbox');
          return;
        }
        this.enqueueHandling({ ...received.event, inboxId } as InboundEvent, received.startedAt);
      });
    }
  }

  /**
   * Retries `step` while the database is away, for as long as it takes (the frames and outcomes it carries exist
   * nowhere else but here and in the journal); undefined once halted. One log line per cause and half-minute.
   */
  private async throughOutage<T>(step: () => Promise<T>): Promise<T | undefined> {
    for (let pause = 100; ; pause = Math.min(pause * 2, 2000)) {
      try {
        const result = await step();
        const repeated = this.options.throttle.clear('inbox-db');
        if (repeated > 0) this.options.logger.info({ repeated, waiting: this.unwritten.length }, 'inbox: the database answers again');
        return result;
      } catch (error) {
        if (this.halted) return undefined;
        this.options.throttle.warn('inbox-db', { err: error, waiting: this.unwritten.length }, 'inbox: database unreachable; waiting for it');
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /**
   * Frames in journals left by processes that are gone, written to the inbox table (those it has already are no-ops)
   * and the journals removed; the rows are then handled like any left unhandled. Returns how many were new.
   */
  replayOrphans(): Promise<number> {
    this.replaying ??= this.replay().finally(() => (this.replaying = undefined));
    return this.replaying;
  }

  private async replay(): Promise<number> {
    let added = 0;
    for (const orphan of this.options.journal.orphans()) {
      const rows = orphan.entries.flatMap((entry) => {
        const row = journalRow(entry);
        return row ? [row] : [];
      });
      for (let at = 0; at < rows.length; at += MAX_GROUP) {
        const ids = await insertFrames(this.options.writer, rows.slice(at, at + MAX_GROUP));
        added += ids.filter((id) => id !== undefined).length;
      }
      this.options.journal.removeOrphan(orphan.file);
      this.options.logger.warn({ frames: rows.length, added, file: orphan.file }, 'inbox journal of a stopped process read back');
    }
    return added;
  }

  /** Hands rows left unhandled by an earlier holder to the handler, oldest first (WeCom accepts replies for 24 h). */
  async recover(): Promise<number> {
    const rows = (await unhandledRows(this.options.db)).filter((row) => !this.chained.has(row.id));
    for (const row of rows) {
      const reading = readCallback(row.frame, row.received_at);
      if (reading.kind !== 'event') continue; // only handleable frames are ever stored
      this.enqueueHandling({ ...reading.event, inboxId: row.id } as InboundEvent);
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
    while (this.chains.size || this.writer) await Promise.all([...this.chains.values(), this.writer]);
  }

  private enqueueHandling(event: InboundEvent, startedAt?: number): void {
    this.chained.add(event.inboxId);
    this.chain(event.chat.chatId, async () => {
      try {
        await this.handle(event);
        if (startedAt !== undefined) this.options.metrics.handleSeconds.observe((performance.now() - startedAt) / 1000);
      } finally {
        this.chained.delete(event.inboxId);
      }
    });
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
        // A handler transaction cut by a database outage is tried again once the server is back, in its turn in the
        // chat, rather than left to the sweep behind the chat's later messages.
        const attempts = await this.throughOutage(() => recordFailure(db, event.inboxId, detail));
        if (attempts === undefined) return;
        // Once per distinct failure and half-minute: an outage fails every chat's handling the same way.
        this.options.throttle.warn(`handler:${detail.slice(0, 80)}`, { err: error, inboxId: event.inboxId, attempts }, 'inbound handler failed');
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

function inboxRow(event: ReceivedEvent, dedupeKey: string, frame: unknown): NewInboxRow {
  return {
    dedupeKey,
    kind: event.kind,
    reqId: event.reqId,
    chatId: event.chat.chatId,
    userId: event.userId,
    frame,
    receivedAt: event.receivedAt,
  };
}

/** A journal line as an inbox row; only handleable frames are ever journaled, so anything else is skipped. */
function journalRow(entry: JournalEntry): NewInboxRow | undefined {
  const reading = readCallback(entry.frame, entry.receivedAt);
  return reading.kind === 'event' ? inboxRow(reading.event, entry.dedupeKey, entry.frame) : undefined;
}
