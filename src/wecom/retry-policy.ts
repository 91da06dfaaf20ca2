import type { WecomAnswer } from './client';
import { MINUTE_MS } from '../clock';

/**
 * What to do with an outbox row after WeCom answered (or did not): done, try again later, continue as a push, or
 * give up. Rate-limit codes and anything that looks like a passing fault are retried with exponential backoff and
 * jitter until the channel's give-up time; codes that say the message itself is wrong fail at once, so one bad
 * message does not hold up its chat for hours.
 */
export interface RetryPolicy {
  /** First retry delay (default 2 s); doubles per attempt. */
  baseMs: number;
  /** Longest retry delay (default 10 min). */
  maxMs: number;
  /** How long after queuing a message is given up, per channel. */
  giveUpMs: Record<'reply' | 'push' | 'update' | 'webhook', number>;
}


export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 2000,
  maxMs: 10 * MINUTE_MS,
  // A card update is only possible for 5 s after the tap; a little slack covers a reconnect.
  giveUpMs: { reply: 120 * MINUTE_MS, push: 120 * MINUTE_MS, update: 30_000, webhook: 120 * MINUTE_MS },
};

/** Answers that mean "later": system busy, rate limits (aibot 846607, API 45009, concurrency 45033), lost subscription. */
const RETRYABLE = new Set([-1, 45009, 45033, 846607, 846609]);
/** The message or card req_id expired (24 h for replies): the reply continues as a push. */
const REQ_ID_EXPIRED = new Set([846604, 846605]);
/** "Already responded": an earlier attempt got through but its ack was lost. */
const ALREADY_RESPONDED = 846606;
/**
 * "Invalid parameter", WeCom's answer to a card whose task_id it has already. A card sent again after an attempt whose
 * answer was lost differs from that attempt only in its （重发） title, so this answer means the lost attempt arrived.
 */
const INVALID_PARAMETER = 40058;

export type Outcome = { answer: WecomAnswer } | { noAnswer: string };

export type Decision =
  | { action: 'sent' }
  | { action: 'retry'; atMs: number }
  | { action: 'as_push' }
  | { action: 'fail' };

export function decide(
  row: {
    channel: keyof RetryPolicy['giveUpMs'];
    attempts: number;
    createdAtMs: number;
    /** A template card that may have reached the chat on an earlier attempt. */
    cardPossiblyShown?: boolean;
  },
  outcome: Outcome,
  nowMs: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): Decision {
  if ('answer' in outcome) {
    const { errcode } = outcome.answer;
    if (errcode === 0) return { action: 'sent' };
    if (errcode === ALREADY_RESPONDED && (row.channel === 'reply' || row.channel === 'update')) return { action: 'sent' };
    if (REQ_ID_EXPIRED.has(errcode) && row.channel === 'reply') return { action: 'as_push' };
    if (errcode === INVALID_PARAMETER && row.cardPossiblyShown && row.channel !== 'update') return { action: 'sent' };
    if (!RETRYABLE.has(errcode)) return { action: 'fail' };
  }
  if (nowMs - row.createdAtMs >= policy.giveUpMs[row.channel]) return { action: 'fail' };
  return { action: 'retry', atMs: nowMs + backoff(row.attempts, policy, random) };
}

/** "Equal jitter": half the exponential delay fixed, half random, so retries of many rows spread out. */
export function backoff(previousAttempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(previousAttempts, 30));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
