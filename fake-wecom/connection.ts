/**
 * One bot socket as WeCom sees it: who subscribed on it, when it last spoke, and its acks, which leave in the
 * order the frames arrived even when a fault delays them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import type { Outcome } from './errors';

export interface RecordedFrame {
  seq: number;
  /** Fake clock time. */
  at: number;
  connId: number;
  botId?: string;
  direction: 'in' | 'out';
  raw: string;
  /** Parsed JSON, absent when the text was not JSON. */
  json?: any;
  cmd?: string;
  reqId?: string;
}

export type Recorder = (conn: Connection, direction: 'in' | 'out', raw: string) => void;

export class Connection {
  botId: string | undefined;
  /** new → subscribed → stale (a newer connection took the bot over). */
  state: 'new' | 'subscribed' | 'stale' = 'new';
  lastSeen: number;
  private acks: Promise<void> = Promise.resolve();
  private queuedAcks = 0;

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    now: number,
    private readonly record: Recorder,
  ) {
    this.lastSeen = now;
  }

  get live(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Writes and records one frame, unless the socket is gone; resolves once the socket has taken it. */
  send(frame: string | Buffer | object): Promise<void> {
    if (!this.live) return Promise.resolve();
    const raw = typeof frame === 'string' ? frame : Buffer.isBuffer(frame) ? frame.toString() : JSON.stringify(frame);
    this.record(this, 'out', raw);
    return new Promise((resolve) => this.ws.send(Buffer.isBuffer(frame) ? frame : raw, () => resolve()));
  }

  /** The one response to a client frame; a delayed ack also holds back the acks of later frames. */
  respond(reqId: string, outcome: Outcome, delayMs: number): Promise<void> {
    const frame = { headers: { req_id: reqId }, ...outcome };
    if (delayMs <= 0 && this.queuedAcks === 0) return this.send(frame);
    const dueAt = Date.now() + delayMs;
    this.queuedAcks++;
    this.acks = this.acks
      .then(() => sleep(Math.max(0, dueAt - Date.now())))
      .then(() => {
        this.queuedAcks--;
        return this.send(frame);
      });
    return this.acks;
  }

  close(code: number, reason: string): void {
    if (this.live) this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }
}
