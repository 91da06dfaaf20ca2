import type { Tx } from '../db/database';
import { markdown, type CardUpdateBody, type Outbound, type OutboxPort, type WecomBody } from '../protocol/outbound';

/**
 * Everything one inbound message or tap sends, collected while it is handled and queued at the end in the same
 * transaction. WeCom allows one non-stream reply per message, so everything for the asking chat becomes one markdown
 * reply: markdown pushes aimed at that chat are folded into it. Cards are always pushed.
 */
export class Outgoing {
  private readonly own: string[] = [];
  /** Markdown meant for the asking chat by someone else's step, shown after the command's own answer. */
  private readonly folded: string[] = [];
  private readonly messages: Outbound[] = [];

  /** `asking`: the chat and req_id of a text message; a tap has no reply, only card updates. */
  constructor(private readonly asking?: { chatId: string; reqId: string }) {}

  reply(content: string): void {
    this.own.push(content);
  }

  push(chatId: string, body: WecomBody): void {
    this.add({ channel: 'push', chatId, body });
  }

  /** Any push or webhook post, with the handling its producer chose. */
  add(message: Outbound): void {
    if (message.channel === 'push' && this.asking?.chatId === message.chatId && message.body.msgtype === 'markdown') {
      this.folded.push(message.body.markdown.content);
    } else {
      this.messages.push(message);
    }
  }

  update(chatId: string, reqId: string, body: CardUpdateBody): void {
    this.messages.push({ channel: 'update', chatId, reqId, body });
  }

  /** A point to return to when a step is refused after it had started collecting. */
  mark(): [number, number, number] {
    return [this.own.length, this.folded.length, this.messages.length];
  }

  discardSince([own, folded, messages]: [number, number, number]): void {
    this.own.length = own;
    this.folded.length = folded;
    this.messages.length = messages;
  }

  async flush(tx: Tx, outbox: OutboxPort): Promise<void> {
    const all: Outbound[] = [];
    const parts = [...this.own, ...this.folded];
    if (this.asking && parts.length) {
      all.push({ channel: 'reply', chatId: this.asking.chatId, reqId: this.asking.reqId, body: markdown(parts.join('\n\n')) });
    }
    await outbox.enqueue(tx, [...all, ...this.messages]);
  }
}
