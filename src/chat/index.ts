import type { InboundHandler } from '../protocol/inbound';
import type { ChatDeps, InboundDeps } from './context';
import type { Command } from './define';
import { handleText } from './dispatcher';
import { Registry } from './registry';
import { handleTap } from './taps';
import { recordHeard } from '../domain/heard-chats';

/**
 * The bot's answer to everything WeCom delivers: text goes to the slash commands (`commands`, from commands/index.ts),
 * taps to the card actions.
 * The transport calls it inside the transaction that marks the inbox row handled.
 */
export function createInboundHandler(deps: InboundDeps, commands: readonly Command[]): InboundHandler {
  // Built at start: two commands claiming one word stop the service with both names, before any message is read.
  const registry = new Registry(commands);
  return async (tx, event) => {
    const chat: ChatDeps = { ...deps, registry };
    // Every chat the bot hears from may now take pushes: what it refused before goes out (ahead of this answer).
    await recordHeard(tx, event.chat, event.userId, event.receivedAt);
    await deps.outbox.releaseWaiting(tx, event.chat.chatId);
    if (event.kind === 'text') await handleText(chat, tx, event);
    else await handleTap(chat, tx, event);
  };
}
