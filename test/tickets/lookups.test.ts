import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECTIONS } from '../../src/chat/define';
import { readArgs, splitCommand, validateArgs } from '../../src/chat/parse';
import { COMMANDS } from '../../commands';
import { Registry } from '../../src/chat/registry';
import { Org, orgSchema } from '../../src/domain/org';
import { CHAT, Desk, numberIn } from './desk';

let desk: Desk;
beforeAll(async () => (desk = await Desk.open()));
afterAll(() => desk.close());

describe('help', () => {
  it('/帮助 lists every command under its section; /帮助 报修 shows one with its aliases', async () => {
    const registry = new Registry(COMMANDS);
    const list = await desk.say('chenjing', CHAT.desk, '/帮助');
    for (const section of SECTIONS) expect(list).toContain(`**${section}**`);
    for (const command of registry.commands) expect(list).toContain(`- \`/${command.name}\` ${command.summary}`);

    expect(await desk.say('chenjing', CHAT.desk, '/help repair')).toBe(
      [
        '**/报修** 故障报修：已知停电或同一故障直接告知客户，否则派工给抢修单位',
        '用法：`/报修 区域 地址 [地标] 情况 [姓名] 电话`',
        '例如：`/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000`',
        '也可以写作：/repair、/bx、/故障报修、/故障',
      ].join('\n'),
    );
  });

  it('every example in the help reads as a complete command', async () => {
    const registry = new Registry(COMMANDS);
    const org = new Org(1, orgSchema.parse(JSON.parse(readFileSync('config/org.example.json', 'utf8'))));
    for (const command of registry.commands) {
      const { word, rest } = splitCommand(command.example)!;
      const found = registry.findPhrase(word, rest);
      expect(found?.command.name, command.example).toBe(command.name);
      const raw = readArgs(command.schema.shape, found!.rest, { areas: org.areaSpellings(), now: desk.app.clock.now() });
      expect(validateArgs(command.schema, raw), command.example).toMatchObject({ ok: true });
    }
  });
});

describe('my tickets', () => {
  it('a crew member sees what the unit must still do, and nothing that is done or elsewhere', async () => {
    const waiting = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 城关镇 解放路1号 停电 13800000001'));
    const accepted = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 青龙街道 滨江路2号 电线落地 13800000002'));
    const done = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 双江街道 江北路3号 表箱冒烟 13800000003'));
    const elsewhere = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 南溪镇 场镇街4号 停电 13800000004'));
    await desk.say('yangfan', CHAT.khzx, `/接单 ${accepted}`);
    await desk.say('yangfan', CHAT.khzx, `/接单 ${done}`);
    await desk.say('yangfan', CHAT.khzx, `/到达 ${done}`);
    await desk.say('yangfan', CHAT.khzx, `/完成 ${done} 更换表箱`);

    const mine = await desk.say('huanglei', CHAT.khzx, '/我的工单');
    expect(mine).toContain('**客户中心待办**（2 张）');
    expect(mine).toContain(`- **${waiting}** 故障报修 · 城关镇 解放路1号 · 已派工，待接单 · 客户中心`);
    expect(mine).toContain(`- **${accepted}** 故障报修 · 青龙街道 滨江路2号 · 已接单 · 客户中心`);
    expect(mine).not.toContain(done);
    expect(mine).not.toContain(elsewhere);
  });

  it('the desk sees what waits for the desk: tickets to review, to re-dispatch, to answer', async () => {
    const returned = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 龙角镇 新街5号 停电 13800000005'));
    await desk.say('zhengyong', CHAT.nanxi, `/退回 ${returned} 该处属江口供电所`);
    const question = numberIn(await desk.say('wangfang', CHAT.desk, '/咨询 新装空调要不要报装'));
    // The desk's once the asker wants a person rather than one of the knowledge base's candidates.
    await desk.say('wangfang', CHAT.desk, '转人工');
    const mine = await desk.say('liumin', CHAT.desk, '/我的工单');
    expect(mine).toContain('**客户服务班待办**');
    expect(mine).toContain(`**${returned}** 故障报修 · 龙角镇 新街5号 · 已退回客服班 · 南溪供电所`);
    expect(mine).toContain(`**${question}** 咨询 · 新装空调要不要报装 · 已受理 · 客户服务班`);
    expect(mine).toMatch(/已完成，待审核/);
  });

  it('someone outside the organisation is told so', async () => {
    expect(await desk.say('visitor', CHAT.desk, '/我的工单')).toBe('**本单位待办**\n您不在组织机构名单中，请联系客服班维护。');
  });
});
