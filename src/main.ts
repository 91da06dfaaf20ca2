import { ConfigError, configOrExit } from './config';
import { createLogger, LogEventTap } from './log';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Entry point for `npm start`: configuration errors are one line and exit 1; signals shut down cleanly with exit 0. */
async function main(): Promise<void> {
  const config = configOrExit();
  // Warnings and errors are also kept in the database for the weekly review, from the first line on.
  const logEvents = new LogEventTap();
  const logger = createLogger(config.LOG_LEVEL, 1, logEvents);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  const { startApp } = await import('./app');

  const starting = startApp(config, { logger, logEvents });
  // Installed before the start finishes, so Ctrl-C during start-up still stops the embedded database cleanly.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const app = await starting.catch(() => null);
    await app?.stop();
    logger.info('stopped');
    process.exit(app ? 0 : 1);
  };
  for (const signal of SIGNALS) process.on(signal, () => void shutdown(signal));

  try {
    const app = await starting;
    // Written to the terminal, not logged: log lines are kept and shipped, and are scrubbed of every token.
    if (app.newTokens.admin) {
      process.stdout.write(`管理令牌（仅显示这一次，\`npm run token\` 可再次查看）admin API token, shown once: Authorization: Bearer ${app.newTokens.admin}  (${app.url}/api)\n`);
    }
    if (app.newTokens.leader) {
      process.stdout.write(`领导只读令牌（仅显示这一次）leaders' read-only token, shown once: ${app.newTokens.leader}  (${app.url}/console)\n`);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(error.message + '\n');
      process.exit(1);
    }
    logger.fatal({ err: error }, `启动失败 start failed: ${(error as Error).message}`);
    process.exit(1);
  }
}

void main();
