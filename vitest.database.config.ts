import { defineConfig } from 'vitest/config';
import { DATABASE_TESTS, shared } from './vitest.config';

/** `npm run test:database`: the storage, migration, concurrency and job tests alone (run against DATABASE_URL by .ci/run). */
export default defineConfig({ test: { ...shared, include: DATABASE_TESTS } });
