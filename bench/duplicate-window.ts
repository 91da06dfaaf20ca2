/**
 * The duplicate window of the outbox, measured: the service runs as real child processes (a holder and a standby) against
 * the fake WeCom; the holder is killed with SIGKILL a random number of pushes (1–150) after it took over, again and
 * again, while 100 chats have messages queued. Afterwards every message is looked for in its chat. A trigger on the
 * bench database records when each claim and each result were written, so the window (claim recorded → result
 * recorded) is real time on this machine. `npm run bench duplicate-window`; BENCH_KILLS (default 20), DATABASE_URL
 * (external server).
 */
import { execSync } from 'node:child_process';
import { killInFlight, type Spread } from '../test/reliability/in-flight-kills';
import { benchDatabase } from './support/database';

const KILLS = Number(process.env.BENCH_KILLS ?? 20);
const CHATS = 100;
const PER_CHAT = 25; // under WeCom's 30 a minute per chat, so the limiter never holds a chat back

const database = await benchDatabase();
const load = () => execSync('uptime').toString().trim().replace(/.*load average: /, '');
const loadBefore = load();
const started = Date.now();
try {
  const report = await killInFlight({
    databaseUrl: database.url,
    rounds: KILLS,
    chats: CHATS,
    perChat: PER_CHAT,
    killAfter: () => 1 + Math.floor(Math.random() * 150),
    robotPosts: 100,
    asksPerRound: 5,
    log: (line) => console.log(line),
  });
  const ms = (s: Spread) => `${s.p50} / ${s.p99} / ${s.max} ms (n ${s.n})`;
  console.log(`\nload average ${loadBefore} → ${load()}, ${Math.round((Date.now() - started) / 1000)} s`);
  console.log('| kills | messages | sends | in flight at the kills (WeCom had them) | shown once | shown, then again marked （重发） | only marked | duplicated unmarked | lost |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(
    `| ${report.kills} | ${report.messages} | ${report.sends} | ${report.inFlightAtKill} (${report.inFlightArrived}) | ${report.shownOnce} | ` +
      `${report.shownThenMarked} | ${report.onlyMarked} | ${report.duplicated} | ${report.lost} |`,
  );
  console.log(`window claim → result, p50 / p99 / max: ${ms(report.window)}`);
  console.log(`cut attempts, claim → released by the next holder: ${ms(report.cutWindow)}; takeover ${ms(report.takeoverMs)}`);
  console.log(
    `group robot @s: ${report.robotPosts}, sounded twice ${report.robotAtRepeated}, lost ${report.robotLost}; ` +
      `/帮助 asked during the kills: ${report.asks}, answered twice unmarked ${report.repliedTwice}, unanswered ${report.unanswered}`,
  );
  console.log(`in flight per kill: ${(report.inFlightAtKill / Math.max(1, report.kills)).toFixed(1)}; rows marked possibly sent ${report.possiblySent}`);
  if (report.duplicated || report.lost || report.robotAtRepeated || report.robotLost || report.repliedTwice || report.unanswered) process.exitCode = 1;
} finally {
  await database.close();
}
