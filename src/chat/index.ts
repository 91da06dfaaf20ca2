import type { InboundHandler } from '../protocol/inbound';
import type { ChatDeps, InboundDeps } from './context';
import { handleText } from './dispatcher';
import { loadRegistry, type Registry } from './registry';
import { handleTap } from './taps';

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
    if (event.kind === 'text') await handleText(chat, tx, event);
    else await handleTap(chat, tx, event);
  };
}
