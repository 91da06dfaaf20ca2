import { configDefaults, defineConfig } from 'vitest/config';
import { RELIABILITY, shared } from './vitest.config';

/**
 * `npm run test:reliability`: the real-time tests, kept out of `npm test` (see vitest.config.ts). Two at a time: each
 * kills, freezes or cuts off real processes on its own clock. The kill-in-flight run is in the soak run only
 * (`npm run test:soak`) until its standby reliably takes over within a minute.
 */
const SOAK_ONLY = process.env.RELIABILITY_SOAK ? [] : ['test/reliability/kill-in-flight.test.ts'];

export default defineConfig({
  test: { ...shared, maxWorkers: 2, include: [RELIABILITY], exclude: [...configDefaults.exclude, ...SOAK_ONLY] },
});
