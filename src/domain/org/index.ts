import { CREW_TYPES, MARKETING_LEADER_TITLE, type AreaDoc, type OrgDoc, type SpecialistDoc, type UnitDoc } from './schema';
import { rememberSecret } from '../../secrets';

export { orgSchema, CREW_TYPES, MARKETING_LEADER_TITLE, UNIT_TYPES, type OrgDoc, type UnitDoc, type AreaDoc, type SpecialistDoc, type UnitType } from './schema';

/** What a person may do besides opening tickets, from the units they belong to. */
export type Role = 'desk' | 'crew' | 'leader';

export const ROLE_NAMES: Record<Role, string> = { desk: '客户服务班', crew: '抢修班组', leader: '公司领导' };

/** One version of the organisation, with the lookups commands and routing need. */
export class Org {
  private readonly units: Map<string, UnitDoc>;
  private readonly areas = new Map<string, AreaDoc>();
  private readonly names = new Map<string, string>();

  constructor(
    readonly version: number,
    readonly doc: OrgDoc,
  ) {
    this.units = new Map(doc.units.map((unit) => [unit.id, unit]));
    for (const area of doc.areas) for (const name of [area.name, ...area.aliases]) this.areas.set(name, area);
    for (const unit of doc.units) for (const member of unit.members) this.names.set(member.userId, member.name);
    // A robot's webhook key lets whoever holds it post into the group: never written to a log line.
    for (const unit of doc.units) rememberSecret(unit.webhookKey);
  }

  unit(id: string): UnitDoc {
    const unit = this.units.get(id);
    if (!unit) throw new Error(`unit ${id} is not in organisation version ${this.version}`);
    return unit;
  }

  /** A unit by its id, name or alias, or the one unit whose name contains what was typed (城关 → 城关供电所). */
  findUnit(text: string): UnitDoc | undefined {
    const exact = this.doc.units.find((u) => u.id === text || u.name === text || u.aliases.includes(text));
    if (exact) return exact;
    const partial = this.doc.units.filter((u) => [u.name, ...u.aliases].some((name) => name.includes(text)));
    return text.length >= 2 && partial.length === 1 ? partial[0] : undefined;
  }

  /** Units named anywhere in a text, by name or alias (a complaint's object and cause). */
  unitsMentionedIn(text: string): UnitDoc[] {
    return this.doc.units.filter((u) => [u.name, ...u.aliases].some((name) => text.includes(name)));
  }

  get desk(): UnitDoc {
    return this.unit(this.doc.routing.desk);
  }

  get dispatch(): UnitDoc {
    return this.unit(this.doc.routing.dispatch);
  }

  unitsOf(userId: string): UnitDoc[] {
    return this.doc.units.filter((unit) => unit.members.some((m) => m.userId === userId));
  }

  isMember(userId: string, unitId: string): boolean {
    return this.units.get(unitId)?.members.some((m) => m.userId === userId) ?? false;
  }

  rolesOf(userId: string): Role[] {
    const units = this.unitsOf(userId);
    const roles: Role[] = [];
    if (units.some((u) => u.type === 'desk')) roles.push('desk');
    if (units.some((u) => CREW_TYPES.includes(u.type))) roles.push('crew');
    if (units.some((u) => u.type === 'leadership')) roles.push('leader');
    return roles;
  }

  /** The person's name as the organisation knows it; their WeCom id otherwise. */
  personName(userId: string): string {
    return this.names.get(userId) ?? userId;
  }

  /**
   * The specialist for an inquiry's topic in the customer's supply area: the one named for that area (or the town a
   * village lies in) before the one named for every area.
   */
  specialistFor(topic: string, area: string | null): SpecialistDoc | undefined {
    const named = this.doc.specialists.filter((s) => s.topic === topic);
    const places = area === null ? [] : this.areaChain(area);
    return named.find((s) => s.areas?.some((a) => places.includes(a))) ?? named.find((s) => s.areas === undefined);
  }

  /** Who to @mention when work arrives for a unit: those on duty, or everybody when nobody is marked. */
  onDuty(unitId: string): string[] {
    const members = this.unit(unitId).members;
    const duty = members.filter((m) => m.onDuty);
    return (duty.length ? duty : members).map((m) => m.userId);
  }

  area(name: string): AreaDoc | undefined {
    return this.areas.get(name);
  }

  /** The area's name and those of the town or street it lies in: an outage published for any of them covers it. */
  areaChain(name: string): string[] {
    const chain: string[] = [];
    for (let area = this.area(name); area && !chain.includes(area.name); area = area.parent ? this.area(area.parent) : undefined) {
      chain.push(area.name);
    }
    return chain;
  }

  /** The villages and streets that lie in an area (an outage over the town covers them). */
  areasWithin(name: string): string[] {
    const area = this.area(name);
    if (!area) return [];
    return this.doc.areas.filter((a) => a.name !== area.name && this.areaChain(a.name).includes(area.name)).map((a) => a.name);
  }

  areaNames(): string[] {
    return this.doc.areas.map((area) => area.name);
  }

  /** Every spelling of every area, longest first, for recognising an area glued to an address (城关镇人民路12号). */
  areaSpellings(): string[] {
    return [...this.areas.keys()].sort((a, b) => b.length - a.length);
  }

  /**
   * The leader in charge of marketing, who coordinates complaints that span departments or fit none: the one routing
   * names, or the leadership member whose title says 分管营销.
   */
  get coordinator(): { unit: UnitDoc; userId: string } {
    const named = this.doc.routing.complaintCoordinator;
    const found = this.leadershipMember((m) => (named === undefined ? (m.title?.includes(MARKETING_LEADER_TITLE) ?? false) : m.userId === named));
    if (!found) throw new Error('the complaint coordinator belongs to no leadership unit');
    return found;
  }

  /**
   * The leader over a department: the leadership member whose title names it (党委副书记（分管思想政治工作部）), or
   * the head of the leadership group when no title does. A 举报 escalates to the leader over 思想政治工作部.
   */
  leaderOver(unitId: string): { unit: UnitDoc; userId: string } {
    const names = [this.unit(unitId).name, ...this.unit(unitId).aliases];
    const found = this.leadershipMember((m) => names.some((name) => m.title?.includes(name) ?? false));
    if (found) return found;
    const head = this.doc.units.find((u) => u.type === 'leadership');
    if (!head) throw new Error('the organisation has no leadership unit');
    return { unit: head, userId: head.leader };
  }

  private leadershipMember(match: (member: UnitDoc['members'][number]) => boolean): { unit: UnitDoc; userId: string } | undefined {
    for (const unit of this.doc.units.filter((u) => u.type === 'leadership')) {
      const member = unit.members.find(match);
      if (member) return { unit, userId: member.userId };
    }
    return undefined;
  }
}
