import type { Org, UnitDoc } from '../org';
import type { Kind } from '../tickets/machine';
import type { NagStep } from './deadlines';

/** Where a nag goes (the unit whose chat hears it) and whom it wakes. */
export interface NagTarget {
  chat: UnitDoc;
  mentions: string[];
  /** The unit that owes the awaited event (named to leaders). */
  unitName: string;
}

export interface OwedBy {
  kind: Kind;
  responsible: 'owner' | 'desk';
  /** The unit holding the ticket (or holding it when the deadline passed); null when the desk owes the event. */
  unitId: string | null;
}

/**
 * Who hears each step: a warning and the breach go to the chat of whoever owes the event, mentioning those on duty
 * (the crew, the department's handler, the desk); the first escalation mentions that unit's leader in the same chat;
 * the second goes to the company leaders' chat, for the leader in charge: the one who coordinates complaints for
 * work orders (regulation 三、二、6) but 举报, which go to the leader over the department that handles them; the head
 * of the leadership group for repairs. Null when the organisation no longer
 * knows the unit.
 */
export function nagTarget(org: Org, owed: OwedBy, step: NagStep): NagTarget | null {
  const unit = owingUnit(org, owed);
  if (!unit) return null;
  if (step === 'warn' || step === 'breach') return { chat: unit, mentions: org.onDuty(unit.id), unitName: unit.name };
  if (step === 'unit_leader') return { chat: unit, mentions: [unit.leader], unitName: unit.name };
  const { unit: leadership, userId: coordinator } = owed.kind === 'report' ? org.leaderOver(org.doc.routing.report) : org.coordinator;
  const leader = owed.kind === 'repair' ? leadership.leader : coordinator;
  return { chat: leadership, mentions: [leader], unitName: unit.name };
}

function owingUnit(org: Org, owed: OwedBy): UnitDoc | undefined {
  if (owed.responsible === 'desk' || owed.unitId === null) return org.desk;
  return org.doc.units.find((unit) => unit.id === owed.unitId);
}
