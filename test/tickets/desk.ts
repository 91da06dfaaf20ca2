import { fromShanghai } from '../../src/calendar/calendar';
import { createInboundHandler } from '../../src/chat/index';
import type { Ticket, TicketEvent } from '../../src/domain/tickets/session';
import type { InboundEvent, InboundHandler } from '../../src/protocol/inbound';
import type { TemplateCard } from '../../src/protocol/outbound';
import { renderCard } from '../../fake-wecom/cards';
import type { TemplateCard as WireCard } from '../../fake-wecom/schemas';
import { COMMANDS } from '../../commands';
import { frozenClock, startTestApp, type TestApp, type TestAppOptions } from '../support/app';

/**
 * The county organisation of config/org.example.json, as the stories below name it: chats and people.
 */
export const CHAT = {
  desk: 'wrkSFfCgAA_kefuban',
  khzx: 'wrkSFfCgAA_kehuzhongxin',
  nanxi: 'wrkSFfCgAA_nanxi',
  qingshui: 'wrkSFfCgAA_qingshui',
  jiangkou: 'wrkSFfCgAA_jiangkou',
  xiushi: 'wrkSFfCgAA_xiushisuo',
  dispatch: 'wrkSFfCgAA_diaodu',
  szb: 'wrkSFfCgAA_zhenggong',
  yxb: 'wrkSFfCgAA_yingxiao',
  scb: 'wrkSFfCgAA_shengji',
  gsb: 'wrkSFfCgAA_bangongshi',
  leaders: 'wrkSFfCgAA_lingdao',
} as const;

export const PEOPLE = {
  /** 客服班值班员 */
  wangfang: 'wangfang',
  liumin: 'liumin',
  /** 客户中心抢修值班 */
  zhangwei: 'zhangwei',
  yangfan: 'yangfan',
  huanglei: 'huanglei',
  /** 南溪供电所 */
  zhengyong: 'zhengyong',
  /** 修试所 */
  sunqiang: 'sunqiang',
} as const;

/** One line per message a chat would show, in order: markdown as sent, cards rendered as a person sees them. */
export interface Seen {
  id: number;
  chatId: string;
  channel: 'reply' | 'push' | 'update' | 'webhook';
  text: string;
  taskId?: string;
  /** For card updates: only these users' views change. */
  userIds?: string[];
}

/**
 * The bot's inbound handler on a real app and database with a frozen clock, played without the network: people say
 * things in chats and tap cards, and each chat's outbox rows show what they would see.
 */
export class Desk {
  private seq = 0;
  readonly handler: InboundHandler;

  private constructor(readonly app: TestApp) {
    this.handler = createInboundHandler(app.ctx, COMMANDS);
  }

  /**
   * The app believes in a WeCom that never answers, so nothing takes rows out of the outbox: they stay as the
   * record of what each chat would see. (Without credentials the app would start the sandbox and send them.)
   */
  static async open(env: Record<string, string> = {}, clock = frozenClock(), options: TestAppOptions = {}): Promise<Desk> {
    return new Desk(
      await startTestApp({
        WECOM_BOT_ID: 'unreachable-bot',
        WECOM_BOT_SECRET: 'unreachable-secret',
        WECOM_WS_URL: 'ws://127.0.0.1:9',
        WECOM_API_BASE: 'http://127.0.0.1:9',
        ...env,
      }, clock, options),
    );
  }

  /** Moves the one clock on and lets the SLA engine fire whatever came due. */
  async advance(ms: number): Promise<void> {
    this.app.clock.advance(ms);
    await this.app.jobs.services.sla.sweep();
  }

  /** Moves the clock to a Shanghai date and time, firing what comes due on the way. */
  async until(date: string, time: string): Promise<void> {
    await this.advance(fromShanghai(date, time).getTime() - this.app.clock.nowMs());
  }

  get db() {
    return this.app.ctx.db;
  }

  /** A person @-mentions the bot in a chat; returns the bot's one reply to that message. */
  async say(userId: string, chatId: string, text: string): Promise<string> {
    const n = ++this.seq;
    const reqId = `req-text-${n}`;
    await this.deliver({
      kind: 'text',
      inboxId: n,
      reqId,
      msgId: `msg-${n}`,
      chat: { chatId, chatType: 'group' },
      userId,
      receivedAt: this.app.clock.now(),
      text,
    });
    const reply = await this.db.selectFrom('outbox').select('body').where('req_id', '=', reqId).where('channel', '=', 'reply').executeTakeFirst();
    return reply ? (reply.body as unknown as { markdown: { content: string } }).markdown.content : '';
  }

  /** A person taps a button of a card; returns the req id the card update answers. */
  async tap(userId: string, taskId: string, eventKey: string, chatId?: string): Promise<string> {
    const n = ++this.seq;
    const reqId = `req-tap-${n}`;
    const card = await this.db.selectFrom('ticket_cards').select('chat_id').where('task_id', '=', taskId).executeTakeFirst();
    await this.deliver({
      kind: 'tap',
      inboxId: n,
      reqId,
      eventId: `event-${n}`,
      taskId,
      eventKey,
      chat: { chatId: chatId ?? card?.chat_id ?? CHAT.khzx, chatType: 'group' },
      userId,
      receivedAt: this.app.clock.now(),
    });
    return reqId;
  }

  deliver(event: InboundEvent): Promise<void> {
    return this.db.transaction().execute((tx) => this.handler(tx, event));
  }

  /** Everything the bot sent into a chat, oldest first (replies, pushes, card updates). */
  async seen(chatId: string, afterId = 0): Promise<Seen[]> {
    const rows = await this.db.selectFrom('outbox').selectAll().where('chat_id', '=', chatId).where('id', '>', afterId).orderBy('id').execute();
    return rows.map((row) => {
      const body = row.body as unknown as {
        msgtype?: string;
        markdown?: { content: string };
        template_card?: TemplateCard;
        userids?: string[];
      };
      const card = body.template_card;
      return {
        id: row.id,
        chatId: row.chat_id,
        channel: row.channel,
        text: card ? renderCard(card as WireCard) : (body.markdown?.content ?? ''),
        ...(card?.task_id ? { taskId: card.task_id } : {}),
        ...(body.userids ? { userIds: body.userids } : {}),
      };
    });
  }

  /** The @ lines a unit's group robot posted (the only @ WeCom notifies), oldest first. */
  async wakes(webhookKey: string): Promise<{ text: string; mentions: string[] }[]> {
    const rows = await this.db.selectFrom('outbox').select('body').where('chat_id', '=', `webhook:${webhookKey}`).orderBy('id').execute();
    return rows.map((row) => {
      const { text } = row.body as unknown as { text: { content: string; mentioned_list?: string[] } };
      return { text: text.content, mentions: text.mentioned_list ?? [] };
    });
  }

  /** The newest card pushed into a chat. */
  async lastCard(chatId: string): Promise<Seen> {
    const cards = (await this.seen(chatId)).filter((s) => s.channel === 'push' && s.taskId);
    const last = cards[cards.length - 1];
    if (!last) throw new Error(`no card was pushed into ${chatId}`);
    return last;
  }

  async lastOutboxId(): Promise<number> {
    const row = await this.db.selectFrom('outbox').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row?.id ?? 0;
  }

  async ticket(no: string): Promise<Ticket> {
    return (await this.db.selectFrom('tickets').selectAll().where('no', '=', no).executeTakeFirstOrThrow()) as Ticket;
  }

  async events(no: string): Promise<TicketEvent[]> {
    const ticket = await this.ticket(no);
    return this.db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', ticket.id).orderBy('id').execute();
  }

  async count(table: 'tickets' | 'ticket_events' | 'outbox' | 'outages' | 'ticket_cards'): Promise<number> {
    const rows = await this.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return rows.n;
  }

  close(): Promise<void> {
    return this.app.stop();
  }
}

/** The ticket number a reply announces. */
export function numberIn(text: string): string {
  const match = /\b([A-Z]{2}\d{8}-\d{4})\b/.exec(text);
  if (!match) throw new Error(`no ticket number in: ${text}`);
  return match[1]!;
}
