import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundEvent, InboundHandler } from '../../src/protocol/inbound';
import { markdown } from '../../src/protocol/outbound';
import { InboxJournal } from '../../src/wecom/inbox-journal';
import { enqueue } from '../../src/wecom/outbox';
import { BOT, botSaid, eventually, harness, type Harness } from './harness';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wtb-journal-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const entry = (n: number) => ({ dedupeKey: `msg-${n}`, frame: { n, text: '停电了' }, receivedAt: new Date(1_700_000_000_000 + n) });

describe('the inbox journal', () => {
  it('holds every frame written until the inbox has them all, then empties its file', () => {
    const dir = tempDir();
    const journal = new InboxJournal(dir, 'a');
    for (let n = 0; n < 3; n++) expect(journal.append(entry(n))).toBe(true);
    const [file] = readdirSync(dir);
    expect(readFileSync(path.join(dir, file!), 'utf8').trim().split('\n')).toHaveLength(3);
    journal.recorded(2);
    expect(journal.pending).toBe(1);
    expect(statSync(path.join(dir, file!)).size).toBeGreaterThan(0);
    journal.recorded(1);
    expect(statSync(path.join(dir, file!)).size).toBe(0);
    journal.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is read back by the next transport when its own crashed, a torn last line skipped; a live one is left alone', () => {
    const dir = tempDir();
    const crashed = new InboxJournal(dir, 'crashed');
    for (let n = 0; n < 3; n++) crashed.append(entry(n));
    crashed.abandon();
    const [file] = readdirSync(dir);
    appendFileSync(path.join(dir, file!), '{"k":"msg-3","t":17000'); // the machine died mid-line
    const live = new InboxJournal(dir, 'live');
    live.append(entry(9));

    const next = new InboxJournal(dir, 'next');
    const orphans = next.orphans();
    expect(orphans.map((o) => o.entries.map((e) => e.dedupeKey))).toEqual([['msg-0', 'msg-1', 'msg-2']]);
    expect(orphans[0]!.entries[1]).toEqual(entry(1));
    next.removeOrphan(orphans[0]!.file);
    expect(next.orphans()).toEqual([]);
    expect(readdirSync(dir)).toHaveLength(1); // the live one's
    live.close();
  });

  it('refuses a frame past its bound instead of growing without end', () => {
    const journal = new InboxJournal(tempDir(), 'small', 130);
    expect(journal.append(entry(0))).toBe(true);
    expect(journal.append(entry(1))).toBe(true);
    expect(journal.append(entry(2))).toBe(false);
    expect(journal.pending).toBe(2);
    journal.recorded(2);
    expect(journal.append(entry(3))).toBe(true);
    journal.close();
  });
});

describe('frames read but not yet in the database when the holder dies', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('are read back from its journal by the next holder and handled once each, in order', async () => {
    h = await harness();
    const seen: string[] = [];
    const echo: InboundHandler = async (tx, event: InboundEvent) => {
      if (event.kind !== 'text') return;
      seen.push(event.text);
      await enqueue(tx, h.clock, BOT.botId, { channel: 'reply', chatId: event.chat.chatId, reqId: event.reqId, body: markdown(`收到：${event.text}`) });
    };
    const first = h.startBot(echo);
    await eventually(() => first.transport.isConnected());
    await h.fake.userSays({ chatId: 'wrgroup-east', userId: 'zhangsan', text: '第1条' });
    await eventually(() => botSaid(h.fake, 'wrgroup-east').length === 1);

    // The inbox table cannot be written (a lock held elsewhere): the next frames are read, journaled, and wait.
    const blocker = await h.database.pool.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE inbox IN ACCESS EXCLUSIVE MODE');
    for (let n = 2; n <= 6; n++) await h.fake.userSays({ chatId: 'wrgroup-east', userId: 'zhangsan', text: `第${n}条` });
    await eventually(() => readdirSync(h.journalDir).some((f) => readFileSync(path.join(h.journalDir, f), 'utf8').includes('第6条')));
    // The holder dies; its waiting insert dies with its connections.
    first.transport.kill();
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()`.execute(h.database.db);
    await blocker.query('ROLLBACK');
    blocker.release();
    expect(await h.database.db.selectFrom('inbox').select('id').execute()).toHaveLength(1);

    const second = h.startBot(echo);
    await eventually(() => second.transport.isConnected());
    await eventually(() => botSaid(h.fake, 'wrgroup-east').length === 6, 10_000);
    await second.transport.settled();
    expect(seen).toEqual(['第1条', '第2条', '第3条', '第4条', '第5条', '第6条']);
    expect(botSaid(h.fake, 'wrgroup-east')).toEqual(seen.map((text) => `收到：${text}`));
    expect(readdirSync(h.journalDir).every((f) => statSync(path.join(h.journalDir, f)).size === 0)).toBe(true);
  });
});
