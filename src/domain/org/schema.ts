import { z } from 'zod';
import { HIGH_VOLTAGE_FROM_KV } from '../regulation';

/**
 * The organisation document behind `GET/PUT /api/org` and `config/org.example.json`: units and departments with their
 * WeCom chats and people, the areas each crew unit serves, and the routing rules of the regulation (chapter 2 and 3).
 * A document is accepted whole or not at all: `orgSchema` checks every reference inside it.
 */
const id = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, '编号只能用小写字母、数字、- 和 _，且以字母开头');
const userId = z.string().min(1).max(64);
const label = z.string().trim().min(1).max(40);

export const UNIT_TYPES = [
  'desk', // 客户服务班: the 95598 desk
  'repair', // 修试所: faults at 35 kV and above
  'customer_centre', // 客户中心: 10 kV and below in its own areas
  'supply_station', // 供电所: 10 kV and below in its areas
  'dispatch', // 调度中心
  'department', // functional departments: 思想政治工作部, 市场营销部, 公司办公室, 生产技术部, …
  'leadership', // 公司领导
] as const;
export type UnitType = (typeof UNIT_TYPES)[number];
/** What the title of the leader in charge of marketing says (副总经理（分管营销）). */
export const MARKETING_LEADER_TITLE = '分管营销';
/** Units whose members take repair tickets (accept, arrive, return, complete). */
export const CREW_TYPES: readonly UnitType[] = ['repair', 'customer_centre', 'supply_station'];

const memberSchema = z.object({
  userId,
  name: label,
  title: label.optional(),
  /** Mobile number, for the group robot's @ by mobile and for people to call. */
  mobile: z.string().regex(/^1\d{10}$/, '手机号应为 11 位数字').optional(),
  /** On duty: mentioned when a ticket arrives; when nobody is, every member is mentioned. */
  onDuty: z.boolean().optional(),
});

const unitSchema = z.object({
  id,
  name: label,
  type: z.enum(UNIT_TYPES),
  /** Other names people type for it (城关所, 营销部). */
  aliases: z.array(label).default([]),
  /** The unit's WeCom group chat. */
  chatId: z.string().min(1).max(128),
  /** Group robot webhook key, for notice-only groups where the bot is not a member. */
  webhookKey: z.string().min(1).optional(),
  leader: userId,
  members: z.array(memberSchema).min(1),
});

const areaSchema = z.object({
  name: label,
  aliases: z.array(label).default([]),
  level: z.enum(['街道', '乡镇', '村']),
  /** The 乡镇/街道 a village lies in: an outage published for the town covers its villages. */
  parent: label.optional(),
  class: z.enum(['urban', 'rural', 'remote']),
  /** The customer centre or supply station that repairs 10 kV and below here. */
  unit: id,
});

const categorySchema = z.object({
  /** What a desk member types after 类别: (营销, 调度, …). */
  name: label,
  unit: id,
  /** Words in a complaint that point to this department. */
  keywords: z.array(label).default([]),
});

const routingSchema = z.object({
  desk: id,
  /** Told when a repair needs a power cut at 10 kV or above. */
  dispatch: id,
  /** Faults at or above `fromKv` (the regulation's 35 kV unless the county says otherwise) go to `unit` (修试所), whatever the area. */
  highVoltage: z.object({ fromKv: z.number().positive().default(HIGH_VOLTAGE_FROM_KV), unit: id }),
  /** 举报 → 思想政治工作部. */
  report: id,
  /** 投诉 (and 建议, 表扬) by category: the department concerned. */
  categories: z.array(categorySchema).min(1),
  /**
   * The leader in charge of marketing: complaints spanning several departments or fitting none. Left out: the
   * leadership member whose title says 分管营销.
   */
  complaintCoordinator: userId.optional(),
  /**
   * Power theft and irregular use (窃电, 私拉电线, 违约用电) are for the marketing department's 用电检查, not conduct:
   * a report or complaint with one of these words goes to `unit`.
   */
  irregularUse: z.object({ unit: id, keywords: z.array(label).min(1) }).optional(),
  /**
   * Words of danger (漏电, 触电, 冒烟 …): a fault report saying one is always dispatched, even where a published outage
   * or a repair under way would otherwise explain it.
   */
  hazards: z.array(label).default(['漏电', '触电', '着火', '起火', '冒烟', '冒火花', '打火', '断线', '倒杆', '爆炸']),
  /** Hours a notice without an expected restore time explains new fault reports, from its start or last renewal. */
  openOutageHours: z.number().positive().max(720).default(24),
  /** Suggestions and praise that name no department or unit. */
  otherFeedback: id,
  /** 业扩报装: the department that accepts connection applications and answers for their limits; absent: `otherFeedback`. */
  connection: id.optional(),
});

/**
 * Who answers inquiries of a topic (电费, 报装, 计量 …) the desk cannot (chapter 3, 三.2 三方通话): a member of a unit,
 * reached in that unit's chat, which is also where the limit the desk sets is chased. With `areas`, only for customers
 * of those supply areas; the one without is everyone else's.
 */
const specialistSchema = z.object({
  topic: z.string().trim().min(1).max(20),
  areas: z.array(label).min(1).optional(),
  unit: id,
  userId,
});

export const orgSchema = z
  .object({
    company: label,
    units: z.array(unitSchema).min(1),
    areas: z.array(areaSchema).min(1),
    routing: routingSchema,
    specialists: z.array(specialistSchema).default([]),
  })
  .superRefine((org, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const units = new Map(org.units.map((unit) => [unit.id, unit]));
    const people = new Map<string, string>();

    const unitNames = new Map<string, string>();
    org.units.forEach((unit, i) => {
      if (org.units.findIndex((u) => u.id === unit.id) !== i) issue(['units', i, 'id'], `单位编号 ${unit.id} 重复`);
      if (org.units.findIndex((u) => u.chatId === unit.chatId) !== i) issue(['units', i, 'chatId'], `群聊 ${unit.chatId} 已被其他单位使用`);
      for (const name of [unit.name, ...unit.aliases]) {
        const other = unitNames.get(name);
        if (other && other !== unit.id) issue(['units', i, 'name'], `单位名称「${name}」与 ${other} 重复`);
        unitNames.set(name, unit.id);
      }
      if (!unit.members.some((m) => m.userId === unit.leader)) {
        issue(['units', i, 'leader'], `${unit.name} 的负责人 ${unit.leader} 不在成员名单中`);
      }
      unit.members.forEach((member, j) => {
        const known = people.get(member.userId);
        if (known !== undefined && known !== member.name) {
          issue(['units', i, 'members', j, 'name'], `成员 ${member.userId} 在不同单位的姓名不一致（${known} / ${member.name}）`);
        }
        people.set(member.userId, member.name);
      });
    });

    const areaNames = new Map<string, number>();
    org.areas.forEach((area, i) => {
      for (const name of [area.name, ...area.aliases]) {
        if (areaNames.has(name)) issue(['areas', i, 'name'], `区域名称「${name}」重复`);
        areaNames.set(name, i);
      }
      const unit = units.get(area.unit);
      if (!unit) issue(['areas', i, 'unit'], `区域 ${area.name} 的责任单位 ${area.unit} 不存在`);
      else if (unit.type !== 'customer_centre' && unit.type !== 'supply_station') {
        issue(['areas', i, 'unit'], `区域 ${area.name} 须由客户中心或供电所负责，${unit.name} 不是`);
      }
    });
    org.areas.forEach((area, i) => {
      if (area.level === '村' && !area.parent) issue(['areas', i, 'parent'], `村 ${area.name} 须注明所属乡镇或街道`);
      if (area.parent !== undefined) {
        const parent = org.areas.find((a) => a.name === area.parent);
        if (!parent || parent.level === '村') issue(['areas', i, 'parent'], `区域 ${area.name} 的上级「${area.parent}」不是已登记的乡镇或街道`);
      }
    });

    const routing = org.routing;
    const expectType = (path: (string | number)[], unitId: string, types: readonly UnitType[], what: string) => {
      const unit = units.get(unitId);
      if (!unit) issue(path, `${what}：单位 ${unitId} 不存在`);
      else if (!types.includes(unit.type)) issue(path, `${what}：${unit.name} 的类型不符`);
    };
    expectType(['routing', 'desk'], routing.desk, ['desk'], '客户服务班');
    expectType(['routing', 'dispatch'], routing.dispatch, ['dispatch'], '调度');
    expectType(['routing', 'highVoltage', 'unit'], routing.highVoltage.unit, ['repair'], '高压故障抢修单位');
    expectType(['routing', 'report'], routing.report, ['department'], '举报处理部门');
    expectType(['routing', 'otherFeedback'], routing.otherFeedback, ['department'], '未分类建议、表扬的处理部门');
    if (routing.connection !== undefined) expectType(['routing', 'connection'], routing.connection, ['department', 'customer_centre'], '业扩报装受理部门');
    routing.categories.forEach((category, i) => {
      if (!units.has(category.unit)) issue(['routing', 'categories', i, 'unit'], `投诉类别「${category.name}」的单位 ${category.unit} 不存在`);
    });
    if (routing.irregularUse && !units.has(routing.irregularUse.unit)) {
      issue(['routing', 'irregularUse', 'unit'], `窃电、违约用电的处理单位 ${routing.irregularUse.unit} 不存在`);
    }
    const leadership = org.units.filter((unit) => unit.type === 'leadership');
    if (routing.complaintCoordinator === undefined) {
      if (!leadership.some((unit) => unit.members.some((m) => m.title?.includes(MARKETING_LEADER_TITLE)))) {
        issue(['routing', 'complaintCoordinator'], `请指定分管营销的领导：公司领导中没有职务含「${MARKETING_LEADER_TITLE}」的成员`);
      }
    } else if (!leadership.some((unit) => unit.members.some((m) => m.userId === routing.complaintCoordinator))) {
      issue(['routing', 'complaintCoordinator'], `分管营销的领导 ${routing.complaintCoordinator} 须是公司领导群的成员`);
    }
    org.specialists.forEach((specialist, i) => {
      const unit = units.get(specialist.unit);
      if (!unit) issue(['specialists', i, 'unit'], `专业人员的单位 ${specialist.unit} 不存在`);
      else if (!unit.members.some((m) => m.userId === specialist.userId)) {
        issue(['specialists', i, 'userId'], `专业人员 ${specialist.userId} 不是${unit.name}的成员`);
      }
      for (const area of specialist.areas ?? []) {
        if (!areaNames.has(area)) issue(['specialists', i, 'areas'], `专业人员的服务区域「${area}」未登记`);
      }
    });
  });

export type OrgDoc = z.infer<typeof orgSchema>;
export type UnitDoc = OrgDoc['units'][number];
export type AreaDoc = OrgDoc['areas'][number];
export type MemberDoc = UnitDoc['members'][number];
export type SpecialistDoc = OrgDoc['specialists'][number];
