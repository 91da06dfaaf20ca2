/**
 * What each chat shows, in order. Streams and cards are single bubbles whose content changes in place, so a
 * transcript always shows the current state, like a phone screen would.
 */
export type TranscriptKind = 'text' | 'markdown' | 'stream' | 'card' | 'welcome' | 'webhook' | 'media';

export interface TranscriptEntry {
  seq: number;
  at: number;
  chatId: string;
  from: 'user' | 'bot';
  userId?: string;
  /** The bot that received (user) or sent (bot) the message; absent for webhook pushes. */
  botId?: string;
  kind: TranscriptKind;
  content: string;
  msgId?: string;
  taskId?: string;
  streamId?: string;
  /** Streams only: whether `finish:true` arrived. */
  finished?: boolean;
  /** userids from `<@userid>` in the content and from `mentioned_list`. */
  mentions?: string[];
}

export type NewEntry = Omit<TranscriptEntry, 'seq' | 'at' | 'mentions'> & { mentionedList?: string[] };

export function extractMentions(content: string, mentionedList: string[] = []): string[] {
  const inline = [...content.matchAll(/<@([^>\s]+)>/g)].map((m) => m[1] as string);
  return [...new Set([...inline, ...mentionedList])];
}

export class Transcript {
  private readonly entries: TranscriptEntry[] = [];
  private readonly bySeq = new Map<number, TranscriptEntry>();

  constructor(private readonly now: () => number) {}

  add(entry: NewEntry): TranscriptEntry {
    const { mentionedList, ...rest } = entry;
    const stored: TranscriptEntry = { ...rest, seq: this.entries.length + 1, at: this.now() };
    if (rest.from === 'bot') stored.mentions = extractMentions(rest.content, mentionedList);
    this.entries.push(stored);
    this.bySeq.set(stored.seq, stored);
    return stored;
  }

  /** Replaces a bubble's content (stream refresh, card update); mentions follow the new content. */
  update(seq: number, patch: Partial<Pick<TranscriptEntry, 'content' | 'finished'>>): void {
    const entry = this.bySeq.get(seq);
    if (!entry) return;
    Object.assign(entry, patch);
    if (patch.content !== undefined && entry.from === 'bot') entry.mentions = extractMentions(patch.content);
  }

  /** Copies, so a test holding an old result does not see it change under it. */
  of(chatId: string): TranscriptEntry[] {
    return this.entries.filter((e) => e.chatId === chatId).map((e) => ({ ...e }));
  }

  all(): TranscriptEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }
}
