/**
 * Customer queries the marketing system answers (chapter 3, 四.1): consumption, bills, payments and connection
 * progress, by account number. The domain asks through this port; which system answers (none yet, or an HTTP
 * service) is chosen at start-up.
 */
export const MARKETING_TOPICS = { 电费: 'bill', 电量: 'consumption', 缴费: 'payment', 报装进度: 'connection' } as const;

export type MarketingTopic = (typeof MARKETING_TOPICS)[keyof typeof MARKETING_TOPICS];

export interface MarketingQuery {
  topic: MarketingTopic;
  /** The customer's account number (户号), or an application number for connection progress. */
  account: string;
}

export type MarketingAnswer =
  /** What the system says, ready to read to the customer. */
  | { kind: 'answered'; text: string }
  /** The system knows no such account. */
  | { kind: 'unknown_account' }
  /** No marketing system is connected to the bot. */
  | { kind: 'not_connected' }
  /** The system did not answer in time or failed; the desk takes over. */
  | { kind: 'unavailable' };

export interface MarketingSystem {
  query(request: MarketingQuery): Promise<MarketingAnswer>;
}

/** Until an adapter is configured, every query goes to the desk. */
export const NOT_CONNECTED: MarketingSystem = { query: async () => ({ kind: 'not_connected' }) };
