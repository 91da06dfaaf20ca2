import { readFileSync } from 'node:fs';
import type { Clock } from '../../src/clock';
import { orgSchema } from '../../src/domain/org';
import { FakeWeCom, type FakeWeComOptions, type TranscriptEntry } from '../../fake-wecom/index';
import { frozenClock, startTestApp, wecomEnv, type TestApp, type TestAppOptions } from '../support/app';

/** The organisation the service seeds (config/org.example.json), with a group robot per unit. */
/** The example organisation every story runs on; each of its groups @-s the bot once at the start (`activateAll`). */
export const ORG_DOC = orgSchema.parse(JSON.parse(readFileSync(new URL('../../config/org.example.json', import.meta.url), 'utf8')));

const BOT = { botId: 'bot-95598', secret: 'secret-95598-0123', name: '95598客服' };

/**
 * The whole service against the fake WeCom over a real long connection: people type in group chats and tap cards
 * exactly as WeCom delivers them, and each chat's transcript is what its members see.
 */
export class Chats {
  /** The bot's answers to the day-one activation: not part of the story. */
  private readonly activationAnswers = new Set<number>();

  private constructor(
    readonly fake: FakeWeCom,
    readonly app: TestApp,
    readonly clock: Clock,
  ) {}

  /**
   * As in WeCom, the bot may push only into chats where someone has messaged it: a county's first day has each unit's
   * leader @ the bot once in its group (`activate: false` leaves that out). The stories start after that; what the
   * activation showed is not part of `shows()`.
   */
  static async open(
    options: FakeWeComOptions = {},
    clock = frozenClock(),
    service: { env?: Record<string, string>; activate?: boolean } & TestAppOptions = {},
  ): Promise<Chats> {
    const fake = await FakeWeCom.start({
      bots: [BOT],
      now: () => clock.nowMs(),
      webhookKeys: ORG_DOC.units.flatMap((unit) => (unit.webhookKey ? [{ key: unit.webhookKey, chatId: unit.chatId }] : [])),
      ...options,
    });
    const { env, activate = true, ...appOptions } = service;
    const app = await startTestApp({ ...wecomEnv(fake, BOT), ...env }, clock, appOptions);
    await fake.waitFor(() => fake.connections(BOT.botId).some((c) => c.subscribed), 10_000);
    const chats = new Chats(fake, app, clock);
    if (activate) await chats.activateAll();
    return chats;
  }

  /** Each unit's leader @-s the bot once in the unit's group; waits for the answers, then the story begins. */
  async activateAll(): Promise<void> {
    await Promise.all(ORG_DOC.units.map((unit) => this.activate(unit.chatId)));
  }

  /** The unit's leader @-s the bot in its group (a bare mention), as a county does on its first day. */
  async activate(chatId: string): Promise<void> {
    const unit = ORG_DOC.units.find((u) => u.chatId === chatId);
    if (!unit) throw new Error(`no unit has chat ${chatId}`);
    const answer = await this.say(unit.leader, chatId, '');
    for (const e of this.fake.transcript(chatId)) if (e.from === 'bot' && e.content === answer) this.activationAnswers.add(e.seq);
  }

  /**
   * A person @-mentions the bot in a group and waits for the bot's answer to that very message (other messages,
   * such as nags the clocks send, may arrive in between); returns the answer as shown.
   */
  async say(userId: string, chatId: string, text: string): Promise<string> {
    const { reqId } = await this.fake.userSays({ chatId, userId, text });
    const answer = await this.fake.waitFor(
      () => this.fake.frames.find((f) => f.direction === 'in' && f.cmd === 'aibot_respond_msg' && f.reqId === reqId),
      10_000,
    );
    return (answer.json as { body: { markdown: { content: string } } }).body.markdown.content;
  }

  /** A person taps a button of a card as they see it, and waits until the card they see changed. */
  async tap(userId: string, taskId: string, eventKey: string): Promise<void> {
    const shown = this.fake.card(taskId);
    const updatesBefore = shown?.updates ?? 0;
    await this.fake.tap({ taskId, eventKey, userId });
    await this.fake.waitFor(() => (this.fake.card(taskId)?.updates ?? 0) > updatesBefore, 10_000);
  }

  /** What the bot has shown in a chat, in order (cards in their current state, as `viewer` sees them). */
  shows(chatId: string, viewer?: string): TranscriptEntry[] {
    return this.fake.transcript(chatId, viewer).filter((e) => e.from === 'bot' && !this.activationAnswers.has(e.seq));
  }

  /** Waits until the bot has shown something in a chat that matches. */
  async waitFor(chatId: string, match: (entry: TranscriptEntry) => boolean): Promise<TranscriptEntry> {
    return this.fake.waitFor(() => this.shows(chatId).find(match), 10_000);
  }

  /** Waits until nothing queued is left to send: every outbox row was sent, folded into a list or dropped as stale. */
  async delivered(): Promise<void> {
    const pending = () =>
      this.app.ctx.db.selectFrom('outbox').select('id').where('status', '=', 'pending').limit(1).executeTakeFirst();
    for (const deadline = Date.now() + 10_000; (await pending()) !== undefined; ) {
      if (Date.now() > deadline) throw new Error('the outbox still has messages to send after 10 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    await this.app.stop();
    await this.fake.close();
  }
}
