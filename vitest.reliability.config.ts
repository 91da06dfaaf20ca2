import { defineConfig } from 'vitest/config';
import { RELIABILITY, shared } from './vitest.config';

/** `npm run test:reliability`: the real-time tests, kept out of `npm test` (see vitest.config.ts). */
export default defineConfig({ test: { ...shared, include: [RELIABILITY] } });
