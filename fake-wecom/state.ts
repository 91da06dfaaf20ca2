/**
 * What the fake WeCom remembers between frames: conversations a bot may push into, the req_ids it handed out
 * and what each still allows, the cards shown in chats, and the per-conversation rate windows.
 */
import type { TemplateCard } from './schemas';
import { SlidingLimiter } from './rate-limit';
import type { Settings } from './settings';
import { Transcript, type TranscriptEntry } from './transcript';

export type ChatType = 'group' | 'single';

export interface Conversation {
  chatType: ChatType;
  /** A user has messaged the bot here, so pushes are allowed. */
  activated: boolean;
}

/** A callback req_id: which command may answer it, until when, and what was answered already. */
export interface CallbackRecord {
  reqId: string;
  botId: string;
  kind: 'message' | 'enter_chat' | 'template_card_event';
  chatId: string;
  chatType: ChatType;
  userId: string;
  /** Delivery time; windows count from here. */
  at: number;
  /** The one non-stream answer was given. */
  responded: boolean;
  streams: Map<string, { seq: number; startedAt: number; finished: boolean }>;
  taskId?: string;
}

export interface TemplateCardState {
  taskId: string;
  chatId: string;
  botId: string;
  /** The shared view: what everyone without a per-user override sees. */
  card: TemplateCard;
  updates: number;
  perUser: Record<string, TemplateCard>;
  /** The transcript entry that shows this card. */
  seq: number;
}

/** What the chats show, saved and put back by a sandbox that keeps its world across restarts. */
export interface FakeWorld {
  transcript: TranscriptEntry[];
  cards: TemplateCardState[];
  /** Conversations someone has messaged the bot in: WeCom remembers them, so a restart must not forget them. */
  conversations?: { botId: string; chatId: string; chatType: ChatType }[];
}

export class FakeState {
  readonly transcript: Transcript;
  readonly callbacks = new Map<string, CallbackRecord>();
  readonly limiter: SlidingLimiter;
  private readonly conversations = new Map<string, Conversation>();
  private readonly cards = new Map<string, TemplateCardState>();

  constructor(settings: Settings) {
    this.transcript = new Transcript(settings.now);
    this.limiter = new SlidingLimiter(
      [
        { limit: settings.rateLimit.perMinute, ms: 60_000 },
        { limit: settings.rateLimit.perHour, ms: 3_600_000 },
      ],
      settings.now,
    );
  }

  conversation(botId: string, chatId: string): Conversation | undefined {
    return this.conversations.get(`${botId}\u0000${chatId}`);
  }

  activate(botId: string, chatId: string, chatType: ChatType): void {
    this.conversations.set(`${botId}\u0000${chatId}`, { chatType, activated: true });
  }

  /** One sliding window per bot and conversation, shared by every kind of outgoing message. */
  takeRate(botId: string, chatId: string): boolean {
    return this.limiter.take(`${botId}\u0000${chatId}`);
  }

  card(taskId: string, botId?: string): TemplateCardState | undefined {
    if (botId) return this.cards.get(`${botId}\u0000${taskId}`);
    return [...this.cards.values()].reverse().find((c) => c.taskId === taskId);
  }

  addCard(state: TemplateCardState): void {
    this.cards.set(`${state.botId}\u0000${state.taskId}`, state);
  }

  allCards(): TemplateCardState[] {
    return [...this.cards.values()];
  }

  /** Puts back what the chats showed (a sandbox restarted): the transcript, the cards and who has messaged whom. */
  restore(world: FakeWorld): void {
    this.transcript.restore(world.transcript);
    this.cards.clear();
    for (const card of world.cards) this.addCard(card);
    for (const { botId, chatId, chatType } of world.conversations ?? []) this.activate(botId, chatId, chatType);
  }

  /** The conversations pushes may go into, as `FakeWorld.conversations`. */
  activatedConversations(): { botId: string; chatId: string; chatType: ChatType }[] {
    return [...this.conversations].flatMap(([key, c]) => {
      const [botId, chatId] = key.split('\u0000') as [string, string];
      return c.activated ? [{ botId, chatId, chatType: c.chatType }] : [];
    });
  }
}
