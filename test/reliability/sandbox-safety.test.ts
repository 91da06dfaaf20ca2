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

  it('refuses the sandbox on a database that served a real bot, unless SANDBOX=1', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    await recordRealBot(database.db, 'real-bot');
    // An embedded data directory without credentials: the configuration alone cannot tell, the database does.
    const embeddedLike = { ...loadConfig({ DATABASE_URL: database.url, PORT: '0', SANDBOX: '1', LOG_LEVEL: 'silent' }), SANDBOX: '0' as const };
    const logger = pino({ level: 'silent' });
    await expect(startApp(embeddedLike, { clock: frozenClock(), logger })).rejects.toThrow(/served the real WeCom bot real-bot/);
    // A real bot's queue, and a row from before rows carried their bot: the sandbox's WeCom must take neither.
    const clock = frozenClock();
    await enqueue(database.db, clock, 'real-bot', { channel: 'push', chatId: 'wrgroup-desk', body: markdown('真实消息') });
    await enqueue(database.db, clock, 'real-bot', { channel: 'push', chatId: 'wrgroup-desk', body: markdown('旧消息') });
    await database.db.updateTable('outbox').set({ bot_id: null }).where('body', '=', JSON.stringify(markdown('旧消息'))).execute();
    const onPurpose = await startApp({ ...embeddedLike, SANDBOX: '1' }, { clock, logger });
    try {
      expect(onPurpose.sandbox).toBe(true);
      expect(onPurpose.url).toContain('127.0.0.1');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const rows = await database.db
        .selectFrom('outbox')
        .select(['status', 'locked_by'])
        .where((eb) => eb.or([eb('bot_id', 'is', null), eb('bot_id', '=', 'real-bot')]))
        .execute();
      expect(rows).toEqual([
        { status: 'pending', locked_by: null },
        { status: 'pending', locked_by: null },
      ]);
    } finally {
      await onPurpose.stop();
    }
  });
});
