/**
 * The sandbox: with no WeCom credentials, the fake WeCom that the tests use runs inside the process and the bot
 * connects to it over a real socket, so `/sandbox` can let a person play desk, crew and leader in the organisation's
 * group chats. Everything a person does there takes the real path: fake WeCom → long connection → bot → outbox → fake WeCom.
 */
import type Router from '@koa/router';
import type { WorkCalendar } from '../calendar/calendar';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { DomainError } from '../domain/errors';
import type { Org } from '../domain/org/index';
import { DEMO_BOT, FakeWeCom } from '../../fake-wecom/index';
import type { Db } from '../db/database';
import { SandboxClock } from './sandbox-clock';
import { SandboxChats, saveSandboxClock } from './sandbox-world';
import { directoryFromOrg, webhookChats, type SandboxDirectory } from './sandbox-directory';
import { sandboxRoutes } from './sandbox-routes';

export interface Sandbox {
  fake: FakeWeCom;
  clock: SandboxClock;
  /** What the chats show, kept across restarts. */
  chats: SandboxChats;
  /** Keeps how far the clock was moved, for the next start. */
  saveClock(): Promise<void>;
  /** Where the bot connects instead of WeCom. */
  wecom: { botId: string; secret: string; wsUrl: string; apiBase: string };
  botName: string;
  online(): boolean;
  /** Waits (a few seconds at most) for the bot to subscribe, so the service is ready when its start returns. */
  botConnected(): Promise<void>;
  close(): Promise<void>;
}

const CONNECT_WAIT_MS = 10_000;

/** The bot the sandbox plays: its outbox rows are its own, apart from any real bot's. */
export const SANDBOX_BOT_ID = DEMO_BOT.botId;

/** Starts the in-process WeCom and mounts `/sandbox` on `root`; call only without WeCom credentials. */
export async function startSandbox(
  ctx: { clock: Clock; calendar: WorkCalendar; logger: Logger; db: Db; config: { WORKING_HOURS_START: string } },
  root: Router,
  currentOrg: () => Promise<Org>,
  /** How far the clock was moved ahead before this start (restoreSandboxClock, before the jobs started). */
  advancedMs = 0,
): Promise<Sandbox> {
  const orgOrNone = () =>
    currentOrg().catch((error: unknown) => {
      // The page explains how to load an organisation instead of failing.
      if (error instanceof DomainError && error.code === 'org_missing') return undefined;
      throw error;
    });
  const org = await orgOrNone();
  const fake = await FakeWeCom.start({
    bots: [DEMO_BOT],
    // Chat times and WeCom's reply windows follow the sandbox clock, as deadlines do.
    now: () => ctx.clock.nowMs(),
    // A message typed while the bot (re)connects waits for it instead of failing.
    queueWhileOffline: true,
    webhookKeys: org ? webhookChats(org) : [],
  });
  const chats = new SandboxChats(ctx.db, fake, ctx.logger);
  await chats.restore();
  chats.start();
  const sandbox: Sandbox = {
    fake,
    clock: new SandboxClock(ctx.clock, ctx.calendar, ctx.config.WORKING_HOURS_START, advancedMs),
    chats,
    saveClock: () => saveSandboxClock(ctx.db, sandbox.clock.advanced),
    wecom: { botId: DEMO_BOT.botId, secret: DEMO_BOT.secret, wsUrl: fake.wsUrl, apiBase: fake.apiBase },
    botName: DEMO_BOT.name,
    online: () => fake.connections(DEMO_BOT.botId).some((c) => c.subscribed),
    botConnected: () =>
      fake.waitFor(() => sandbox.online(), CONNECT_WAIT_MS).then(
        () => undefined,
        () => ctx.logger.warn({ waitedMs: CONNECT_WAIT_MS }, 'the bot has not connected to the sandbox WeCom yet'),
      ),
    close: async () => {
      await chats.close();
      await fake.close();
    },
  };
  const directory = async (): Promise<SandboxDirectory> => {
    const current = await orgOrNone();
    return current ? directoryFromOrg(current) : { groups: [], people: [] };
  };
  sandboxRoutes(root, sandbox, directory);
  return sandbox;
}
