import type { Tx } from '../db/database';
import { handOver, pickCandidate } from '../domain/tickets/inquiry';
import type { InboundText } from '../protocol/inbound';
import { attempt, sessionOf, type ChatDeps } from './context';
import { answerText, handedOverReply } from './inquiries';
import type { Outgoing } from './outgoing';

/** 转人工 and the ways people say it. */
const TO_A_PERSON = /^(?:转人工|人工|转人工服务|人工服务|找人工)$/;
const PICK = /^[1-3]$/;

/**
 * A bare `1`–`3` or 转人工 (no slash, so no command): the follow-up of the asker's latest open inquiry in this chat.
 * Undefined when the text is neither, so the caller says what it says to any other text.
 */
export async function inquiryFollowUp(deps: ChatDeps, tx: Tx, message: InboundText, out: Outgoing): Promise<string | undefined> {
  const text = message.text.normalize('NFKC').replace(/^(?:@\S+\s*)+/, '').trim();
  const pick = PICK.test(text) ? Number(text) : undefined;
  if (pick === undefined && !TO_A_PERSON.test(text)) return undefined;
  const loaded = await attempt(tx, out, () => deps.orgs.current(tx));
  if (!loaded.ok) return loaded.error.message;
  const org = loaded.value;
  const session = sessionOf(deps, tx, org, message.userId, { channel: 'message', ref: message.msgId, chatId: message.chat.chatId }, out);
  const done = await attempt(tx, out, async () => {
    if (pick === undefined) return handedOverReply(org, await handOver(session));
    const { ticket, entry } = await pickCandidate(session, pick);
    return answerText(org, ticket, entry);
  });
  return done.ok ? done.value : `抱歉，${done.error.message}`;
}
