/**
 * The sandbox: with no WeCom credentials, the fake WeCom that the tests use runs inside the process and the bot
 * connects to it over a real socket, so `/sandbox` can let a person play desk, crew and leader in the organisation's
 * group chats. Everything a person does there takes the real path: fake WeCom → long connection → bot → outbox → fake WeCom.
 */
import type { AppContext } from '../app';
import { DEMO_BOT, FakeWeCom } from '../../test/fake-wecom/index';
import { SandboxClock } from './sandbox-clock';

export interface Sandbox {
  fake: FakeWeCom;
  clock: SandboxClock;
  /** Where the bot connects instead of WeCom. */
  wecom: { botId: string; secret: string; wsUrl: string; apiBase: string };
  botName: string;
  online(): boolean;
  close(): Promise<void>;
}

/** Starts the in-process WeCom; `webhookKeys` maps notice-only groups' robot keys to their chats. */
export async function startSandbox(
  ctx: AppContext,
  webhookKeys: { key: string; chatId: string }[] = [],
): Promise<Sandbox> {
  const fake = await FakeWeCom.start({
    bots: [DEMO_BOT],
    // Chat times and WeCom's reply windows follow the sandbox clock, as deadlines do.
    now: () => ctx.clock.nowMs(),
    // Real WeCom lets the bot push into a group only after someone there has @-ed it; here crews get cards at once.
    pushRequiresActivation: false,
    // A message typed while the bot (re)connects waits for it instead of failing.
    queueWhileOffline: true,
    webhookKeys,
  });
  return {
    fake,
    clock: new SandboxClock(ctx.clock, ctx.calendar),
    wecom: { botId: DEMO_BOT.botId, secret: DEMO_BOT.secret, wsUrl: fake.wsUrl, apiBase: fake.apiBase },
    botName: DEMO_BOT.name,
    online: () => fake.connections(DEMO_BOT.botId).some((c) => c.subscribed),
    close: () => fake.close(),
  };
}
