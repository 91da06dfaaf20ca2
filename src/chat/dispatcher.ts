import type { Tx } from '../db/database';
import { ROLE_NAMES } from '../domain/org';
import type { InboundText } from '../protocol/inbound';
import { attempt, sessionOf, type ChatDeps } from './context';
import type { Command } from './define';
import { NOT_A_COMMAND, helpList, unknownCommand, usage } from './format';
import { inquiryFollowUp } from './follow-up';
import { Outgoing } from './outgoing';
import { readArgs, splitBareCommand, splitCommand, validateArgs } from './parse';
import { namedTicketNo, PHOTO_HOW_TO, quotedTicketNo, receivePhotos } from './photos';

/**
 * A person said something to the bot: find the command, read its arguments, check who may use it, run it, and answer
 * in one reply. Whatever happens, the person gets a Chinese answer and the database gets all of it or none of it.
 */
export async function handleText(deps: ChatDeps, tx: Tx, received: InboundText): Promise<void> {
  const out = new Outgoing({ chatId: received.chat.chatId, reqId: received.reqId });
  const message = withQuotedTicket(received, deps.registry);
  const images = message.images?.length ?? 0;
  const no = images ? namedTicketNo(message) : undefined;
  const parts: string[] = [];
  // Spoken and transcribed by WeCom: say what was understood, so a misheard number is caught.
  if (message.voice) parts.push(`（语音识别：${message.text}）`);
  if (images && message.text === '' && !no) parts.push(PHOTO_HOW_TO);
  else {
    if (message.text !== '' || !images) parts.push(await answer(deps, tx, message, out));
    // Downloaded now, in the handler's first seconds: the photos' URLs live 5 minutes.
    if (no) parts.push(await receivePhotos(tx, deps.media, message, no));
  }
  out.reply(parts.join('\n'));
  await out.flush(tx, deps.outbox);
}

/**
 * Quoting a ticket's card or message and typing 接单, 到达, 完成 … acts on that ticket: its number goes in after the command
 * word when none was typed.
 */
function withQuotedTicket(message: InboundText, registry: ChatDeps['registry']): InboundText {
  const quoted = quotedTicketNo(message);
  if (!quoted || namedTicketNo({ ...message, quoted: undefined })) return message;
  const slashed = splitCommand(message.text);
  const parsed = slashed ?? splitBareCommand(message.text);
  if (!parsed?.word || !registry.find(parsed.word)) return message;
  return { ...message, text: `/${parsed.word} ${quoted} ${parsed.rest}`.trim() };
}

async function answer(deps: ChatDeps, tx: Tx, message: InboundText, out: Outgoing): Promise<string> {
  const slashed = splitCommand(message.text);
  const bare = slashed ? undefined : splitBareCommand(message.text);
  const parsed = slashed ?? (bare && deps.registry.find(bare.word) ? bare : undefined);
  if (!parsed) return (await inquiryFollowUp(deps, tx, message, out)) ?? NOT_A_COMMAND;
  if (!parsed.word) return helpList(deps.registry, []);
  const found = deps.registry.findPhrase(parsed.word, parsed.rest);
  if (!found) return unknownCommand(parsed.word, deps.registry.suggest(parsed.word));
  const command: Command = found.command;

  const loaded = await attempt(tx, out, () => deps.orgs.current(tx));
  if (!loaded.ok) return loaded.error.message;
  const org = loaded.value;

  if (command.roles && !command.roles.some((role) => org.rolesOf(message.userId).includes(role))) {
    const who = command.roles.map((role) => ROLE_NAMES[role]).join('或');
    return `抱歉，\`/${command.name}\` 仅限${who}使用。`;
  }

  const session = sessionOf(deps, tx, org, message.userId, { channel: 'message', ref: message.msgId, chatId: message.chat.chatId }, out);
  const read = readArgs(command.schema.shape, [found.glued, found.rest].join(' '), {
    areas: org.areaSpellings(),
    now: session.now,
  });
  const valid = validateArgs(command.schema, read, { areas: org.areaNames() });
  if (!valid.ok) return usage(command, valid.problems, `/${command.name} ${valid.nearest}`);

  const ran = await attempt(tx, out, () => command.handle({ ...session, chat: message.chat, commands: deps.registry }, valid.args));
  return ran.ok ? ran.value : `抱歉，${ran.error.message}`;
}
