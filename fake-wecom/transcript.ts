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
  /** Media messages: the media_id sent (FakeWeCom.image gives a picture's bytes). */
  mediaId?: string;
  streamId?: string;
  /** Streams only: whether `finish:true` arrived. */
  finished?: boolean;
  /**
   * Who was really @-ed: only a group-robot `text` notifies, by `mentioned_list` (userids) and `mentioned_mobile_list`
   * (mobiles). `<@userid>` in the intelligent bot's markdown is plain text on WeCom, and webhook markdown notifies nobody.
   */
  mentions?: string[];
}

export type NewEntry = Omit<TranscriptEntry, 'seq' | 'at' | 'mentions'> & { mentionedList?: string[] };


export class Transcript {
  private readonly entries: TranscriptEntry[] = [];
  private readonly bySeq = new Map<number, TranscriptEntry>();

  constructor(private readonly now: () => number) {}

  add(entry: NewEntry): TranscriptEntry {
    const { mentionedList, ...rest } = entry;
    const stored: TranscriptEntry = { ...rest, seq: this.entries.length + 1, at: this.now() };
    if (rest.from === 'bot') stored.mentions = [...new Set(mentionedList ?? [])];
    this.entries.push(stored);
    this.bySeq.set(stored.seq, stored);
    return stored;
  }

  /** Replaces a bubble's content (stream refresh, card update); bot bubbles never @, so mentions stay as they were. */
  update(seq: number, patch: Partial<Pick<TranscriptEntry, 'content' | 'finished'>>): void {
    const entry = this.bySeq.get(seq);
    if (!entry) return;
    Object.assign(entry, patch);
  }

  /** Copies, so a test holding an old result does not see it change under it. */
  of(chatId: string): TranscriptEntry[] {
    return this.entries.filter((e) => e.chatId === chatId).map((e) => ({ ...e }));
  }

  all(): TranscriptEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** Puts back entries saved from `all()` (a sandbox restarted), in place of what is shown now. */
  restore(entries: TranscriptEntry[]): void {
    this.entries.splice(0, this.entries.length, ...entries.map((e) => ({ ...e })));
    this.bySeq.clear();
    for (const entry of this.entries) this.bySeq.set(entry.seq, entry);
  }
}
