/**
 * WeCom refuses a markdown message over 20,480 bytes whole. Long lists go a page at a time, and anything else too long
 * is sent as several messages in order.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdown } from '../../src/protocol/outbound';
import { byteLength, MAX_BYTES } from '../../src/protocol/sizes';
import { Chats } from './chats';
import { CHAT, numberIn } from './desk';

describe('300 open tickets', () => {
  let chats: Chats;
  beforeAll(async () => {
    chats = await Chats.open();
    const no = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000'));
    // 299 more like it for 客户中心, numbered on.
    const { db } = chats.app.ctx;
    const columns = (
      await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_name = 'tickets' AND column_name NOT IN ('id', 'no') AND table_schema = current_schema()`.execute(db)
    ).rows.map((r) => sql.ref(r.column_name));
    await sql`INSERT INTO tickets (no, ${sql.join(columns)})
      SELECT ${no.slice(0, -4)} || lpad((1000 + g)::text, 4, '0'), ${sql.join(columns)} FROM tickets, generate_series(1, 299) g WHERE no = ${no}`.execute(db);
  }, 60_000);
  afterAll(() => chats.close());

  it('/我的工单 pages them, every reply well within 20,480 bytes and accepted', async () => {
    const first = await chats.say('zhangwei', CHAT.khzx, '/我的工单');
    expect(first).toContain('（300 张，第 1/8 页）');
    expect(first).toContain('下一页请发送 `/我的工单 第2页`');
    const last = await chats.say('zhangwei', CHAT.khzx, '/我的工单 第8页');
    expect(last).toContain('（300 张，第 8/8 页）');
    expect(last.split('\n').filter((line) => /GZ\d{8}-\d{4}/.test(line))).toHaveLength(300 - 7 * 40);
    expect(last).not.toContain('下一页');
    const bad = await chats.say('zhangwei', CHAT.khzx, '/我的工单 第0页');
    expect(bad).toContain('页码从 1 开始');
    for (const reply of [first, last]) expect(byteLength(reply)).toBeLessThan(MAX_BYTES.markdown);
    const refused = await chats.app.ctx.db.selectFrom('outbox').select('id').where('status', '=', 'failed').execute();
    expect(refused).toEqual([]);
  });

  it('a push longer than WeCom allows goes as several messages in order, none refused', async () => {
    const lines = Array.from({ length: 1200 }, (_, i) => `第 ${i + 1} 行：城关镇人民路停电通知`);
    await chats.app.ctx.db.transaction().execute((tx) => chats.app.ctx.outbox.enqueue(tx, { channel: 'push', chatId: CHAT.desk, body: markdown(lines.join('\n')) }));
    await chats.delivered();
    const parts = chats.shows(CHAT.desk).filter((e) => e.content.includes('城关镇人民路停电通知'));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(byteLength(part.content)).toBeLessThanOrEqual(MAX_BYTES.markdown);
    expect(parts.map((p) => p.content.replace(/^（续上条 \d+\/\d+）\n/, '')).join('\n')).toBe(lines.join('\n'));
    const rows = await chats.app.ctx.db.selectFrom('outbox').select('status').where('chat_id', '=', CHAT.desk).where('status', '!=', 'sent').execute();
    expect(rows).toEqual([]);
  });
});
