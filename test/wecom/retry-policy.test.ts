import { describe, expect, it } from 'vitest';
import { RateWindows } from '../../src/wecom/rate-windows';
import { backoff, decide, DEFAULT_RETRY_POLICY as policy } from '../../src/wecom/retry-policy';

const HOUR = 3_600_000;
const row = (channel: 'reply' | 'push' | 'update' | 'webhook', attempts = 0, createdAtMs = 0) => ({ channel, attempts, createdAtMs });
const answer = (errcode: number) => ({ answer: { errcode, errmsg: '' } });

describe('what the sender does with WeCom’s answer', () => {
  it('retries rate limits, busy and lost connections with growing, jittered delays', () => {
    for (const errcode of [846607, 45009, 45033, -1, 846609]) {
      expect(decide(row('push'), answer(errcode), 1000, policy, () => 0)).toEqual({ action: 'retry', atMs: 2000 });
    }
    expect(decide(row('push', 3), { noAnswer: 'ack_timeout' }, 0, policy, () => 1)).toEqual({ action: 'retry', atMs: 16_000 });
    expect(backoff(0, policy, () => 0)).toBe(1000);
    expect(backoff(0, policy, () => 1)).toBe(2000);
    expect(backoff(5, policy, () => 0.5)).toBe(48_000);
    expect(backoff(40, policy, () => 1)).toBe(policy.maxMs);
  });

  it('gives up after the channel’s bounded time', () => {
    expect(decide(row('push', 9, 0), answer(846607), 2 * HOUR - 1, policy).action).toBe('retry');
    expect(decide(row('push', 9, 0), answer(846607), 2 * HOUR, policy)).toEqual({ action: 'fail' });
    expect(decide(row('update', 1, 0), { noAnswer: 'connection_closed' }, 30_000, policy)).toEqual({ action: 'fail' });
  });

  it('turns an expired reply into a push, and takes "already responded" as done', () => {
    expect(decide(row('reply'), answer(846604), 0, policy)).toEqual({ action: 'as_push' });
    expect(decide(row('reply'), answer(846605), 0, policy)).toEqual({ action: 'as_push' });
    expect(decide(row('update'), answer(846605), 0, policy)).toEqual({ action: 'fail' });
    expect(decide(row('reply'), answer(846606), 0, policy)).toEqual({ action: 'sent' });
  });

  it('fails at once on answers that say the message itself is wrong', () => {
    for (const errcode of [40058, 40008, 45002, 86003, 93000]) expect(decide(row('push'), answer(errcode), 0, policy)).toEqual({ action: 'fail' });
  });

  it('takes a card sent again after a lost answer and refused for its task_id as shown, not failed', () => {
    const again = { ...row('push', 1), cardPossiblyShown: true };
    expect(decide(again, answer(40058), 0, policy)).toEqual({ action: 'sent' });
    expect(decide({ ...row('reply', 1), cardPossiblyShown: true }, answer(40058), 0, policy)).toEqual({ action: 'sent' });
    expect(decide({ ...row('update', 1), cardPossiblyShown: true }, answer(40058), 0, policy)).toEqual({ action: 'fail' });
    expect(decide(again, answer(40008), 0, policy)).toEqual({ action: 'fail' });
  });
});

describe('rate windows', () => {
  it('opens again when the send that filled a window slides out', () => {
    const windows = new RateWindows(() => [
      { limit: 3, ms: 60_000 },
      { limit: 5, ms: HOUR },
    ]);
    for (const at of [0, 10_000, 20_000]) windows.record('chat', at);
    expect(windows.freeAt('chat', 30_000)).toBe(60_000);
    expect(windows.freeAt('other', 30_000)).toBe(30_000);
    for (const at of [60_000, 70_000]) windows.record('chat', at);
    expect(windows.freeAt('chat', 130_000)).toBe(HOUR); // 5 in the hour
  });
});
