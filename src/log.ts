import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout, or on another descriptor (command-line tools keep stdout for their result). */
export function createLogger(level: string, fd = 1): Logger {
  const options = { level, base: { service: 'wecom-ticket-bot' }, timestamp: pino.stdTimeFunctions.isoTime };
  return fd === 1 ? pino(options) : pino(options, pino.destination({ dest: fd, sync: true }));
}
