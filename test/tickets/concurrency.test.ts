import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT, Desk, numberIn } from './desk';

let desk: Desk;
beforeAll(async () => (desk = await Desk.open()));
afterAll(() => desk.close());

describe('people acting at the same moment', () => {
  it('thirty reports at once get thirty different numbers of the day, in sequence', async () => {
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => desk.say('wangfang', CHAT.desk, `/报修 南溪镇 场镇街${i + 1}号 停电 1380000${String(i).padStart(4, '0')}`)),
    );
    const numbers = replies.map(numberIn).sort();
    expect(new Set(numbers).size).toBe(30);
    expect(numbers[0]).toBe('GZ20261124-0001');
    expect(numbers[29]).toBe('GZ20261124-0030');
  });

  it('fifty attempts to accept one ticket at the same moment: exactly one wins, the others are told who was first', async () => {
    const no = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 城关镇 滨江路8号 电杆倾斜 13900000000'));
    const crew = ['zhangwei', 'yangfan', 'huanglei', 'lijianguo'];
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => desk.say(crew[i % 4]!, CHAT.khzx, `/接单 ${no}`)));

    const accepted = (await desk.events(no)).filter((e) => e.type === 'accepted');
    expect(accepted).toHaveLength(1);
    expect(replies.filter((r) => r === `**${no}** 已接单。到达现场后请发送 \`/到达 ${no}\`。`)).toHaveLength(1);
    const refused = replies.filter((r) => r === `抱歉，${no} 已由 ${accepted[0]!.actor_name} 于 10:00 接单`);
    expect(refused).toHaveLength(49);
    expect((await desk.ticket(no)).state).toBe('accepted');
  });
});
