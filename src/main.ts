import { startApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './log';

/** Entry point for `npm start`: configuration errors are one line and exit 1; signals shut down cleanly with exit 0. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(error.message + '\n');
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp(config, { logger });
  } catch (error) {
    logger.fatal({ err: error }, `启动失败 start failed: ${(error as Error).message}`);
    process.exit(1);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

void main();
