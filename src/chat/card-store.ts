import { randomBytes } from 'node:crypto';
import type { Executor } from '../db/database';
import type { Ticket } from '../domain/tickets/session';

/**
 * The button cards we pushed for tickets. WeCom wants a task_id unique per bot for every card; ours is the ticket
 * number plus a random tail (a re-created database must not reuse one). A tap is honoured only on a task_id found here.
 */
export async function issueCard(tx: Executor, ticket: Ticket, chatId: string, at: Date): Promise<string> {
  const taskId = `${ticket.no}_${randomBytes(4).toString('hex')}`;
  await tx.insertInto('ticket_cards').values({ task_id: taskId, ticket_id: ticket.id, chat_id: chatId, created_at: at }).execute();
  return taskId;
}

export async function ticketOfCard(tx: Executor, taskId: string): Promise<Ticket | undefined> {
  return (await tx
    .selectFrom('ticket_cards')
    .innerJoin('tickets', 'tickets.id', 'ticket_cards.ticket_id')
    .selectAll('tickets')
    .where('ticket_cards.task_id', '=', taskId)
    .executeTakeFirst()) as Ticket | undefined;
}

/** The chats that hold a card of this ticket. */
export async function cardChats(tx: Executor, ticketId: number): Promise<string[]> {
  const rows = await tx.selectFrom('ticket_cards').select('chat_id').distinct().where('ticket_id', '=', ticketId).execute();
  return rows.map((row) => row.chat_id);
}
