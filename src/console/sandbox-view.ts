import type { FakeWeCom, TranscriptEntry } from '../../fake-wecom/index';
import { shanghaiDate, shanghaiTime } from '../calendar/calendar';

/** One bubble as the page draws it; a card carries its structure (as `viewer` sees it) so its buttons can be tapped. */
export interface EntryView {
  seq: number;
  time: string;
  from: 'user' | 'bot';
  userId?: string;
  kind: TranscriptEntry['kind'];
  text: string;
  taskId?: string;
  /** A picture the bot sent (`/sandbox/api/media/:id` serves it). */
  mediaId?: string;
  card?: Record<string, unknown>;
  mentions?: string[];
}

export interface ChatView {
  chatId: string;
  entries: EntryView[];
}

/** Every chat the page shows, read from the fake WeCom's transcripts: what each person's phone would show. */
export function chatViews(fake: FakeWeCom, chatIds: string[], viewer: string | undefined, now: Date): ChatView[] {
  const today = shanghaiDate(now);
  return chatIds.map((chatId) => ({
    chatId,
    entries: fake.transcript(chatId, viewer).map((entry) => entryView(fake, entry, viewer, today)),
  }));
}

/** "10:30" today, "11月24日 10:30" on an earlier day: after a fast-forward both kinds sit in one chat. */
function shownTime(at: Date, today: string): string {
  const date = shanghaiDate(at);
  if (date === today) return shanghaiTime(at);
  const [, month, day] = date.split('-').map(Number);
  return `${month}月${day}日 ${shanghaiTime(at)}`;
}

function entryView(fake: FakeWeCom, entry: TranscriptEntry, viewer: string | undefined, today: string): EntryView {
  const shown = entry.kind === 'card' && entry.taskId ? fake.card(entry.taskId, entry.botId) : undefined;
  const card = shown && viewer ? (shown.perUser[viewer] ?? shown.card) : shown?.card;
  return {
    seq: entry.seq,
    time: shownTime(new Date(entry.at), today),
    from: entry.from,
    ...(entry.userId && { userId: entry.userId }),
    kind: entry.kind,
    text: entry.content,
    ...(entry.taskId && { taskId: entry.taskId }),
    ...(entry.kind === 'media' && entry.mediaId && { mediaId: entry.mediaId }),
    ...(card && { card: card as Record<string, unknown> }),
    ...(entry.mentions?.length && { mentions: entry.mentions }),
  };
}
