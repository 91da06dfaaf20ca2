/**
 * `response_url`s handed out with message and tap callbacks (docs/wecom-protocol.md "response_url"): each works once,
 * for one hour, and posts plain JSON into the chat the callback came from.
 */
import { randomBytes } from 'node:crypto';
import type { BotCommands } from './commands';
import { ERR, fail, type Outcome } from './errors';
import type { Settings } from './settings';

const TTL_MS = 3_600_000;

interface Issued {
  botId: string;
  chatId: string;
  issuedAt: number;
  used: boolean;
}

export class ResponseUrls {
  private readonly codes = new Map<string, Issued>();

  constructor(
    private readonly settings: Settings,
    private readonly commands: BotCommands,
  ) {}

  issue(apiBase: string, botId: string, chatId: string): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { botId, chatId, issuedAt: this.settings.now(), used: false });
    return `${apiBase}/cgi-bin/aibot/response?response_code=${code}`;
  }

  post(code: string | null, raw: string): Outcome {
    const issued = code === null ? undefined : this.codes.get(code);
    const refused = { errcode: this.settings.responseUrlErrcode, errmsg: 'response_url is invalid' };
    if (!issued) return fail(refused, 'unknown response_code');
    if (issued.used) return fail(refused, 'response_url already used');
    if (this.settings.now() - issued.issuedAt > TTL_MS) return fail(refused, 'response_url expired after 1 h');
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      return fail(ERR.invalidJson, (e as Error).message);
    }
    const outcome = this.commands.replyByUrl(issued.botId, issued.chatId, json);
    if (outcome.errcode === 0) issued.used = true;
    return outcome;
  }
}
