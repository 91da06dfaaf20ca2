import path from 'node:path';
import type { Config } from '../config';
import type { Logger, LogFormat } from '../log';

/** What a started app tells about itself (the app's `RunningApp` has these). */
export interface StartFacts {
  url: string;
  adminToken: string;
  leaderToken: string;
  tokensCreated: { admin: boolean; leader: boolean };
  sandbox: boolean;
  botId: string;
}

/**
 * What a start tells: on a terminal a short block a person reads once (what runs, the address to open, where the data
 * is, the tokens of a first start, how to stop); for a log collector the same facts as JSON lines. A generated token is
 * shown only by the start that generated it: `npm run token` shows it again to whoever can read the database.
 */
export function announceStart(app: StartFacts, config: Config, logger: Logger, format: LogFormat, write = (text: string) => process.stdout.write(text)): void {
  if (format === 'text') write(startBlock(app, config));
  else logStart(app, config, logger);
}

/** The terminal's block: every line a label and one fact, the address first. */
export function startBlock(app: StartFacts, config: Config): string {
  const lines = [
    '',
    app.sandbox
      ? 'wecom-ticket-bot 已启动 · 沙盒：模拟企业微信，不是真实机器人 (sandbox, simulated WeCom)'
      : `wecom-ticket-bot 已启动 · 已连接企业微信智能机器人 ${app.botId}`,
    ...(app.sandbox ? [`  打开 open        ${app.url}/sandbox`] : []),
    `  控制台 console  ${app.url}/console`,
    `  接口 API        ${app.url}/api   (Authorization: Bearer <管理令牌>)`,
    `  数据 data       ${dataLocation(config)}`,
    ...tokenLines(app, config),
    '  停止 stop       Ctrl-C',
    '',
  ];
  return lines.join('\n') + '\n';
}

function tokenLines(app: StartFacts, config: Config): string[] {
  const lines: string[] = [];
  if (app.tokensCreated.admin) lines.push(`  管理令牌 admin  ${app.adminToken}   (首次启动生成，只显示这一次)`);
  if (app.tokensCreated.leader) lines.push(`  领导令牌 leader ${app.leaderToken}   (只读：控制台与 GET /api)`);
  const configured = [config.ADMIN_TOKEN && 'ADMIN_TOKEN', config.LEADER_TOKEN && 'LEADER_TOKEN'].filter(Boolean);
  if (configured.length > 0 && lines.length === 0) lines.push(`  令牌 tokens     由环境变量 ${configured.join('、')} 设定`);
  lines.push('  再看令牌         npm run token   (重新生成：npm run token -- --reissue)');
  return lines;
}

/** The embedded database's directory, or the external one's host and name (never its user or password). */
export function dataLocation(config: Config): string {
  if (!config.DATABASE_URL) return `内嵌 PostgreSQL ${path.join(path.resolve(config.DATA_DIR), 'pg')}`;
  const url = new URL(config.DATABASE_URL);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

function logStart(app: StartFacts, config: Config, logger: Logger): void {
  const facts = { url: app.url, embeddedDatabase: !config.DATABASE_URL, sandbox: app.sandbox };
  if (app.sandbox) {
    logger.info(facts, `wecom-ticket-bot ready: sandbox — simulated WeCom, not a real bot (沙盒：模拟企业微信) ${app.url}/sandbox`);
  } else {
    logger.info({ ...facts, bot: app.botId }, 'wecom-ticket-bot ready');
  }
  // A log line is kept and shipped to whoever reads the logs: it says a token was made, never the token (every line
  // is scrubbed of it anyway). `npm run token` shows it to whoever can read the database.
  if (app.tokensCreated.admin) logger.info(`admin API token generated; \`npm run token\` shows it: ${app.url}/api`);
  if (app.tokensCreated.leader) logger.info(`leaders' read-only token generated; \`npm run token\` shows it: ${app.url}/console`);
}
