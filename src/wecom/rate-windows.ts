/**
 * WeCom's per-conversation limits as sliding windows (30/min and 1000/h for the bot, 20/min per webhook key),
 * counted on the app clock so tests move past a window instead of waiting for it.
 */
export interface RateWindow {
  limit: number;
  ms: number;
}

export class RateWindows {
  private readonly sent = new Map<string, number[]>();

  /** `windows` gives the limits that apply to a key (a chat id, or `webhook:<key>`). */
  constructor(private readonly windows: (key: string) => RateWindow[]) {}

  record(key: string, atMs: number): void {
    const list = this.sent.get(key) ?? [];
    list.push(atMs);
    this.sent.set(key, list);
  }

  /** How many more messages to `key` fit every window right now. */
  room(key: string, nowMs: number): number {
    const list = this.sent.get(key) ?? [];
    return Math.min(...this.windows(key).map(({ limit, ms }) => limit - list.filter((at) => nowMs - at < ms).length));
  }

  /** The earliest time a message to `key` fits every window: `nowMs` when it may go now. */
  freeAt(key: string, nowMs: number): number {
    const windows = this.windows(key);
    const longest = Math.max(0, ...windows.map((w) => w.ms));
    const list = (this.sent.get(key) ?? []).filter((at) => nowMs - at < longest);
    if (list.length) this.sent.set(key, list);
    else this.sent.delete(key);
    let free = nowMs;
    for (const { limit, ms } of windows) {
      const inWindow = list.filter((at) => nowMs - at < ms);
      // The window has room again when the send that made it full slides out.
      if (inWindow.length >= limit) free = Math.max(free, (inWindow[inWindow.length - limit] as number) + ms);
    }
    return free;
  }
}
