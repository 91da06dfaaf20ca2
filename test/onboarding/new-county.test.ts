/**
 * A new county's first day: the organisation comes from its spreadsheet, the groups bind themselves with /绑定, and a
 * group that never speaks loses nothing.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { opsSelfCheck } from '../../jobs/ops-self-check';
import { COLUMNS, tablesFromOrg, type TableName } from '../../src/domain/org/tables';
import { orgSchema } from '../../src/domain/org';
import { readFileSync } from 'node:fs';
import { frozenClock, TEST_ADMIN_TOKEN } from '../support/app';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';

const EXAMPLE = orgSchema.parse(JSON.parse(readFileSync(new URL('../../config/org.example.json', import.meta.url), 'utf8')));
/** Groups whose chat ids the county does not know yet: they bind themselves. 清水 never does until the end. */
const UNBOUND = ['khzx', 'nanxi', 'jiangkou', 'qingshui'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The county's spreadsheet: the example organisation, with mobiles, and no chat ids for the four crews. */
async function countyWorkbook(edit: (tables: Record<TableName, string[][]>) => void = () => {}): Promise<Buffer> {
  const tables = tablesFromOrg(EXAMPLE);
  for (const row of tables.单位) if (UNBOUND.includes(row[0]!)) row[4] = '';
  tables.人员.forEach((row, i) => (row[3] = `139${String(10000000 + i).padStart(8, '0')}`));
  edit(tables);
  const workbook = new ExcelJS.Workbook();
  for (const name of Object.keys(tables) as TableName[]) {
    const sheet = workbook.addWorksheet(name);
    sheet.addRow([...COLUMNS[name]]);
    for (const row of tables[name]) sheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('a new county', () => {
  let chats: Chats;
  // Monday 30 November 2026, 08:20.
  beforeAll(async () => {
    chats = await Chats.open({}, frozenClock(new Date('2026-11-30T08:20:00+08:00')), { env: { OPS_REPORTS: '1' }, activate: false });
  }, 60_000);
  afterAll(() => chats.close());

  const upload = (body: Buffer) =>
    fetch(`${chats.app.url}/api/org/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': XLSX },
      body: new Uint8Array(body),
    });

  it('imports its organisation from XLSX, binds three groups with /绑定, and one silent group still gets its card when it speaks', async () => {
    // A sheet with mistakes changes nothing and says every row that is wrong.
    const bad = await upload(
      await countyWorkbook((t) => {
        t.人员[2]![0] = '不存在的班组';
        t.区域[0]![4] = '市区';
      }),
    );
    expect(bad.status).toBe(400);
    const refusal = (await bad.json()) as { error: { message: string } };
    expect(refusal.error.message).toContain('组织机构没有改动');
    expect(refusal.error.message).toContain('人员 第 4 行：单位「不存在的班组」不在「单位」表里');
    expect(refusal.error.message).toContain('区域 第 2 行：类别「市区」不对');

    const imported = await upload(await countyWorkbook());
    expect(imported.status).toBe(200);
    const result = (await imported.json()) as { imported: { units: number; areas: number; people: number }; unbound: string[] };
    expect(result.imported).toEqual({ units: 12, areas: EXAMPLE.areas.length, people: 32 });
    expect(result.unbound).toEqual(['客户中心', '南溪供电所', '江口供电所', '清水供电所']);
    // The export gives the same tables back.
    const exported = await (await chats.app.api('/api/org/export?format=csv')).text();
    expect(exported).toMatch(/^人员,.*,xiushi,zhaogang,赵刚,139\d{8},/m);

    // Groups with known ids @ the bot on day one; three crews bind themselves, by their leaders.
    for (const [name, chatId] of Object.entries(CHAT)) if (!UNBOUND.includes(name)) await chats.activate(chatId);
    expect(await chats.say('xuliang', CHAT.jiangkou, '/绑定 江口供电所')).toContain('只有江口供电所负责人');
    expect(await chats.say('hejun', CHAT.jiangkou, '/绑定 江口供电所')).toContain('已将本群绑定为「江口供电所」的工作群');
    expect(await chats.say('lijianguo', CHAT.khzx, '/绑定 客户中心')).toContain('已将本群绑定为「客户中心」');
    expect(await chats.say('wuhai', CHAT.nanxi, '/绑定 南溪供电所')).toContain('已将本群绑定为「南溪供电所」');
    expect(await chats.say('wuhai', CHAT.nanxi, '/绑定 南溪供电所')).toContain('无需重复绑定');

    // A fault in 江口镇 reaches its bound group; one in 清水乡 waits for a group that never spoke.
    const jk = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 江口镇 新街5号 粮站旁 低压线断落 王五 13700000000'));
    const qs = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 清水乡 场镇12号 卫生院对面 变压器异响 赵六 13600000000'));
    await chats.waitFor(CHAT.jiangkou, (e) => e.kind === 'card' && e.content.includes(jk));
    // The notice is queued right after WeCom's refusal.
    await chats.waitFor(CHAT.desk, (e) => e.content.includes('消息未送达'));
    await chats.delivered();
    const notices = () => chats.shows(CHAT.desk).filter((e) => e.content.includes('消息未送达'));
    expect(notices()).toHaveLength(1);
    expect(notices()[0]!.content).toContain('清水供电所');
    expect(notices()[0]!.content).toContain(qs);

    // The 08:30 self-check lists the silent group.
    chats.clock.advance(10 * 60_000);
    await opsSelfCheck.handle(chats.app.jobs.services);
    const check = await chats.waitFor(CHAT.desk, (e) => e.content.includes('系统巡视'));
    expect(check.content).toMatch(/1 个群未激活<\/font>：清水供电所/);

    // 清水's leader finally @-s the bot in the group: it binds, and the kept card arrives there.
    // Every push to the silent group answered and recorded (outcomes are recorded in groups, a moment after the send).
    const forSilent = () => chats.app.ctx.db.selectFrom('outbox').select(['status', 'body']).where('chat_id', '=', 'unbound-qingshui').execute();
    await vi.waitFor(async () => expect((await forSilent()).every((r) => r.status === 'waiting')).toBe(true), { timeout: 10_000 });
    const kept = await forSilent();
    expect(kept.some((r) => JSON.stringify(r.body).includes(qs))).toBe(true);
    expect(await chats.say('denglin', CHAT.qingshui, '/绑定 清水供电所')).toContain(`此前未能送达的 ${kept.length} 条消息现在发出`);
    const card = await chats.waitFor(CHAT.qingshui, (e) => e.kind === 'card' && e.content.includes(qs));
    expect(card.content).toContain('清水乡');
    expect(notices()).toHaveLength(1);
    const ready = (await (await chats.app.api('/readyz', { token: null })).json()) as { notActivated: string[] };
    expect(ready.notActivated).toEqual([]);
  }, 90_000);
});
