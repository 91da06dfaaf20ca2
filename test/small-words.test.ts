import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkCalendar } from '../src/calendar/calendar';
import { RETURN_REASONS } from '../src/chat/cards';
import { nagMessage } from '../src/domain/sla/messages';
import { listPolicies } from '../src/domain/sla/policies';
import { KINDS } from '../src/domain/tickets/machine';
import { createTestDatabase, type TestDatabase } from './support/db';

/** Words people read that cost trust when they are wrong or do not fit. */
describe('the words on cards, filters and reminders', () => {
  let database: TestDatabase;
  beforeAll(async () => (database = await createTestDatabase()));
  afterAll(() => database.close());

  it('退回 reason buttons are four characters, so they sit side by side on a phone without wrapping', () => {
    for (const { button } of Object.values(RETURN_REASONS)) expect([...button].length, button).toBeLessThanOrEqual(4);
  });

  it("the console's type filter offers every kind of ticket, 业扩报装 among them", () => {
    const source = readFileSync('src/console/static/console/api.js', 'utf8');
    const offered = /export const KINDS = (\{[^}]*\})/.exec(source)![1]!;
    for (const [kind, { name }] of Object.entries(KINDS)) expect(offered, kind).toContain(`${kind}: '${name}'`);
  });

  it('the reminder for a report linked to an open repair does not call it 关联停电后', async () => {
    const restore = (await listPolicies(database.db)).find((policy) => policy.code === 'repair.restore')!;
    const now = new Date('2026-11-24T06:00:00Z');
    const { texts } = nagMessage(new WorkCalendar(), '客户服务班', [
      { step: 'breach', ticketNo: 'GZ20261124-0002', policy: restore, startedAt: new Date(now.getTime() - 5 * 3_600_000), dueAt: new Date(now.getTime() - 3_600_000), unitName: '客户服务班' },
    ], now);
    expect(texts.join('\n')).toContain('GZ20261124-0002 关联停电或在修故障后已 5 小时');
    expect(texts.join('\n')).not.toContain('关联停电后');
  });
});
