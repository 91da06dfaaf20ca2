import type { AppContext } from '../app';
import type { InboundHandler } from '../protocol/inbound';
import type { ChatDeps } from './context';
import { handleText } from './dispatcher';
import { loadRegistry, type Registry } from './registry';
import { handleTap } from './taps';

/**
 * The bot's answer to everything WeCom delivers: text goes to the slash commands, taps to the card actions.
 * The transport calls it inside the transaction that marks the inbox row handled.
 */
export function createInboundHandler(app: AppContext): InboundHandler {
  let registry: Promise<Registry> | undefined;
  const commands = () =>
    (registry ??= loadRegistry().catch((error: unknown) => {
      registry = undefined;
      throw error;
    }));
  return async (tx, event) => {
    const deps: ChatDeps = { app, registry: await commands() };
    if (event.kind === 'text') await handleText(deps, tx, event);
    else await handleTap(deps, tx, event);
  };
}
