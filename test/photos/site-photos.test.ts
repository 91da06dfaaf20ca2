/**
 * Site photos from a crew: sent with /现场 (a mixed message), WeCom's encrypted media fetched within its 5 minutes, kept
 * with the ticket and in the backup; a photo-only message is answered; an expired link is said, not swallowed.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeBackup } from '../../src/backup/backup';
import { backupTargets } from '../../src/backup/files';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';

const photo = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(40_000 + n * 777, n)]);

describe('site photos', () => {
  let chats: Chats;
  let dir: string;
  let no: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'wtb-photos-'));
    chats = await Chats.open({}, undefined, { env: { BACKUP_DIR: dir } });
    no = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000'));
    await chats.say('zhangwei', CHAT.khzx, `/接单 ${no}`);
    await chats.say('zhangwei', CHAT.khzx, `/到达 ${no}`);
  }, 60_000);
  afterAll(async () => {
    await chats.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A crew member sends something; resolves with the bot's answer to it. */
  async function send(p: Parameters<Chats['fake']['userSends']>[0]): Promise<string> {
    const { reqId } = await chats.fake.userSends(p);
    const answer = await chats.fake.waitFor(
      () => chats.fake.frames.find((f) => f.direction === 'in' && f.cmd === 'aibot_respond_msg' && f.reqId === reqId),
      10_000,
    );
    return (answer.json as { body: { markdown: { content: string } } }).body.markdown.content;
  }

  it('/现场 with two photos keeps both, byte for byte, on the ticket, in /查单, the console and the backup', async () => {
    const reply = await send({ chatId: CHAT.khzx, userId: 'zhangwei', text: `/现场 ${no} 跌落式熔断器烧毁`, images: [photo(1), photo(2)] });
    expect(reply).toContain('已收到 2 张照片');
    const stored = await chats.app.ctx.db.selectFrom('ticket_photos').select(['bytes', 'sent_by']).orderBy('id').execute();
    expect(stored.map((r) => r.bytes.equals(photo(1)) || r.bytes.equals(photo(2)))).toEqual([true, true]);
    expect(stored[0]!.bytes.equals(photo(1))).toBe(true);
    // Each was fetched within its minutes.
    expect(chats.fake.media.fetches.filter((f) => f.ok)).toHaveLength(2);

    expect(await chats.say('liumin', CHAT.desk, `/查单 ${no}`)).toContain('现场照片：2 张');
    const detail = (await (await chats.app.api(`/api/tickets/${no}`)).json()) as { photos: { url: string; size: number }[] };
    expect(detail.photos.map((p) => p.size)).toEqual([photo(1).length, photo(2).length]);
    const served = await chats.app.api(detail.photos[1]!.url);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await served.arrayBuffer()).equals(photo(2))).toBe(true);

    const backup = await takeBackup(chats.app.ctx.database.pool, backupTargets(chats.app.ctx.config), pino({ level: 'silent' }));
    const text = gunzipSync(await readFile(backup!.file)).toString('latin1');
    expect(text).toContain('ticket_photos');
    expect(text).toContain(photo(2).toString('hex').slice(0, 2000));
  });

  it('a photo-only message is told how to attach it; quoting the card with photos attaches them; an expired link is said', async () => {
    const alone = await send({ chatId: CHAT.khzx, userId: 'zhangwei', text: '', images: [photo(3)] });
    expect(alone).toContain('不知道是哪张工单的');
    expect(alone).toContain('/现场 单号');

    const quoted = await send({ chatId: CHAT.khzx, userId: 'zhangwei', text: '', images: [photo(4)], quote: { text: `故障抢修 ${no} 已到达` } });
    expect(quoted).toContain(`已收到 1 张照片，已存入工单 ${no}`);

    // WeCom's link lives 5 minutes; handled later than that, the download fails and the crew is told to send again.
    const late = await send({ chatId: CHAT.khzx, userId: 'zhangwei', text: `/现场 ${no} 补拍`, images: [photo(5), photo(6)], expiredMedia: true });
    expect(late).toContain('已收到 0 张照片');
    expect(late).toContain('第 1、2 张照片下载失败（链接已过期或网络不通），请重新发送');
    expect(await chats.app.ctx.db.selectFrom('ticket_photos').select('id').execute()).toHaveLength(3);
  });

  it('a voice message in the 1:1 chat is read like typed text, the transcript echoed so a misheard number is caught', async () => {
    const reply = await send({ userId: 'liumin', voice: `/查单 ${no}` });
    expect(reply.startsWith(`（语音识别：/查单 ${no}）\n`)).toBe(true);
    expect(reply).toContain('现场照片：3 张');
  });

  it('quoting the ticket’s card and typing 完成 acts on that ticket without its number', async () => {
    const done = await send({ chatId: CHAT.khzx, userId: 'zhangwei', text: '完成 更换熔断器，已恢复供电', quote: { text: `故障抢修 ${no}` } });
    expect(done).toContain(no);
    expect(done).not.toContain('抱歉');
  });
});
