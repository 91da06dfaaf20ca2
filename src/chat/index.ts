import type { InboundHandler } from '../protocol/inbound';
import type { ChatDeps, InboundDeps } from './context';
import { handleText } from './dispatcher';
import { loadRegistry, type Registry } from './registry';
import { handleTap } from './taps';
import { recordHeard } from '../domain/heard-chats';

/**
 * The bot's answer to everything WeCom delivers: text goes to the slash commands, taps to the card actions.
 * The transport calls it inside the transaction that marks the inbox row handled.
 */
export function createInboundHandler(deps: InboundDeps): InboundHandler {
  let registry: Promise<Registry> | undefined;
  const commands = () =>
    (registry ??= loadRegistry().catch((error: unknown) => {
      registry = undefined;
      throw error;
    }));
  return async (tx, event) => {
    const chat: ChatDeps = { ...deps, registry: await commands() };
    // Every chat the bot hears from may now take pushes: what it refused before goes out (ahead of this answer).
    await recordHeard(tx, event.chat, event.userId, event.receivedAt);
    await deps.outbox.releaseWaiting(tx, event.chat.chatId);
    if (event.kind === 'text') await handleText(chat, tx, event);
    else await handleTap(chat, tx, event);
  };
}
