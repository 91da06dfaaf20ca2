import type { Tx } from '../db/database';
import { convertInquiry, handOver, pickCandidate } from '../domain/tickets/inquiry';
import { READING_WORDS, type Reading } from '../faq/intent';
import type { InboundText } from '../protocol/inbound';
import { attempt, sessionOf, type ChatDeps } from './context';
import { answerText, convertedReply, convertWord, handedOverReply } from './inquiries';
import type { Outgoing } from './outgoing';

/** 转人工 and the ways people say it. */
const TO_A_PERSON = /^(?:转人工|人工|转人工服务|人工服务|找人工)$/;
const PICK = /^[1-3]$/;
/** 转报修, 转投诉 …: the inquiry becomes that kind of ticket, as the button under a reading does. */
const READING_BY_WORD = new Map((Object.keys(READING_WORDS) as Reading[]).map((reading) => [convertWord(reading), reading]));

/**
 * A bare `1`–`3`, 转人工 or 转投诉 (转报修, 转举报, 转表扬, 转建议; no slash, so no command): the follow-up of the
 * asker's latest open inquiry in this chat.
 * Undefined when the text is neither, so the caller says what it says to any other text.
 */
export async function inquiryFollowUp(deps: ChatDeps, tx: Tx, message: InboundText, out: Outgoing): Promise<string | undefined> {
  const text = message.text.normalize('NFKC').replace(/^(?:@\S+\s*)+/, '').trim();
  const pick = PICK.test(text) ? Number(text) : undefined;
  const reading = READING_BY_WORD.get(text);
  if (pick === undefined && reading === undefined && !TO_A_PERSON.test(text)) return undefined;
  const loaded = await attempt(tx, out, () => deps.orgs.current(tx));
  if (!loaded.ok) return loaded.error.message;
  const org = loaded.value;
  const session = sessionOf(deps, tx, org, message.userId, { channel: 'message', ref: message.msgId, chatId: message.chat.chatId }, out);
  const done = await attempt(tx, out, async () => {
    if (reading) return convertedReply(org, await convertInquiry(session, reading), session.now);
    if (pick === undefined) return handedOverReply(org, await handOver(session));
    const { ticket, entry } = await pickCandidate(session, pick);
    return answerText(org, ticket, entry);
  });
  return done.ok ? done.value : `抱歉，${done.error.message}`;
}
