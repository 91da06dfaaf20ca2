import { sql } from 'kysely';
import type { Executor } from '../db/database';
import type { Org } from './org';

/**
 * The chats the bot has heard from. WeCom lets the bot push only into a chat where someone has messaged it
 * ("用户在会话中给机器人发消息"), so a configured group missing here will refuse its cards until someone @-s the bot there.
 */
export interface HeardChat {
  chatId: string;
  chatType: 'group' | 'single';
  firstSeenAt: Date;
  lastSeenAt: Date;
  speakers: string[];
  lastSpeaker: string;
}

/** Someone spoke in a chat: first and last seen, and who. */
export async function recordHeard(tx: Executor, chat: { chatId: string; chatType: 'group' | 'single' }, userId: string, at: Date): Promise<void> {
  await tx
    .insertInto('heard_chats')
    .values({ chat_id: chat.chatId, chat_type: chat.chatType, first_seen_at: at, last_seen_at: at, speakers: [userId], last_speaker: userId })
    .onConflict((c) =>
      c.column('chat_id').doUpdateSet({
        last_seen_at: sql`greatest(heard_chats.last_seen_at, excluded.last_seen_at)`,
        last_speaker: sql`excluded.last_speaker`,
        speakers: sql`CASE WHEN ${userId} = ANY(heard_chats.speakers) THEN heard_chats.speakers ELSE heard_chats.speakers || ARRAY[${userId}::text] END`,
      }),
    )
    .execute();
}

export async function heardChats(db: Executor): Promise<HeardChat[]> {
  const rows = await db.selectFrom('heard_chats').selectAll().orderBy('first_seen_at').execute();
  return rows.map((r) => ({
    chatId: r.chat_id,
    chatType: r.chat_type,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    speakers: r.speakers,
    lastSpeaker: r.last_speaker,
  }));
}

/** Configured unit groups nobody has @-ed the bot in yet: pushes there are refused until someone does. */
export async function silentGroups(db: Executor, org: Org): Promise<{ unitId: string; unit: string; chatId: string }[]> {
  const heard = new Set((await db.selectFrom('heard_chats').select('chat_id').execute()).map((r) => r.chat_id));
  return org.doc.units.filter((u) => !heard.has(u.chatId)).map((u) => ({ unitId: u.id, unit: u.name, chatId: u.chatId }));
}

/** Whether the bot has ever heard from this chat. */
export async function wasHeard(db: Executor, chatId: string): Promise<boolean> {
  return (await db.selectFrom('heard_chats').select('chat_id').where('chat_id', '=', chatId).executeTakeFirst()) !== undefined;
}

/** Numbers of the tickets whose card a not-activated chat refused and the outbox keeps for it (未送达). */
export async function undeliveredTickets(db: Executor): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('outbox')
    .innerJoin('ticket_cards', (join) => join.on(sql<boolean>`ticket_cards.task_id = outbox.body->'template_card'->>'task_id'`))
    .innerJoin('tickets', 'tickets.id', 'ticket_cards.ticket_id')
    .select(['tickets.no', 'outbox.chat_id'])
    .where('outbox.status', '=', 'waiting')
    .execute();
  const byTicket = new Map<string, string[]>();
  for (const r of rows) byTicket.set(r.no, [...(byTicket.get(r.no) ?? []), r.chat_id]);
  return byTicket;
}

/** How to activate a group, said the same way everywhere. */
export const HOW_TO_ACTIVATE = '请该群任一成员在群里 @机器人 发一条消息（例如 `@机器人 /绑定 单位名称`），之后机器人即可向该群推送';
