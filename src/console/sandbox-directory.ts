import type { Org, UnitType } from '../domain/org/index';

/** Who is in the sandbox and which group chats it shows, in the order the page lists them. */
export type GroupKind = 'desk' | 'crew' | 'department' | 'leaders' | 'dispatch';

export interface SandboxGroup {
  chatId: string;
  name: string;
  kind: GroupKind;
  /** WeCom user ids of the people in the chat. */
  members: string[];
}

export interface SandboxPerson {
  userId: string;
  name: string;
  /** Where and what, e.g. "客户服务班 · 班长". */
  title: string;
  kind: GroupKind;
}

export interface SandboxDirectory {
  groups: SandboxGroup[];
  people: SandboxPerson[];
}

const KIND_OF: Record<UnitType, GroupKind> = {
  desk: 'desk',
  repair: 'crew',
  customer_centre: 'crew',
  supply_station: 'crew',
  department: 'department',
  leadership: 'leaders',
  dispatch: 'dispatch',
};
const ORDER: GroupKind[] = ['desk', 'crew', 'department', 'leaders', 'dispatch'];

/** Every unit's group chat, desk first; each person once, under the first group they appear in. */
export function directoryFromOrg(org: Org): SandboxDirectory {
  const units = org.doc.units
    .map((unit, index) => ({ unit, index, kind: KIND_OF[unit.type] }))
    .sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || a.index - b.index);
  const people = new Map<string, SandboxPerson>();
  for (const { unit, kind } of units) {
    for (const member of unit.members) {
      if (people.has(member.userId)) continue;
      const role = member.title ?? (member.userId === unit.leader ? '负责人' : '成员');
      people.set(member.userId, { userId: member.userId, name: member.name, title: `${unit.name} · ${role}`, kind });
    }
  }
  return {
    groups: units.map(({ unit, kind }) => ({
      chatId: unit.chatId,
      name: unit.name,
      kind,
      members: unit.members.map((m) => m.userId),
    })),
    people: [...people.values()],
  };
}

/** Robot webhook keys of notice-only groups, so the in-process WeCom shows their notices in the right chat. */
export function webhookChats(org: Org): { key: string; chatId: string }[] {
  return org.doc.units.flatMap((unit) => (unit.webhookKey ? [{ key: unit.webhookKey, chatId: unit.chatId }] : []));
}
