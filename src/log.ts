import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import { MOBILE_NUMBER, redactText, SECRET_PARAM } from './secrets';

export type { Logger };

/** `json`: one JSON object a line, for a log collector; `text`: a short readable line, for a person at a terminal. */
export type LogFormat = 'json' | 'text';

/**
 * Log lines on stdout, or on another descriptor (command-line tools keep stdout for their result). With `events`,
 * every warning and error is also handed to that tap, whatever `level` says about the lines, so the weekly review
 * (regulation chapter 4) sees them even where the log output is turned down.
 */
export function createLogger(level: string, fd = 1, events?: LogEventTap, format: LogFormat = 'json'): Logger {
  const options = { level, base: { service: 'wecom-ticket-bot' }, timestamp: pino.stdTimeFunctions.isoTime, hooks: REDACTING_HOOKS };
  const out =
    format === 'text'
      ? PinoPretty({ destination: fd, sync: true, colorize: false, translateTime: 'SYS:HH:MM:ss', singleLine: true, ignore: 'pid,hostname,service' })
      : fd === 1
        ? pino.destination(1)
        : pino.destination({ dest: fd, sync: true });
  if (!events) return pino(options, out);
  const levels = pino.levels.values;
  const wanted = levels[level] ?? Infinity;
  const streams = [
    ...(Number.isFinite(wanted) ? [{ level: level as pino.Level, stream: out }] : []),
    { level: 'warn' as const, stream: events.stream },
  ];
  // The logger must produce warnings for the tap even when the output shows errors only; each stream keeps its level.
  return pino({ ...options, level: wanted <= levels.warn! ? level : 'warn' }, pino.multistream(streams));
}

/**
 * Every line is scrubbed of the credentials the process knows and of robot webhook addresses as it is written, so
 * no field, however a credential got into it (a chat id, an error's message), carries one out.
 */
export const REDACTING_HOOKS = { streamWrite: redactText };

/** A warning or error as the weekly review keeps it: the message and a few identifiers, never the objects logged. */
export interface LogEvent {
  at: Date;
  level: 'warn' | 'error' | 'fatal';
  message: string;
  /** The job, module or transport component that logged it; '' when none is named. */
  source: string;
  /** An error code or reason that is an identifier (ECONNREFUSED, 57P01, ack_timeout); '' when none. */
  code: string;
  count: number;
}

/** Where the tap hands its batches, once the process has a database; `now` is the app's clock. */
export interface LogEventSink {
  now(): Date;
  write(events: LogEvent[]): Promise<void>;
}

/** Events kept while the database is away (start-up, an outage); beyond this they are counted, not kept. */
const MAX_BUFFERED = 1000;
const FLUSH_MS = 2000;
/** A batch this large is written at once instead of at the next tick. */
const EAGER_BATCH = 100;
const MAX_MESSAGE = 300;
const IDENTIFIER = /^[A-Za-z0-9_.:-]{1,40}$/;
const METADATA = Symbol.for('pino.metadata');
/** `name=value` after a separator, in a URL's query or free text: blanked when the name says it is a credential. */
const SECRET_PARAMETER = /[?&;\s]([^=\s&]+)=[^\s&]+/g;
const WHOLE_MOBILE = new RegExp(`^${MOBILE_NUMBER.source}$`);
const MOBILE_IN_TEXT = new RegExp(`(?<!\\d)${MOBILE_NUMBER.source}(?!\\d)`, 'g');

interface LineMetadata {
  lastLevel?: number;
  lastMsg?: unknown;
  lastObj?: Record<string, unknown>;
  lastLogger?: { bindings(): Record<string, unknown> };
}

/**
 * Collects the warnings and errors a logger writes and hands them to a sink in batches. Logging must never wait on
 * the database or fail because of it: capturing is a few property reads and a push onto a bounded buffer, writing
 * happens on a timer, and a failed write keeps the batch for the next one (dropping the oldest beyond the bound and
 * counting them). Nothing here logs, so a database that is away cannot feed a loop of warnings about itself.
 */
export class LogEventTap {
  private buffer: LogEvent[] = [];
  private sink: LogEventSink | undefined;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** Events lost to a full buffer since the last successful write. */
  private dropped = 0;

  /** A pino metadata stream: pino sets the level, message, object and logger on it before each write. */
  readonly stream: DestinationStream;

  constructor() {
    const tap = this;
    const stream: DestinationStream & LineMetadata & { [METADATA]: true } = {
      [METADATA]: true,
      write() {
        tap.capture(this);
      },
    };
    this.stream = stream;
  }

  /** Starts writing to `sink` (and writes what was logged before it was there). */
  attach(sink: LogEventSink): void {
    this.sink = sink;
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
    void this.flush();
  }

  /** Writes what is buffered and stops writing (the database is about to close); later events wait in the buffer. */
  async detach(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    this.sink = undefined;
  }

  /** Writes everything captured so far; resolves when written or, failing that, kept for the next try. Never rejects. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeBuffered());
    return this.writing;
  }

  private async writeBuffered(): Promise<void> {
    const sink = this.sink;
    if (!sink || (this.buffer.length === 0 && this.dropped === 0)) return;
    const events = this.buffer.splice(0);
    const dropped = this.dropped;
    this.dropped = 0;
    const lost: LogEvent = { at: sink.now(), level: 'warn', message: 'log events dropped while the database was unreachable', source: 'log', code: '', count: dropped };
    try {
      await sink.write(dropped > 0 ? [...events, lost] : events);
    } catch {
      // Kept for the next try, oldest first; what no longer fits is counted and reported once a write succeeds.
      this.buffer = [...events, ...this.buffer];
      this.dropped += dropped;
      this.trim();
    }
  }

  private capture(line: LineMetadata): void {
    try {
      const level = line.lastLevel ?? 0;
      if (level < 40) return;
      const obj = line.lastObj ?? {};
      const bindings = line.lastLogger?.bindings() ?? {};
      const err = obj.err as { code?: unknown } | undefined;
      this.buffer.push({
        at: this.sink?.now() ?? new Date(),
        level: level >= 60 ? 'fatal' : level >= 50 ? 'error' : 'warn',
        message: scrubMessage(typeof line.lastMsg === 'string' ? line.lastMsg : ''),
        source: identifier(obj.job, bindings.job, obj.module, bindings.module, bindings.component),
        code: identifier(err && typeof err === 'object' ? err.code : undefined, obj.reason, obj.errcode),
        count: 1,
      });
      this.trim();
      if (this.sink && this.buffer.length >= EAGER_BATCH) void this.flush();
    } catch {
      // A log line that cannot be read is not worth failing the logger for.
    }
  }

  private trim(): void {
    const excess = this.buffer.length - MAX_BUFFERED;
    if (excess <= 0) return;
    this.buffer.splice(0, excess);
    this.dropped += excess;
  }
}

/** The first value that is a short identifier (never free text, which may carry personal data), or ''. */
export function identifier(...values: unknown[]): string {
  for (const value of values) {
    const text = typeof value === 'number' ? String(value) : value;
    // A mobile number is shaped like an identifier, and is personal data.
    if (typeof text === 'string' && IDENTIFIER.test(text) && !WHOLE_MOBILE.test(text)) return text;
  }
  return '';
}

/**
 * Messages are fixed English sentences, but a few carry an error's message (start failed: …): credentials in URLs, bearer
 * tokens, credential-like query parameters, long opaque strings and mobile numbers are blanked before it is kept.
 */
export function scrubMessage(message: string): string {
  return message
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1[redacted]@')
    .replace(/\bBearer\s+\S+/gi, 'Bearer [redacted]')
    .replace(SECRET_PARAMETER, (whole, name: string) => (SECRET_PARAM.test(name) ? `${whole.slice(0, whole.indexOf('=') + 1)}[redacted]` : whole))
    .replace(/[A-Za-z0-9_+=-]{24,}/g, '[redacted]')
    .replace(MOBILE_IN_TEXT, '[redacted]')
    .slice(0, MAX_MESSAGE);
}
