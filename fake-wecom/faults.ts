/**
 * Faults a test can switch on and off at any time (docs/wecom-protocol.md "What the fake WeCom checks and breaks").
 * Connection faults act through the server; the rest are flags the server and command handlers read on every frame.
 */
import { fail, type Outcome } from './errors';

export interface DropOptions {
  /** Close code sent in the close frame (default 1000). */
  code?: number;
  reason?: string;
  /** Destroy the socket without a close frame; the client sees 1006. */
  withoutCloseFrame?: boolean;
  /** Only this bot's connections (default all). */
  botId?: string;
}

export interface ConnectionControl {
  drop(opts: DropOptions): void;
}

interface EveryNth {
  every: number;
  errcode: number;
  errmsg?: string;
}

/** Fails every Nth call, counting from when the fault was set. */
class Nth {
  private count = 0;
  constructor(readonly spec: EveryNth) {}
  next(): Outcome | undefined {
    this.count++;
    if (this.count % this.spec.every !== 0) return undefined;
    return fail({ errcode: this.spec.errcode, errmsg: this.spec.errmsg ?? 'injected failure' });
  }
}

export class Faults {
  /** Delay every ack (order is kept). */
  ackDelayMs = 0;
  /** Never ack client commands (subscribe and ping acks are governed separately). */
  dropAcks = false;
  stopPingAcks = false;
  /** Every subscribe fails with 853000. */
  authFailure = false;

  private refuseRemaining = 0;
  private outageTimer: NodeJS.Timeout | undefined;
  private push: Nth | undefined;
  private webhook: Nth | undefined;

  constructor(private readonly control: ConnectionControl) {}

  /** Every Nth aibot_send_msg fails with this errcode (e.g. 846607). */
  get pushError(): EveryNth | undefined {
    return this.push?.spec;
  }
  set pushError(spec: EveryNth | undefined) {
    this.push = spec && new Nth(spec);
  }

  /** Every Nth webhook/send fails with this errcode. */
  get webhookError(): EveryNth | undefined {
    return this.webhook?.spec;
  }
  set webhookError(spec: EveryNth | undefined) {
    this.webhook = spec && new Nth(spec);
  }

  /** Ends the current socket(s); the SDK sees a close it did not cause and reconnects. */
  dropConnections(opts: DropOptions = {}): void {
    this.control.drop(opts);
  }

  /** Rejects the next `n` WebSocket upgrades with HTTP 503 ('all' until called with 0). */
  refuseConnections(n: number | 'all'): void {
    this.refuseRemaining = n === 'all' ? Infinity : n;
  }

  /** Drops everything and refuses upgrades for `ms` of real time, or until endOutage(). */
  outage(ms: number): void {
    this.refuseConnections('all');
    this.dropConnections({ withoutCloseFrame: true });
    clearTimeout(this.outageTimer);
    this.outageTimer = setTimeout(() => this.endOutage(), ms);
  }

  endOutage(): void {
    clearTimeout(this.outageTimer);
    this.outageTimer = undefined;
    this.refuseRemaining = 0;
  }

  /** Asked once per upgrade attempt. */
  refuseUpgrade(): boolean {
    if (this.refuseRemaining <= 0) return false;
    this.refuseRemaining--;
    return true;
  }

  nextPushError(): Outcome | undefined {
    return this.push?.next();
  }

  nextWebhookError(): Outcome | undefined {
    return this.webhook?.next();
  }
}
