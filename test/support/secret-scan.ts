import { REDACTING_HOOKS } from '../../src/log';
import { pino, type Logger } from 'pino';

/**
 * Every test app logs at debug level through the service's own redaction into this scan, and every admin API answer
 * read through `TestApp.api` is scanned too: a configured credential (a token, the database password, a robot's
 * webhook key) found anywhere fails the test that started the app, naming where it was seen.
 */
export class SecretScan {
  private readonly secrets = new Set<string>();
  readonly found: string[] = [];

  /** The service's logger for a test: debug lines, each scanned, none printed unless TEST_LOG_LEVEL asks. */
  logger(): Logger {
    const echo = process.env.TEST_LOG_LEVEL && process.env.TEST_LOG_LEVEL !== 'silent';
    return pino({ level: 'debug', hooks: REDACTING_HOOKS }, {
      write: (line: string) => {
        this.check(line, 'log line');
        if (echo) process.stdout.write(line);
      },
    });
  }

  watch(...values: (string | undefined)[]): void {
    for (const value of values) if (value && value.length >= 6) this.secrets.add(value);
  }

  check(text: string, where: string): void {
    for (const secret of this.secrets) {
      if (text.includes(secret)) this.found.push(`${where} carries a secret ending …${secret.slice(-4)}: ${text.slice(0, 200)}`);
    }
  }

  /** Throws naming every leak seen. */
  assertClean(): void {
    if (this.found.length) throw new Error(`secrets leaked:\n${this.found.slice(0, 5).join('\n')}`);
  }
}
