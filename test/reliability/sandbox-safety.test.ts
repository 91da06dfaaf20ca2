import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import { ConfigError, listenHost, loadConfig } from '../../src/config';
import { recordRealBot } from '../../src/db/service-facts';
import { markdown } from '../../src/protocol/outbound';
import { enqueue } from '../../src/wecom/outbox';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { frozenClock } from '../support/app';

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const database of databases) await database.close();
});

describe('the sandbox runs only on purpose', () => {
  it('refuses DATABASE_URL without bot credentials in one line naming what to set, and never echoes the URL', () => {
    const url = 'postgres://desk:hunter2@db:5432/desk';
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(ConfigError);
    try {
      loadConfig({ DATABASE_URL: url });
    } catch (error) {
      const message = (error as Error).message;
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toContain('SANDBOX=1');
      expect(message).not.toContain('hunter2');
    }
    expect(loadConfig({ DATABASE_URL: url, SANDBOX: '1' }).SANDBOX).toBe('1');
    expect(() => loadConfig({ SANDBOX: '1', WECOM_BOT_ID: 'b', WECOM_BOT_SECRET: 's' })).toThrow(/SANDBOX/);
  });

  it('listens on loopback unless HOST says otherwise; a real bot keeps 0.0.0.0', () => {
    expect(listenHost(loadConfig({}))).toBe('127.0.0.1');
    expect(listenHost(loadConfig({ HOST: '0.0.0.0' }))).toBe('0.0.0.0');
    expect(listenHost(loadConfig({ WECOM_BOT_ID: 'b', WECOM_BOT_SECRET: 's' }))).toBe('0.0.0.0');
  });

  it('refuses the sandbox on a database that served a real bot, even with SANDBOX=1, and writes nothing there', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    await recordRealBot(database.db, 'real-bot');
    // A real bot's queue and work: a message waiting and a ticket whose deadline a fast-forward would fire.
    const clock = frozenClock();
    await enqueue(database.db, clock, 'real-bot', { channel: 'push', chatId: 'wrgroup-desk', body: markdown('真实消息') });
    const counts = () =>
      sql<{ name: string; n: number }>`
        SELECT 'outbox' AS name, count(*)::int AS n FROM outbox UNION ALL SELECT 'tickets', count(*)::int FROM tickets
        UNION ALL SELECT 'sla_clocks', count(*)::int FROM sla_clocks UNION ALL SELECT 'org_versions', count(*)::int FROM org_versions
        UNION ALL SELECT 'agenda_jobs', count(*)::int FROM agenda_jobs`.execute(database.db).then((r) => r.rows);
    const before = await counts();
    const logger = pino({ level: 'silent' });
    // An embedded data directory without credentials: the configuration alone cannot tell, the database does.
    const embeddedLike = { ...loadConfig({ DATABASE_URL: database.url, PORT: '0', SANDBOX: '1', LOG_LEVEL: 'silent' }), SANDBOX: '0' as const };
    await expect(startApp(embeddedLike, { clock, logger })).rejects.toThrow(/served the real WeCom bot real-bot/);
    await expect(startApp({ ...embeddedLike, SANDBOX: '1' }, { clock, logger })).rejects.toThrow(/sandbox never runs on real work/);
    expect(await counts()).toEqual(before);
    const rows = await database.db.selectFrom('outbox').select(['status', 'locked_by']).execute();
    expect(rows).toEqual([{ status: 'pending', locked_by: null }]);
  });
});
