import { ConfigError, configOrExit } from './config';
import { announceStart } from './cli/greeting';
import { createLogger, LogEventTap, type LogFormat } from './log';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How long a signal waits for a clean stop before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 8000;

/** Entry point for `npm start`: configuration errors are one line and exit 1; signals shut down cleanly with exit 0. */
async function main(): Promise<void> {
  const config = configOrExit();
  // Warnings and errors are also kept in the database for the weekly review, from the first line on.
  const logEvents = new LogEventTap();
  // A person at a terminal reads a block and short lines; a service manager or a pipe gets JSON lines.
  const format: LogFormat = config.LOG_FORMAT ?? (process.stdout.isTTY ? 'text' : 'json');
  const logger = createLogger(config.LOG_LEVEL, 1, logEvents, format);
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
    // Under load the handlers' backlog could hold the stop for long: after the grace the process exits anyway. Nothing is
    // lost by it: frames read are in the inbox journal, unhandled ones in the inbox, and a send whose outcome was not
    // recorded goes again marked （重发） from the next holder. The embedded database is always stopped cleanly instead.
    const grace = new Promise<'late'>((resolve) => {
      if (config.DATABASE_URL) setTimeout(() => resolve('late'), SHUTDOWN_GRACE_MS).unref();
    });
    if ((await Promise.race([app?.stop(), grace])) === 'late') logger.warn({ ms: SHUTDOWN_GRACE_MS }, 'shutdown took too long; exiting with work left in the inbox');
    logger.info('stopped');
    process.exit(app ? 0 : 1);
  };
  for (const signal of SIGNALS) process.on(signal, () => void shutdown(signal));

  try {
    announceStart(await starting, config, logger, format);
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
