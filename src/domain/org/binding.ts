import type { Clock } from '../../clock';
import type { Tx } from '../../db/database';
import { personActor, recordChange } from '../audit';
import { DomainError } from '../errors';
import { orgSchema, type Org, type UnitDoc } from './index';
import { saveOrg } from './store';

/** Who binds: a person typing in the group (checked against the organisation), or the admin in the console. */
export type Binder = { userId: string } | { admin: string };

/**
 * A unit's group gets its WeCom chat id: WeCom tells a chat's id only when the bot is @-ed there, so a county binds each
 * group by typing `/绑定 单位` in it (or the admin does it in the console). Only the unit's leader or the desk's leader
 * (who runs the bot for the county) may bind from chat. Messages kept for the unit's old chat id (never activated) move
 * to the new one and leave now; the organisation gets a new version, with the change in the audit log.
 */
export async function bindUnitChat(
  tx: Tx,
  clock: Clock,
  org: Org,
  unitText: string,
  chatId: string,
  by: Binder,
): Promise<{ unit: UnitDoc; moved: number; already: boolean }> {
  const unit = org.findUnit(unitText.trim());
  if (!unit) {
    throw new DomainError('unit_unknown', `没有名为「${unitText}」的单位。可绑定的单位：${org.doc.units.map((u) => u.name).join('、')}`);
  }
  if ('userId' in by && by.userId !== unit.leader && by.userId !== org.desk.leader) {
    throw new DomainError(
      'not_allowed',
      `只有${unit.name}负责人（${org.personName(unit.leader)}）或客服班负责人（${org.personName(org.desk.leader)}）可以绑定本群。`,
    );
  }
  if (unit.chatId === chatId) return { unit, moved: 0, already: true };
  const holder = org.doc.units.find((u) => u.chatId === chatId);
  if (holder) throw new DomainError('chat_taken', `本群已绑定为「${holder.name}」的群，一个群只能绑定一个单位。`);

  const doc = orgSchema.parse({ ...org.doc, units: org.doc.units.map((u) => (u.id === unit.id ? { ...u, chatId } : u)) });
  const saved = await saveOrg(tx, clock, doc);
  const actor = 'userId' in by ? personActor({ userId: by.userId, name: org.personName(by.userId) }) : by.admin;
  await recordChange(tx, { subject: 'org', actor, at: clock.now(), before: org.doc, after: saved.doc });
  // What waited for the old, never-activated id now goes to the group that spoke; cards keep their tickets.
  const moved = await tx
    .updateTable('outbox')
    .set({ chat_id: chatId, status: 'pending', next_attempt_at: clock.now() })
    .where('chat_id', '=', unit.chatId)
    .where('status', 'in', ['waiting', 'pending'])
    .executeTakeFirst();
  await tx.updateTable('ticket_cards').set({ chat_id: chatId }).where('chat_id', '=', unit.chatId).execute();
  return { unit: saved.unit(unit.id), moved: Number(moved.numUpdatedRows), already: false };
}
