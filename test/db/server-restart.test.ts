import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/database';
import { PrivatePostgres } from '../reliability/private-postgres';

/**
 * A pooled connection checked out (a transaction in progress) when the server goes away must not end the process:
 * pg emits 'error' on such a client, and an EventEmitter with no listener for it throws. The failing statement
 * reports the error; the pool replaces the connection once the server is back.
 */
let server: PrivatePostgres;
let handle: DatabaseHandle | undefined;
beforeAll(async () => {
  server = await PrivatePostgres.start();
});
afterAll(async () => {
  await handle?.close();
  await server?.close();
});

describe('a database pool through a server restart', () => {
  it('a transaction open at the stop fails; the process lives on and the next query works', async () => {
    handle = connectDatabase(server.urlFor('postgres'), 2);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.prependListener('uncaughtException', onUncaught);
    try {
      let inside!: () => void;
      const begun = new Promise<void>((resolve) => (inside = resolve));
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const transaction = handle.db.transaction().execute(async (tx) => {
        await tx.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
        inside();
        await held; // checked out, between statements, when the server stops
        await tx.selectNoFrom((eb) => eb.lit(2).as('two')).execute();
      });
      const outcome = transaction.then(
        () => 'committed',
        () => 'failed',
      );
      await begun;
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, 200));
      release();
      expect(await outcome).toBe('failed');
      await server.resume();
      const { rows } = await handle.pool.query<{ one: number }>('SELECT 1 AS one');
      expect(rows[0]?.one).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.removeListener('uncaughtException', onUncaught);
    }
  });
});
