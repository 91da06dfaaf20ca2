import { WecomTransportError, type WecomAnswer } from './client';
import type { WebhookBody } from '../protocol/outbound';

/**
 * Group robot webhook (docs/wecom-protocol.md "Group robot webhook"): one-way notices into groups the bot is not a
 * member of. Reached under `WECOM_API_BASE`; WeCom answers HTTP 200 with an errcode, so only a missing answer is a
 * transport failure.
 */
export async function sendWebhook(apiBase: string, key: string, body: WebhookBody, timeoutMs = 10_000): Promise<WecomAnswer> {
  const url = new URL('/cgi-bin/webhook/send', apiBase);
  url.searchParams.set('key', key);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // A refused connection carried nothing; any other failure (reset, timeout) may have come after WeCom took the post.
    const refused = (error as { cause?: { code?: unknown } }).cause?.code === 'ECONNREFUSED';
    throw new WecomTransportError(refused ? 'not_connected' : 'http_error', `webhook/send: ${(error as Error).message}`);
  }
  const answer = (await response.json().catch(() => undefined)) as Partial<WecomAnswer> | undefined;
  if (!response.ok || typeof answer?.errcode !== 'number') {
    throw new WecomTransportError('http_error', `webhook/send: HTTP ${response.status} without an errcode`);
  }
  return { errcode: answer.errcode, errmsg: answer.errmsg ?? '' };
}
