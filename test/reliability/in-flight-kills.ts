import pg from 'pg';
import type { RecordedFrame } from '../../fake-wecom/index';
import { Clock } from '../../src/clock';
import { connectDatabase } from '../../src/db/database';
import { markdown, mentionText } from '../../src/protocol/outbound';
import { enqueue } from '../../src/wecom/outbox';
import { BOT, ORG, fakeWecom, ready, sleep, startBot, until, type BotChild } from './bot-process';

/**
 * The duplicate window, measured: the connection holder is killed (SIGKILL) again and again while pushes are in flight,
 * and every message is looked for in the chats afterwards: shown once, shown again marked （重发）, shown only marked,
 * shown twice unmarked (a duplicate nobody can tell), or not at all (lost). A trigger on the test database records
 * when each claim and each result were written, so the window (claim recorded → result recorded) comes from real
 * timings. Used by test/reliability/kill-in-flight.test.ts (a few kills) and bench/duplicate-window.ts (many).
 */
export interface KillOptions {
  /** A database nobody else uses; the bots migrate it. */
  databaseUrl: string;
  rounds: number;
  chats: number;
  /** Messages queued per chat at the start (keep under WeCom's 30 a minute per chat). */
  perChat: number;
  /** Pushes the holder gets to WeCom after taking over before it is killed. */
  killAfter(round: number): number;
  /** Group robot posts that @ someone, queued with the pushes (default 0): none may wake anyone twice. */
  robotPosts?: number;
  /** People who ask `/帮助` in their 1:1 chat at the start of each round (default 0): none may see the reply twice unmarked. */
  asksPerRound?: number;
  log?(line: string): void;
}

export interface Spread {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export interface KillReport {
  kills: number;
  messages: number;
  /** aibot_send_msg frames WeCom received. */
  sends: number;
  /** Claimed by a holder that was killed before it recorded the result. */
  inFlightAtKill: number;
  /** Of those, how many WeCom had taken before the kill. */
  inFlightArrived: number;
  possiblySent: number;
  shownOnce: number;
  /** Shown unmarked, then again marked （重发）. */
  shownThenMarked: number;
  /** Shown only as the marked resend (the first attempt never reached WeCom). */
  onlyMarked: number;
  /** Shown unmarked more than once: a duplicate nobody can tell. */
  duplicated: number;
  lost: number;
  /** Group robot posts: those whose @ sounded more than once, and those never posted. */
  robotPosts: number;
  robotAtRepeated: number;
  robotLost: number;
  /** Questions asked meanwhile: those answered twice unmarked, and those never answered. */
  asks: number;
  repliedTwice: number;
  unanswered: number;
  /** Claim recorded → result recorded, per attempt that ended normally (ms). */
  window: Spread;
  /** Claim recorded → released by the next holder, per attempt cut by a kill (ms): includes the takeover. */
  cutWindow: Spread;
  takeoverMs: Spread;
}

const INSTRUMENT = `
  CREATE TABLE reliability_outbox_events (row_id bigint NOT NULL, event text NOT NULL, holder text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
  CREATE FUNCTION reliability_outbox_event() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.locked_by IS NOT NULL AND (OLD.locked_by IS DISTINCT FROM NEW.locked_by OR OLD.locked_until IS DISTINCT FROM NEW.locked_until) THEN
      INSERT INTO reliability_outbox_events (row_id, event, holder) VALUES (NEW.id, 'claim', NEW.locked_by);
    ELSIF OLD.locked_by IS NOT NULL AND NEW.locked_by IS NULL THEN
      INSERT INTO reliability_outbox_events (row_id, event, holder)
        VALUES (NEW.id, CASE WHEN NEW.attempts > OLD.attempts THEN 'result' ELSE 'released' END, OLD.locked_by);
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER reliability_outbox_events AFTER UPDATE ON outbox FOR EACH ROW EXECUTE FUNCTION reliability_outbox_event();
`;

const RESENT = '（重发）';
const label = (n: number) => `抢修进度 M${String(n).padStart(5, '0')}`;
const robotLabel = (n: number) => `抢修提醒 R${String(n).padStart(5, '0')}`;

export async function killInFlight(options: KillOptions): Promise<KillReport> {
  const log = options.log ?? (() => undefined);
  const robotPosts = options.robotPosts ?? 0;
  const robots = ORG.units.flatMap((unit) => (unit.webhookKey ? [{ key: unit.webhookKey, chatId: unit.chatId }] : []));
  const asked: string[] = [];
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  const fake = await fakeWecom();
  const children: BotChild[] = [];
  const start = async () => {
    const child = await startBot(fake, options.databaseUrl);
    children.push(child);
    return child;
  };
  try {
    let holder = await start(); // migrates the database
    await ready(holder);
    await pool.query(INSTRUMENT);
    let standby = await start();
    const handle = connectDatabase(options.databaseUrl, 2);
    const messages = options.chats * options.perChat;
    try {
      const all = Array.from({ length: messages }, (_, n) => ({ channel: 'push' as const, chatId: `chat-${n % options.chats}`, body: markdown(label(n)) }));
      for (let at = 0; at < all.length; at += 500) await enqueue(handle.db, new Clock(), BOT.botId, all.slice(at, at + 500));
      const posts = Array.from({ length: robotPosts }, (_, n) => ({
        channel: 'webhook' as const,
        webhookKey: robots[n % robots.length]!.key,
        body: mentionText(robotLabel(n), [`crew-${n}`]),
      }));
      if (posts.length) await enqueue(handle.db, new Clock(), BOT.botId, posts);
    } finally {
      await handle.close();
    }

    // Each push frame from the victim's connection is counted; at the round's count the victim dies. The next round's
    // watch is set the moment a kill is seen, on whichever connection subscribes next, so a survivor that sends fast
    // is still caught mid-send.
    let watch: { connId?: number; except?: number; left: number; kill(): void } | undefined;
    const record = fake.frames.push.bind(fake.frames);
    fake.frames.push = (...frames: RecordedFrame[]) => {
      for (const frame of frames) {
        const watched = watch && (watch.connId === undefined ? frame.connId !== watch.except : frame.connId === watch.connId);
        if (watch && watched && frame.direction === 'in' && frame.cmd === 'aibot_send_msg' && --watch.left === 0) {
          watch.kill();
          watch = undefined;
        }
      }
      return record(...frames);
    };
    const subscribed = () => fake.connections(BOT.botId).find((c) => c.subscribed)?.id;
    const takeovers: number[] = [];
    let kills = 0;
    let killedAt = 0;
    const killer = (victim: BotChild) => () => {
      victim.child.kill('SIGKILL');
      killedAt = Date.now();
    };
    let armed: BotChild | undefined;
    for (let round = 0; round < options.rounds; round++) {
      let victim = armed;
      if (!victim) {
        const pending = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE status = 'pending'`)).rows[0]!.n);
        if (pending < 100) break; // too little left to be sending when the kill comes
        await until(() => subscribed() !== undefined, 30_000, 'a subscribed holder');
        const { rows } = await pool.query<{ holder: string }>('SELECT holder FROM wecom_leases WHERE bot_id = $1', [BOT.botId]);
        const pid = Number(rows[0]!.holder.split(':')[1]);
        victim = [holder, standby].find((c) => c.child.pid === pid);
        if (!victim) throw new Error(`the lease names pid ${pid}, none of ours`);
        watch = { connId: subscribed()!, left: options.killAfter(round), kill: killer(victim) };
      }
      for (let q = 0; q < (options.asksPerRound ?? 0); q++) {
        const userId = `asker-${round}-${q}`;
        // Asked while someone holds the connection: not once the round's kill has fired (the watch is cleared then), when
        // the fake may still list the dead socket for a moment and the question would die with the kernel's buffer.
        if (subscribed() === undefined || watch === undefined) break;
        await fake.userSays({ chatType: 'single', userId, text: '/帮助' });
        asked.push(userId);
      }
      const survivor = victim === holder ? standby : holder;
      await victim.exited;
      kills++;
      const connId = subscribed() ?? -1;
      armed = round + 1 < options.rounds ? survivor : undefined;
      if (armed) watch = { except: connId, left: options.killAfter(round + 1), kill: killer(armed) };
      const next = start(); // the next standby starts while the survivor takes over
      await until(() => subscribed() !== undefined && subscribed() !== connId, 60_000, 'the standby took over');
      takeovers.push(Date.now() - killedAt);
      holder = survivor;
      standby = await next;
      log(`round ${round + 1}: killed pid ${victim.child.pid}, taken over in ${takeovers.at(-1)} ms`);
    }
    watch = undefined;
    await until(
      async () => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE status = 'pending'`)).rows[0]!.n) === 0,
      120_000,
      'every message sent',
    );
    await sleep(1000); // anything sent twice would arrive now

    // What the chats show, per message.
    const unmarked = new Map<string, number>();
    const marked = new Map<string, number>();
    for (let k = 0; k < options.chats; k++) {
      for (const entry of fake.transcript(`chat-${k}`)) {
        if (entry.from !== 'bot') continue;
        const no = /M\d{5}/.exec(entry.content)?.[0];
        if (!no) continue;
        const tally = entry.content.startsWith(RESENT) ? marked : unmarked;
        tally.set(no, (tally.get(no) ?? 0) + 1);
      }
    }
    const counts = { shownOnce: 0, shownThenMarked: 0, onlyMarked: 0, duplicated: 0, lost: 0 };
    for (let n = 0; n < messages; n++) {
      const no = `M${String(n).padStart(5, '0')}`;
      const [u, m] = [unmarked.get(no) ?? 0, marked.get(no) ?? 0];
      if (u > 1) counts.duplicated++;
      else if (u === 1 && m === 0) counts.shownOnce++;
      else if (u === 1) counts.shownThenMarked++;
      else if (m > 0) counts.onlyMarked++;
      else counts.lost++;
    }

    // Each robot post: how often its @ sounded (a post with mentions), and whether it arrived at all.
    let robotAtRepeated = 0;
    let robotLost = 0;
    for (let n = 0; n < robotPosts; n++) {
      const posted = fake.transcript(robots[n % robots.length]!.chatId).filter((e) => e.kind === 'webhook' && e.content.includes(robotLabel(n)));
      if (posted.filter((e) => (e.mentions ?? []).length > 0).length > 1) robotAtRepeated++;
      if (posted.length === 0) robotLost++;
    }
    // Each question: the bot's answers in the asker's chat, unmarked.
    await until(() => asked.every((userId) => fake.transcript(userId).some((e) => e.from === 'bot')), 60_000, 'every question answered').catch(() => undefined);
    const answers = asked.map((userId) => fake.transcript(userId).filter((e) => e.from === 'bot'));
    const repliedTwice = answers.filter((said) => said.filter((e) => !e.content.includes(RESENT)).length > 1).length;
    const unanswered = answers.filter((said) => said.length === 0).length;

    // Claim → result, and claim → release of the attempts a kill cut.
    const events = (
      await pool.query<{ row_id: string; event: string; holder: string; at: Date }>(
        'SELECT row_id, event, holder, at FROM reliability_outbox_events ORDER BY row_id, at',
      )
    ).rows;
    const window: number[] = [];
    const cut: number[] = [];
    const cutRows = new Set<string>();
    for (let e = 0; e + 1 < events.length; e++) {
      const [claim, end] = [events[e]!, events[e + 1]!];
      if (claim.event !== 'claim' || end.row_id !== claim.row_id || end.event === 'claim') continue;
      const ms = end.at.getTime() - claim.at.getTime();
      if (end.event === 'result') window.push(ms);
      else {
        cut.push(ms);
        cutRows.add(claim.row_id);
      }
    }
    // A cut row WeCom had taken shows unmarked (its resend, marked); one it never had shows only marked.
    const { rows: cutBodies } = cutRows.size
      ? await pool.query<{ content: string }>(`SELECT body->'markdown'->>'content' AS content FROM outbox WHERE id = ANY($1::bigint[])`, [[...cutRows]])
      : { rows: [] };
    const inFlightArrived = cutBodies.filter((row) => (unmarked.get(/M\d{5}/.exec(row.content)?.[0] ?? '') ?? 0) > 0).length;
    const possiblySent = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE possibly_sent')).rows[0]!.n);
    return {
      kills,
      messages,
      sends: fake.frames.filter((f) => f.direction === 'in' && f.cmd === 'aibot_send_msg').length,
      inFlightAtKill: cutRows.size,
      inFlightArrived,
      possiblySent,
      ...counts,
      robotPosts,
      robotAtRepeated,
      robotLost,
      asks: asked.length,
      repliedTwice,
      unanswered,
      window: spread(window),
      cutWindow: spread(cut),
      takeoverMs: spread(takeovers),
    };
  } finally {
    for (const child of children) if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
    await Promise.all(children.map((child) => child.exited));
    await fake.close();
    await pool.end();
  }
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}
