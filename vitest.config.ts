import { configDefaults, defineConfig } from 'vitest/config';
import type { InlineConfig } from 'vitest/node';

/** The reliability stage (`npm run test:reliability`): real processes killed, frozen and cut off, in real time. */
export const RELIABILITY = 'test/reliability/**/*.test.ts';

/**
 * The test files where the database itself is what is tested (storage, migrations, concurrency, jobs): `.ci/run` runs
 * them a second time against an external PostgreSQL (DATABASE_URL). The rest take the same SQL path on either server.
 */
export const DATABASE_TESTS = [
  'test/db/schema.test.ts',
  'test/regulation.test.ts',
  'test/sla/agenda-schema.test.ts',
  'test/sla/once-only.test.ts',
  'test/tickets/concurrency.test.ts',
  'test/wecom/inbox.test.ts',
  'test/wecom/leader.test.ts',
  'test/wecom/outbox.test.ts',
  'test/backup/restore.test.ts',
  'test/ops/log-tap.test.ts',
];

export const shared: InlineConfig = {
  globalSetup: ['test/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks',
  // Test files run side by side, one process each: every file has a database of its own (test/support/db.ts), and the
  // browser and reliability files start their own Chromium, service or PostgreSQL, so none waits for another.
  fileParallelism: true,
  // Most files wait on PostgreSQL, sockets and timers rather than the CPU: three at a time keep two cores busy.
  maxWorkers: 3,
};

export default defineConfig({
  test: {
    ...shared,
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, RELIABILITY],
  },
});
