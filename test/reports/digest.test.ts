import { decode } from 'fast-png';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PICTURE_SIZE } from '../../src/domain/reports/pictures';
import { frozenClock } from '../support/app';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';

const MINUTE = 60_000;
let chats: Chats;
// Saturday morning: no digest on a day off.
beforeAll(async () => (chats = await Chats.open({}, frozenClock(new Date('2026-11-21T10:00:00+08:00')))), 60_000);
afterAll(() => chats.close());

const isDigest = (e: { kind: string; content: string }) => e.kind === 'markdown' && e.content.includes('每日简报');
const digests = () => chats.shows(CHAT.leaders).filter(isDigest);

it('leaders get one morning digest on the next working day, covering the weekend, with what is late and where', async () => {
  const repair = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000'));
  numberIn(await chats.say('wangfang', CHAT.desk, '/投诉 城关供电所 抄表员态度恶劣 要求:道歉 李四 13900000000'));
  expect(digests()).toEqual([]);

  // Monday 08:00, before working hours: still nothing.
  chats.clock.advance((2 * 24 - 2) * 60 * MINUTE);
  await chats.app.jobs.services.digest.sendIfDue();
  expect(digests()).toEqual([]);

  // 08:30, the start of working hours: one picture, uploaded as temporary media, then a few lines beside it.
  const leadersBefore = chats.shows(CHAT.leaders).length;
  chats.clock.advance(30 * MINUTE);
  const digest = await chats.waitFor(CHAT.leaders, isDigest);
  // (Escalations reach the same chat at the same moment: only the digest's own messages are looked at.)
  const [image, text, ...more] = chats
    .shows(CHAT.leaders)
    .slice(leadersBefore)
    .filter((e) => e.kind === 'media' || isDigest(e));
  expect(more).toEqual([]);
  expect(text).toEqual(digest);
  expect(image).toMatchObject({ kind: 'media', content: '[image] 每日简报-2026-11-23.png' });
  const uploads = chats.fake.frames.filter((f) => f.direction === 'in' && f.cmd?.startsWith('aibot_upload_media_')).map((f) => f.cmd);
  expect(uploads).toEqual(['aibot_upload_media_init', 'aibot_upload_media_chunk', 'aibot_upload_media_finish']);
  const png = decode(chats.fake.image(image!.mediaId!)!);
  expect({ width: png.width, height: png.height }).toEqual(PICTURE_SIZE);
  // Short: the per-unit figures are in the picture.
  expect(Buffer.byteLength(digest.content)).toBeLessThan(600);
  const lines = digest.content.split('\n');
  expect(lines[0]).toBe('**95598 每日简报 · 11月23日（周一）**');
  expect(lines[1]).toBe('11月20日（周五）至11月22日（周日）受理 2 件：故障报修 1 · 投诉 1');
  // Overdue is counted in tickets, among the open ones: the repair is late, the complaint's working day is not over.
  expect(lines[3]).toBe('在办 2 件（其中超时 1 件），各单位见上图');
  // The repair was never accepted: the customer centre owes it.
  expect(lines[4]).toMatch(/^<font color="warning">超时 1 件<\/font>：客户中心 1（/);
  expect(repair).toMatch(/^GZ20261121-/);

  // Later sweeps and a second look the same day send nothing more.
  chats.clock.advance(60 * MINUTE);
  await chats.app.jobs.services.digest.sendIfDue();
  await chats.app.jobs.services.digest.sendIfDue();
  expect(digests()).toHaveLength(1);
  expect(chats.shows(CHAT.leaders).filter((e) => e.kind === 'media')).toHaveLength(1);
});
