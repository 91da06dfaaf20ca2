import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/database';
import { recordLogEvents } from '../../src/domain/ops/index';
import { createLogger, LogEventTap, scrubMessage } from '../../src/log';
import { createTestDatabase, type TestDatabase } from '../support/db';

/** The logger must never wait on the database or fail because of it; what it cannot write it counts. */
let database: TestDatabase;
beforeAll(async () => (database = await createTestDatabase()));
afterAll(() => database?.close());

const now = () => new Date('2026-11-25T02:00:00Z');

describe('warnings and errors on their way to the database', () => {
  it('keep logging at full speed while the database is unreachable, keep the newest 1000 and count the rest', async () => {
    const tap = new LogEventTap();
    const logger = createLogger('silent', 1, tap);
    // Nothing listens on port 1: every write fails as a database that is down does.
    const down = connectDatabase('postgres://desk@127.0.0.1:1/none');
    tap.attach({ now, write: (events) => recordLogEvents(down.db, events) });

    const started = performance.now();
    for (let i = 0; i < 1500; i++) logger.warn({ attempt: i }, 'marketing system did not answer');
    logger.info('not a warning');
    const loggedMs = performance.now() - started;
    await tap.flush();
    await down.close();
    // 1500 lines in well under a second (one database round trip alone would be more than this per line).
    expect(loggedMs).toBeLessThan(500);

    tap.attach({ now, write: (events) => recordLogEvents(database.db, events) });
    await tap.flush();
    await tap.detach();
    const rows = await database.db.selectFrom('log_events').select(['level', 'message', 'source', 'count']).orderBy('message').execute();
    expect(rows).toEqual([
      { level: 'warn', message: 'log events dropped while the database was unreachable', source: 'log', count: 500 },
      { level: 'warn', message: 'marketing system did not answer', source: '', count: 1000 },
    ]);
  });

  it('writes only what is safe to keep', () => {
    expect(scrubMessage('start failed: cannot reach DATABASE_URL postgres://bot:s3cret@10.0.0.5:5432/desk')).toBe(
      'start failed: cannot reach DATABASE_URL postgres://[redacted]@10.0.0.5:5432/desk',
    );
    expect(scrubMessage('webhook https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx refused')).toBe(
      'webhook https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=[redacted] refused',
    );
    expect(scrubMessage('Authorization: Bearer abc.def and token ghp_0123456789abcdefghijklmnopqrstuv')).toBe(
      'Authorization: Bearer [redacted] and token [redacted]',
    );
    expect(scrubMessage('customer 13800000000 called')).toBe('customer [redacted] called');
    expect(scrubMessage('word '.repeat(100))).toHaveLength(300);
  });
});
