import type Router from '@koa/router';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ApiError, parseBody, parseQuery } from '../http/errors';
import type { FakeWeCom } from '../../fake-wecom/index';
import { advanceSchema, type SandboxClock } from './sandbox-clock';
import type { SandboxDirectory } from './sandbox-directory';
import { chatViews } from './sandbox-view';
import { staticPage } from './static-page';


const userId = z.string().trim().min(1).max(64);
const saySchema = z.object({ chatId: z.string().min(1).max(128), userId, text: z.string().trim().min(1).max(2000) });
const tapSchema = z.object({ taskId: z.string().min(1).max(128), eventKey: z.string().min(1).max(1024), userId });
const viewerSchema = z.object({ as: userId.optional() });

/**
 * `/sandbox`: the page, and the small JSON endpoints it polls and posts to. Mounted only in sandbox mode, so with
 * WeCom credentials every path here is a 404.
 */
/** What the page's endpoints act on: the in-process WeCom, the sandbox clock, and whether the bot is connected. */
export interface SandboxRouteDeps {
  fake: FakeWeCom;
  clock: SandboxClock;
  chats: { clear(): Promise<void>; save(): Promise<void> };
  saveClock(): Promise<void>;
  botName: string;
  online(): boolean;
}

export function sandboxRoutes(root: Router, sandbox: SandboxRouteDeps, directory: () => Promise<SandboxDirectory>): void {
  const { fake } = sandbox;

  staticPage(root, 'sandbox');

  root.get('/sandbox/api/directory', async (ctx) => {
    ctx.body = { botName: sandbox.botName, ...(await directory()) };
  });

  // Polled by the page; an unchanged answer is a 304 so an idle page costs next to nothing.
  root.get('/sandbox/api/chats', async (ctx) => {
    const { as: viewer } = parseQuery(viewerSchema, ctx.query);
    const { groups } = await directory();
    const chatIds = [...groups.map((g) => g.chatId), ...(viewer ? [viewer] : [])];
    const chats = chatViews(fake, chatIds, viewer, sandbox.clock.now());
    const body = JSON.stringify({ clock: sandbox.clock.view(), online: sandbox.online(), chats });
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    ctx.set('cache-control', 'no-store');
    ctx.set('etag', etag);
    // Compared by hand: fetch() adds "cache-control: no-cache" to conditional requests, and Koa's ctx.fresh then refuses.
    if (ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = body;
  });

  // A picture the bot sent into a chat (the leaders' digest), as the chat shows it.
  root.get('/sandbox/api/media/:id', (ctx) => {
    const bytes = fake.image(ctx.params.id ?? '');
    if (!bytes) throw new ApiError(404, 'media_not_found', '图片已不在沙盒中（重启后只保留文字记录）');
    ctx.type = 'image/png';
    ctx.set('cache-control', 'private, max-age=3600');
    ctx.body = bytes;
  });

  root.post('/sandbox/api/say', async (ctx) => {
    const say = parseBody(saySchema, ctx.request.body);
    const single = say.chatId === say.userId;
    if (!single) await requireMember(directory, say.chatId, say.userId);
    await fake.userSays({
      userId: say.userId,
      text: say.text,
      ...(single ? { chatType: 'single' as const } : { chatId: say.chatId, chatType: 'group' as const }),
    });
    ctx.status = 202;
    ctx.body = { ok: true };
  });

  // The tour's 激活 step: each group's first member @-s the bot once (WeCom allows pushes only after that).
  root.post('/sandbox/api/activate', async (ctx) => {
    const { groups } = await directory();
    const silent = groups.filter((g) => g.members[0] && !fake.activated(g.chatId));
    for (const g of silent) await fake.userSays({ chatId: g.chatId, chatType: 'group', userId: g.members[0]!, text: '' });
    ctx.body = { activated: silent.length };
  });

  root.post('/sandbox/api/tap', async (ctx) => {
    const tap = parseBody(tapSchema, ctx.request.body);
    const shown = fake.card(tap.taskId);
    if (!shown) throw new ApiError(404, 'card_not_found', '找不到这张卡片');
    if (shown.chatId !== tap.userId) await requireMember(directory, shown.chatId, tap.userId);
    try {
      await fake.tap(tap);
    } catch {
      // The fake refuses a key the card no longer shows to this person (already updated by someone else).
      throw new ApiError(409, 'button_gone', '这个按钮已经不在卡片上了，请看卡片的最新状态');
    }
    ctx.status = 202;
    ctx.body = { ok: true };
  });

  root.post('/sandbox/api/clock', async (ctx) => {
    const { step } = parseBody(advanceSchema, ctx.request.body);
    const clock = sandbox.clock.advance(step);
    await sandbox.saveClock();
    ctx.body = { clock };
  });

  // 重置沙盒: every chat empty again. The clock stays where it is: tickets and timers were written on it.
  root.post('/sandbox/api/reset', async (ctx) => {
    await sandbox.chats.clear();
    ctx.body = { ok: true };
  });
}

/** Only the people in a group can write or tap there, as in WeCom. */
async function requireMember(directory: () => Promise<SandboxDirectory>, chatId: string, userId: string): Promise<void> {
  const group = (await directory()).groups.find((g) => g.chatId === chatId);
  if (!group) throw new ApiError(404, 'chat_not_found', '沙盒里没有这个群');
  if (!group.members.includes(userId)) throw new ApiError(403, 'not_a_member', '你不在这个群里，请先切换成群成员');
}
