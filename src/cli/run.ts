import { configOrExit, type Config } from '../config';
import { createLogger, type Logger } from '../log';

/**
 * Runs a command-line tool (`npm run token|backup|restore`): configuration errors are one line and exit 1, like `npm
 * start`; any other failure is one line on stderr and exit 1. The tool's log goes to stderr, its result to stdout.
 */
export async function runCli(tool: (config: Config, logger: Logger) => Promise<void>): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.LOG_LEVEL, 2);
  try {
    await tool(config, logger);
    process.exit(0);
  } catch (error) {
    process.stderr.write(`失败 failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
