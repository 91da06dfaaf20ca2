import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors';
import type { Kind } from '../../src/domain/tickets/machine';
import { findTicket } from '../../src/domain/tickets/store';
import { createTestDatabase, type TestDatabase } from '../support/db';

/**
 * A ticket number's tail (0005) read in the speaker's context: a crew means its own ticket, a command means a kind it
 * applies to, and what is still ambiguous is offered as a numbered choice.
 */
let db: TestDatabase;
const at = new Date('2026-11-24T02:00:00Z');

async function ticket(no: string, kind: Kind, state: string, unit: string): Promise<void> {
  await db.db
    .insertInto('tickets')
    .values({ no, kind, state, owner_unit_id: unit, description: '测试', opened_by: 'wangfang', source_chat_id: 'desk', created_at: at, updated_at: at })
    .execute();
}

beforeAll(async () => {
  db = await createTestDatabase();
  await ticket('ZX20261124-0005', 'inquiry', 'answered', 'desk');
  await ticket('GZ20261124-0005', 'repair', 'accepted', 'khzx');
  await ticket('TS20261124-0005', 'complaint', 'dispatched', 'nanxi');
  await ticket('JB20261124-0005', 'report', 'dispatched', 'szb');
}, 60_000);
afterAll(() => db.close());

describe('a tail', () => {
  it('in a crew group means the ticket the crew holds', async () => {
    expect((await findTicket(db.db, '0005', { unitIds: ['khzx'], action: 'arrive' })).no).toBe('GZ20261124-0005');
    expect((await findTicket(db.db, '5', { unitIds: ['nanxi'], action: 'accept' })).no).toBe('TS20261124-0005');
  });

  it('otherwise means the one ticket of a kind the command applies to', async () => {
    // Only a repair has an arrival.
    expect((await findTicket(db.db, '0005', { unitIds: ['desk'], action: 'arrive' })).no).toBe('GZ20261124-0005');
  });

  it('still ambiguous, is offered as a numbered choice of full numbers', async () => {
    const error = await findTicket(db.db, '0005', { unitIds: ['desk'], action: 'approve' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).message).toBe(
      '尾号 0005 对应 3 张工单，请选择并发送完整单号：\n1. GZ20261124-0005（故障报修）\n2. JB20261124-0005（举报）\n3. TS20261124-0005（投诉）',
    );
  });
});
