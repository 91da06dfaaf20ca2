/**
 * The errcodes the fake answers with. Only 0 is documented for the long connection; the rest come from field reports
 * and the global error-code page (docs/wecom-protocol.md "Error codes"), so the messages mimic what was seen in the
 * wild.
 */
export const ERR = {
  ok: { errcode: 0, errmsg: 'ok' },
  invalidBot: { errcode: 853000, errmsg: 'invalid bot_id or secret' },
  invalidReqId: { errcode: 846605, errmsg: 'invalid req_id' },
  alreadyResponded: { errcode: 846606, errmsg: 'request already responded, cannot respond again' },
  frequency: { errcode: 846607, errmsg: 'frequency limit exceeded' },
  streamExpired: { errcode: 846608, errmsg: 'stream message update expired' },
  notSubscribed: { errcode: 846609, errmsg: 'connection no longer subscribed' },
  invalidParameter: { errcode: 40058, errmsg: 'invalid parameter' },
  invalidMsgtype: { errcode: 40008, errmsg: 'invalid message type' },
  invalidMediaId: { errcode: 40007, errmsg: 'invalid media_id' },
  contentTooLong: { errcode: 45002, errmsg: 'content size out of limit' },
  apiFrequency: { errcode: 45009, errmsg: 'api freq out of limit' },
  invalidJson: { errcode: 47001, errmsg: 'data format error, invalid json' },
  invalidWebhookKey: { errcode: 93000, errmsg: 'invalid webhook url' },
} as const;

/** What the fake answers to one request: an errcode, an errmsg and, for a few commands, a body. */
export interface Outcome {
  errcode: number;
  errmsg: string;
  body?: Record<string, unknown>;
}

export function ok(body?: Record<string, unknown>): Outcome {
  return body ? { ...ERR.ok, body } : { ...ERR.ok };
}

/** An error outcome; `detail` is appended the way WeCom appends hints, so a failing test says why. */
export function fail(err: { errcode: number; errmsg: string }, detail?: string): Outcome {
  return { errcode: err.errcode, errmsg: detail ? `${err.errmsg}, hint: ${detail}` : err.errmsg };
}
