import { closeSync, fdatasync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * The inbox's local journal: every frame is appended here, synchronously, the moment it is read from the socket and
 * before anything else happens to it, so neither a database outage nor a kill -9 loses a frame the process has read
 * (what a kill can still lose is what the kernel held in the socket buffer). The write reaches the page cache at once,
 * which outlives the process; an fdatasync follows within milliseconds for the machine. Once every frame written is
 * in the inbox table the file is emptied; while the database is away it grows, up to `maxBytes`.
 *
 * One file per transport (`<pid>.<process start>.<tag>.jsonl`); a file whose process is gone (or whose pid now names
 * a process started at another time) is an orphan, read back into the inbox by the next process on this machine and
 * then removed. A line that did not reach the disk whole (a machine crash) is
 * skipped. Replaying is safe because the inbox keys frames by msgid: a frame recorded already is a no-op.
 */
export interface JournalEntry {
  dedupeKey: string;
  frame: unknown;
  receivedAt: Date;
}

export interface OrphanJournal {
  file: string;
  entries: JournalEntry[];
}

/** Frames wait in the page cache at most this long before their fdatasync. */
const SYNC_WINDOW_MS = 5;
/** Journals a transport of this process left as a crash would (tests): orphans although their process lives. */
const ABANDONED_HERE = new Set<string>();

export class InboxJournal {
  private fd: number | undefined;
  private readonly file: string;
  private bytes = 0;
  private unrecorded = 0;
  private syncTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    tag: string,
    private readonly maxBytes = 256 * 1024 * 1024,
  ) {
    this.file = path.join(dir, `${process.pid}.${processStart(process.pid) ?? 0}.${tag.replace(/[^A-Za-z0-9]/g, '')}.jsonl`);
  }

  /** Frames written and not yet recorded in the inbox table. */
  get pending(): number {
    return this.unrecorded;
  }

  /** Appends one frame; false when the journal is full (the frame is then only in memory). */
  append(entry: JournalEntry): boolean {
    const line = `${JSON.stringify({ k: entry.dedupeKey, t: entry.receivedAt.getTime(), f: entry.frame })}\n`;
    const size = Buffer.byteLength(line);
    if (this.bytes + size > this.maxBytes) return false;
    if (this.fd === undefined) {
      mkdirSync(this.dir, { recursive: true });
      this.fd = openSync(this.file, 'a');
    }
    writeSync(this.fd, line);
    this.bytes += size;
    this.unrecorded++;
    this.syncTimer ??= setTimeout(() => {
      this.syncTimer = undefined;
      if (this.fd !== undefined) fdatasync(this.fd, () => undefined);
    }, SYNC_WINDOW_MS);
    return true;
  }

  /** `count` frames of the journal are in the inbox table now; when none is left the file is emptied. */
  recorded(count: number): void {
    this.unrecorded = Math.max(0, this.unrecorded - count);
    if (this.unrecorded === 0 && this.bytes > 0 && this.fd !== undefined) {
      ftruncateSync(this.fd, 0);
      this.bytes = 0;
    }
  }

  /** Journals left by processes that are gone (a crash, a kill -9), oldest file first. */
  orphans(): OrphanJournal[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => name.endsWith('.jsonl'));
    } catch {
      return [];
    }
    return names
      .map((name) => path.join(this.dir, name))
      .filter((file) => ABANDONED_HERE.has(file) || !processAlive(path.basename(file)))
      .map((file) => ({ file, entries: readEntries(file) }));
  }

  /** An orphan's frames are all in the inbox table. */
  removeOrphan(file: string): void {
    rmSync(file, { force: true });
    ABANDONED_HERE.delete(file);
  }

  /** Closes the file; an empty one is removed, a non-empty one stays for the next process. */
  close(): void {
    this.abandon();
    if (this.unrecorded === 0) rmSync(this.file, { force: true });
  }

  /** Closes the file as a crash would leave it (tests): what it holds is an orphan for the next transport. */
  abandon(): void {
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    if (this.unrecorded > 0) ABANDONED_HERE.add(this.file);
  }
}

function readEntries(file: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      const { k, t, f } = JSON.parse(line) as { k: unknown; t: unknown; f: unknown };
      if (typeof k === 'string' && typeof t === 'number') entries.push({ dedupeKey: k, receivedAt: new Date(t), frame: f });
    } catch {
      // A torn last line: it never reached the disk whole.
    }
  }
  return entries;
}

/** The process named by a journal's file is running: its pid is alive and was started when the name says. */
function processAlive(name: string): boolean {
  const [pidText, started] = name.split('.');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A container restarts its service as the same pid: the start time tells an earlier life from this one.
  const now = processStart(pid);
  return now === undefined || started === '0' || now === started;
}

/** The process's start time in clock ticks since boot (Linux), undefined where /proc does not tell. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
