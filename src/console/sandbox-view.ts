import type { FakeWeCom, TranscriptEntry } from '../../test/fake-wecom/index';
import { shanghaiTime } from '../domain/calendar';

/** One bubble as the page draws it; a card carries its structure (as `viewer` sees it) so its buttons can be tapped. */
export interface EntryView {
  seq: number;
  time: string;
  from: 'user' | 'bot';
  userId?: string;
  kind: TranscriptEntry['kind'];
  text: string;
  taskId?: string;
  card?: Record<string, unknown>;
  mentions?: string[];
}

export interface ChatView {
  chatId: string;
  entries: EntryView[];
}

/** Every chat the page shows, read from the fake WeCom's transcripts: what each person's phone would show. */
export function chatViews(fake: FakeWeCom, chatIds: string[], viewer: string | undefined): ChatView[] {
  return chatIds.map((chatId) => ({
    chatId,
    entries: fake.transcript(chatId, viewer).map((entry) => entryView(fake, entry, viewer)),
  }));
}

function entryView(fake: FakeWeCom, entry: TranscriptEntry, viewer: string | undefined): EntryView {
  const shown = entry.kind === 'card' && entry.taskId ? fake.card(entry.taskId, entry.botId) : undefined;
  const card = shown && viewer ? (shown.perUser[viewer] ?? shown.card) : shown?.card;
  return {
    seq: entry.seq,
    time: shanghaiTime(new Date(entry.at)),
    from: entry.from,
    ...(entry.userId && { userId: entry.userId }),
    kind: entry.kind,
    text: entry.content,
    ...(entry.taskId && { taskId: entry.taskId }),
    ...(card && { card: card as Record<string, unknown> }),
    ...(entry.mentions?.length && { mentions: entry.mentions }),
  };
}
