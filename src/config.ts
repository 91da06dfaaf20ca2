import { z } from 'zod';
import { isSecretName, showSettingValue } from './secrets';

/** Every setting the service reads from the environment; `.env.example` documents each with its default. */
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().min(1).optional());
const port = (fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'expected an integer from 0 to 65535' })
      .int('expected an integer from 0 to 65535')
      .min(0, 'expected an integer from 0 to 65535')
      .max(65535, 'expected an integer from 0 to 65535')
      .default(fallback),
  );
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

export const configSchema = z
  .object({
    PORT: port(3000),
    /** Unset: 0.0.0.0 with a real bot, 127.0.0.1 for the sandbox (its pages act as anyone, without a password). */
    HOST: optionalString,
    /** 1: the simulated WeCom on purpose, whatever the database has served before. */
    SANDBOX: z.preprocess(emptyAsUndefined, z.enum(['0', '1'], { error: 'expected 1 or 0' }).default('0')),
    LOG_LEVEL: z.preprocess(
      emptyAsUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    /** Unset: short readable lines and a start-up block on a terminal, JSON lines otherwise (a service manager, a pipe). */
    LOG_FORMAT: z.preprocess(emptyAsUndefined, z.enum(['json', 'text'], { error: 'expected json or text' }).optional()),
    DATABASE_URL: z.preprocess(
      emptyAsUndefined,
      z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional(),
    ),
    DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./.data')),
    EMBEDDED_PG_PORT: port(0),
    ADMIN_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, 'use at least 16 characters').optional()),
    LEADER_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, 'use at least 16 characters').optional()),
    WECOM_BOT_ID: optionalString,
    WECOM_BOT_SECRET: optionalString,
    WECOM_WS_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^wss?$/ }).default('wss://openws.work.weixin.qq.com')),
    WECOM_API_BASE: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).default('https://qyapi.weixin.qq.com')),
    ORG_FILE: z.preprocess(emptyAsUndefined, z.string().default('config/org.example.json')),
    WORKING_HOURS_START: z.preprocess(emptyAsUndefined, clockTime.default('08:30')),
    WORKING_HOURS_END: z.preprocess(emptyAsUndefined, clockTime.default('17:30')),
    /** When the warning of a limit counted in working days goes out, on the working day before the deadline. */
    WORKING_DAY_WARNING_AT: z.preprocess(emptyAsUndefined, clockTime.default('14:00')),
    /**
     * 0: no self-check, weekly log summary or monthly operation report in the desk chat (a second deployment that
     * shares the desk's chats, a test bench). The figures they read are still recorded.
     */
    OPS_REPORTS: z.preprocess(emptyAsUndefined, z.enum(['0', '1'], { error: 'expected 1 or 0' }).default('1')),
    MARKETING_API_BASE: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
    /** Backups (`npm run backup`, and daily): default DATA_DIR/backups. */
    BACKUP_DIR: optionalString,
    /** A second directory every backup is copied to (another disk, a mounted share). */
    BACKUP_COPY_DIR: optionalString,
    BACKUP_KEEP: z.preprocess(
      emptyAsUndefined,
      z.coerce
        .number({ error: 'expected an integer from 1 to 1000' })
        .int('expected an integer from 1 to 1000')
        .min(1, 'expected an integer from 1 to 1000')
        .max(1000, 'expected an integer from 1 to 1000')
        .default(14),
    ),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.WECOM_BOT_ID) !== Boolean(env.WECOM_BOT_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.WECOM_BOT_ID ? 'WECOM_BOT_SECRET' : 'WECOM_BOT_ID'],
        message: 'set both WECOM_BOT_ID and WECOM_BOT_SECRET, or neither (sandbox)',
      });
    } else if (env.SANDBOX === '1' && env.WECOM_BOT_ID) {
      ctx.addIssue({ code: 'custom', path: ['SANDBOX'], message: 'SANDBOX=1 runs the simulated WeCom: unset it, or unset WECOM_BOT_ID and WECOM_BOT_SECRET' });
    } else if (env.DATABASE_URL && !env.WECOM_BOT_ID && env.SANDBOX !== '1') {
      // A misspelt credential on a production database must not turn the desk's data over to the sandbox.
      ctx.addIssue({
        code: 'custom',
        path: ['WECOM_BOT_ID'],
        message: 'refusing to start the sandbox on DATABASE_URL: set WECOM_BOT_ID and WECOM_BOT_SECRET, or SANDBOX=1 for a simulated WeCom on purpose',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? 'environment');
  const received = env[name];
  // A secret's value would end up in terminal scroll-back and log files: name the variable only; any other URL setting
  // is shown without the user, password or credential parameters it may carry.
  const shown = received === undefined || isSecretName(name) ? '' : ` (got ${JSON.stringify(showSettingValue(received))})`;
  throw new ConfigError(`配置错误 invalid configuration: ${name}: ${issue.message}${shown}`);
}

/**
 * The sandbox runs without bot credentials: with SANDBOX=1, or on an embedded database that never served a real bot
 * (the app checks that; `DATABASE_URL` without credentials is refused above).
 */
export function isSandbox(config: Config): boolean {
  return !config.WECOM_BOT_ID;
}

/** The sandbox listens on loopback unless HOST says otherwise. */
export function listenHost(config: Config): string {
  return config.HOST ?? (isSandbox(config) ? '127.0.0.1' : '0.0.0.0');
}

/** For entry points: the configuration, or one line naming what is wrong on stderr and exit code 1. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(error.message + '\n');
      process.exit(1);
    }
    throw error;
  }
}
