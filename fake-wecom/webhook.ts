/**
 * The group robot webhook, `POST /cgi-bin/webhook/send?key=K` (docs/wecom-protocol.md "Group robot webhook"): one-way
 * notices into the group the key belongs to, 20 messages per minute per key.
 */
import type { z } from 'zod';
import { renderCard } from './cards';
import { ERR, fail, ok, type Outcome } from './errors';
import type { Faults } from './faults';
import { SlidingLimiter } from './rate-limit';
import { parseBody, webhookBodies } from './schemas';
import type { Settings } from './settings';
import type { Transcript } from './transcript';

type Bodies = typeof webhookBodies;
type WebhookBody = { [K in keyof Bodies]: z.output<Bodies[K]> }[keyof Bodies];

export class WebhookRobots {
  private readonly limiter: SlidingLimiter;

  constructor(
    private readonly settings: Settings,
    private readonly transcript: Transcript,
    private readonly faults: Faults,
  ) {
    this.limiter = new SlidingLimiter([{ limit: settings.webhookPerMinute, ms: 60_000 }], settings.now);
  }

  send(key: string | null, raw: string): Outcome {
    const chatId = key === null ? undefined : this.settings.webhookChats.get(key);
    if (key === null || chatId === undefined) return fail(ERR.invalidWebhookKey, `key ${key ?? '(missing)'} is not a robot`);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      return fail(ERR.invalidJson, (e as Error).message);
    }
    const injected = this.faults.nextWebhookError();
    if (injected) return injected;
    const msgtype = (json as { msgtype?: unknown } | null)?.msgtype;
    const schema = typeof msgtype === 'string' && Object.hasOwn(webhookBodies, msgtype)
      ? webhookBodies[msgtype as keyof typeof webhookBodies]
      : undefined;
    if (!schema) return fail(ERR.invalidMsgtype, `msgtype ${String(msgtype)}`);
    const parsed = parseBody(schema, json);
    if ('error' in parsed) return parsed.error;
    const body = parsed.data as WebhookBody;
    // The fake has no webhook upload endpoint, so no media_id can be valid.
    if (body.msgtype === 'file' || body.msgtype === 'voice') return fail(ERR.invalidMediaId, 'the fake issues no webhook media');
    if (!this.limiter.take(key)) return fail(ERR.apiFrequency, `over ${this.settings.webhookPerMinute}/min for this key`);
    this.transcript.add({ chatId, from: 'bot', kind: 'webhook', content: render(body), mentionedList: mentioned(body) });
    return ok();
  }
}

function render(body: WebhookBody): string {
  switch (body.msgtype) {
    case 'text':
      return body.text.content;
    case 'markdown':
      return body.markdown.content;
    case 'markdown_v2':
      return body.markdown_v2.content;
    case 'image':
      return '[image]';
    case 'news':
      return body.news.articles.map((a) => a.title).join('\n');
    case 'template_card':
      return renderCard(body.template_card);
    default:
      return `[${body.msgtype}]`;
  }
}

/** Only a text notifies, by userid or by mobile; markdown (and every other type) @s nobody. */
function mentioned(body: WebhookBody): string[] {
  return body.msgtype === 'text' ? [...(body.text.mentioned_list ?? []), ...(body.text.mentioned_mobile_list ?? [])] : [];
}
