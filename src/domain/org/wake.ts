import { markdown, mentionText, type Handling, type Outbound, type WecomBody } from '../../protocol/outbound';
import type { Org, UnitDoc } from './index';

/** An @ line: whom it wakes, what it says, and how the transport may treat it. */
export interface Wake {
  userIds: string[];
  text: string;
  handling?: Handling;
}

/**
 * A message for a unit's chat that must wake people: `details` (a card or a text) on the bot, and the @ line. The bot
 * cannot @ anyone on WeCom (docs/wecom-protocol.md "@ mentions"), so the @ goes as the unit's group-robot text with
 * mentioned_list, on the robot's own budget. A unit without a robot gets the names written out on the bot instead: in a
 * text, inside it; beside a card, as a line of its own. Nobody is notified then, which is why admins are told such
 * chats (`unwakeable`).
 */
export function withWake(org: Org, unit: UnitDoc, details: { body: WecomBody; handling?: Handling }, wake: Wake): Outbound[] {
  const push = (body: WecomBody, handling?: Handling): Outbound => ({ channel: 'push', chatId: unit.chatId, body, ...(handling && { handling }) });
  if (wake.userIds.length === 0) return [push(details.body, details.handling)];
  if (unit.webhookKey) {
    const at: Outbound = { channel: 'webhook', webhookKey: unit.webhookKey, body: mentionText(wake.text, wake.userIds) };
    return [push(details.body, details.handling), wake.handling ? { ...at, handling: wake.handling } : at];
  }
  const names = `提醒：${wake.userIds.map((id) => org.personName(id)).join('、')}`;
  if (details.body.msgtype === 'markdown') return [push(markdown(`${details.body.markdown.content}\n${names}`), details.handling)];
  return [push(details.body, details.handling), push(markdown(`${wake.text}\n${names}`), wake.handling)];
}

/** The units whose chat has no group robot: nobody there can be woken by an @. */
export function unwakeable(org: Org): { unitId: string; name: string; chatId: string }[] {
  return org.doc.units.filter((unit) => !unit.webhookKey).map((unit) => ({ unitId: unit.id, name: unit.name, chatId: unit.chatId }));
}
