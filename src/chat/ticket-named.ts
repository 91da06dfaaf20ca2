import type { Action } from '../domain/tickets/machine';
import type { Ticket } from '../domain/tickets/session';
import { findTicket } from '../domain/tickets/store';
import type { CommandContext } from './define';

/**
 * The ticket a command names: a tail (0005) is read in the speaker's context, first among the tickets held by the
 * unit of the chat or of the person, then among the kinds the command's step applies to.
 */
export function ticketNamed(ctx: CommandContext, typed: string, action?: Action): Promise<Ticket> {
  const unitIds = ctx.org.doc.units.filter((u) => u.chatId === ctx.chat.chatId || ctx.org.isMember(ctx.actor.userId, u.id)).map((u) => u.id);
  return findTicket(ctx.tx, typed, { unitIds, ...(action ? { action } : {}) });
}
