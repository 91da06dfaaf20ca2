import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/database';
import { withDatabase } from '../global-setup';

export interface TestDatabase extends DatabaseHandle {
  url: string;
  name: string;
}

/** A fresh database for one test file, cloned from the migrated template (`empty`: with no schema at all). */
export async function createTestDatabase({ empty = false } = {}): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `${inject('pgPrefix')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${empty ? 'template0' : inject('pgTemplate')}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  return { ...connectDatabase(url), url, name };
}
