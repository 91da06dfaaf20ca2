import { z } from 'zod';
import type { MarketingAnswer, MarketingQuery, MarketingSystem } from '../domain/marketing';
import type { Logger } from '../log';

export interface HttpMarketingOptions {
  /** `MARKETING_API_BASE`: GET {base}/query?topic=bill&account=… answers `{ "answer": "…" }`, 404 for an unknown account. */
  baseUrl: string;
  logger: Logger;
  /** Per attempt; a customer on the phone cannot wait long. */
  timeoutMs?: number;
  /** Further attempts after a timeout, a network error or a 5xx. */
  retries?: number;
}

const answerSchema = z.object({ answer: z.string().min(1).max(2000) });

/**
 * The marketing system over HTTP, with a timeout and a retry. Its failures are logged for engineers and come back as
 * `unavailable`, so the customer gets a polite answer and the desk gets the query; nothing of the failure reaches chat.
 */
export function httpMarketing(options: HttpMarketingOptions): MarketingSystem {
  const timeoutMs = options.timeoutMs ?? 3000;
  const retries = options.retries ?? 1;
  const logger = options.logger.child({ component: 'marketing' });
  return {
    async query(request: MarketingQuery): Promise<MarketingAnswer> {
      const url = new URL('query', options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
      url.searchParams.set('topic', request.topic);
      url.searchParams.set('account', request.account);
      for (let attempt = 0; attempt <= retries; attempt++) {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
          if (response.status === 404) return { kind: 'unknown_account' };
          if (response.ok) {
            const parsed = answerSchema.safeParse(await response.json().catch(() => undefined));
            if (parsed.success) return { kind: 'answered', text: parsed.data.answer };
            logger.warn({ topic: request.topic, status: response.status }, 'marketing system answered in an unknown shape');
            return { kind: 'unavailable' };
          }
          logger.warn({ topic: request.topic, status: response.status, attempt }, 'marketing system failed');
          if (response.status < 500) return { kind: 'unavailable' };
        } catch (error) {
          logger.warn({ topic: request.topic, attempt, err: error }, 'marketing system did not answer');
        }
      }
      return { kind: 'unavailable' };
    },
  };
}
