import type { AreaClass } from '../db/schema';
import { DomainError } from './errors';
import type { Org, UnitDoc } from './org';
import type { Kind } from './tickets/machine';

/** Who owns a new ticket, and the rule of the regulation that says so (shown to the reporter and kept on the ticket). */
export interface Route {
  unitId: string;
  /** Set when a person, not a unit, coordinates: the leader in charge of marketing. */
  userId?: string;
  rule: string;
  area?: { name: string; class: AreaClass };
  /** Set when the regulation classifies the request otherwise than typed: conduct and discipline is a 举报. */
  kind?: Kind;
  /** The category that decided, for the monthly analysis (营销, 用电检查, …). */
  category?: string;
}

export interface RouteRequest {
  kind: Kind;
  area?: string;
  voltageKv?: number;
  /** 类别: as the desk typed it (营销, 调度, …). */
  category?: string;
  /** Everything said about whom and what: the object, cause and description of a complaint. */
  text?: string;
}

/** Chapter 2 and 3 of the regulation, reading the organisation's routing data. */
export function route(org: Org, request: RouteRequest): Route {
  const routing = org.doc.routing;
  switch (request.kind) {
    case 'repair': {
      const area = resolveArea(org, request.area);
      if (request.voltageKv !== undefined && request.voltageKv >= routing.highVoltage.fromKv) {
        const unit = org.unit(routing.highVoltage.unit);
        return { unitId: unit.id, rule: `${routing.highVoltage.fromKv}kV 及以上设备、线路故障由${unit.name}处理`, area };
      }
      const unit = org.unit(org.area(area.name)!.unit);
      // Below the organisation's high-voltage threshold the area's own unit repairs: one value decides and says it.
      return { unitId: unit.id, rule: `${area.name}${routing.highVoltage.fromKv}kV 以下故障由${unit.name}处理`, area };
    }
    case 'report':
      return conduct(org, request.text) ?? irregularUse(org, request.text) ?? reportRoute(org);
    case 'complaint':
    case 'suggestion':
    case 'praise':
      return routeFeedback(org, request);
    case 'inquiry':
    case 'query':
      return { unitId: org.desk.id, rule: `${KIND_WORD[request.kind]}由${org.desk.name}答复` };
    case 'connection': {
      const unit = org.unit(routing.connection ?? routing.otherFeedback);
      return { unitId: unit.id, rule: `业扩报装由${unit.name}办理` };
    }
  }
}

const KIND_WORD = { inquiry: '咨询', query: '查询' } as const;

function reportRoute(org: Org): Route {
  const unit = org.unit(org.doc.routing.report);
  return { unitId: unit.id, rule: `举报（行业作风、违法违纪）由${unit.name}处理`, kind: 'report' };
}

/**
 * 行业作风 (二.4): a complaint or report in the words of the conduct category (作风, 吃拿卡要, 索要 …, kept with the
 * category whose unit handles reports) is a 举报 for that department, whatever unit or town it names: the accused unit
 * never handles, nor reads, the case against itself.
 */
function conduct(org: Org, text = ''): Route | undefined {
  const routing = org.doc.routing;
  const words = routing.categories.filter((c) => c.unit === routing.report).flatMap((c) => c.keywords);
  return words.some((k) => text.includes(k)) ? reportRoute(org) : undefined;
}

const IRREGULAR_USE = '用电检查';

/** Power theft and irregular use are a matter for 用电检查 (marketing), whoever reports them and however. */
function irregularUse(org: Org, text = ''): Route | undefined {
  const rule = org.doc.routing.irregularUse;
  const word = rule?.keywords.find((k) => text.includes(k));
  if (!rule || word === undefined) return undefined;
  const unit = org.unit(rule.unit);
  return { unitId: unit.id, rule: `涉及「${word}」：窃电、违约用电由${unit.name}（用电检查）处理`, category: IRREGULAR_USE };
}

export function resolveArea(org: Org, name: string | undefined): { name: string; class: AreaClass } {
  const area = name === undefined ? undefined : org.area(name);
  if (!area) {
    const known = org.areaNames().join('、');
    throw new DomainError(
      'unknown_area',
      name === undefined ? `请写明区域（乡镇或街道）。可选：${known}` : `区域「${name}」不在本公司供区。可选：${known}`,
    );
  }
  return { name: area.name, class: area.class };
}

/**
 * A complaint goes to the department of its category or to the unit involved; one that spans several departments
 * or fits none goes to the leader in charge of marketing. In order:
 * 1. conduct (the words of the report department's category) is a 举报, whatever unit or town is named; power theft
 *    and irregular use go to 用电检查, whatever else is said;
 * 2. a category the desk typed (类别:营销) decides alone; the category of conduct makes it a 举报;
 * 3. exactly one unit involved: named (城关供电所 …), or serving the town or street named (南溪镇 → 南溪供电所);
 * 4. the departments whose keywords appear: exactly one decides;
 * 5. otherwise, several or none: complaints to the coordinator, suggestions and praise to the feedback department.
 */
function routeFeedback(org: Org, request: RouteRequest): Route {
  const routing = org.doc.routing;
  const word = request.kind === 'complaint' ? '投诉' : request.kind === 'suggestion' ? '建议' : '表扬';
  const text = request.text ?? '';
  if (request.kind === 'complaint') {
    const special = conduct(org, text) ?? irregularUse(org, text);
    if (special) return special;
  }
  if (request.category !== undefined) {
    const category = routing.categories.find((c) => c.name === request.category || request.category!.startsWith(c.name));
    if (!category) {
      const known = routing.categories.map((c) => c.name).join('、');
      throw new DomainError('unknown_category', `类别「${request.category}」不存在。可选：${known}`);
    }
    if (request.kind === 'complaint' && category.unit === routing.report) return reportRoute(org);
    const unit = org.unit(category.unit);
    return { unitId: unit.id, rule: `${category.name}类${word}由${unit.name}处理`, category: category.name };
  }
  const involved = unitsAbout(org, text);
  if (involved.length === 1) {
    const { unit, via } = involved[0]!;
    return { unitId: unit.id, rule: `${word}涉及${via}，由${via === unit.name ? '该单位' : unit.name}处理` };
  }
  const matched = routing.categories.filter((c) => c.keywords.some((k) => text.includes(k)));
  const departments = [...new Set(matched.map((c) => c.unit))];
  if (departments.length === 1 && involved.length === 0) {
    if (request.kind === 'complaint' && departments[0] === routing.report) return reportRoute(org);
    const unit = org.unit(departments[0]!);
    return { unitId: unit.id, rule: `${word}属${unit.name}职责`, category: matched[0]!.name };
  }
  if (request.kind !== 'complaint') {
    const unit = org.unit(routing.otherFeedback);
    return { unitId: unit.id, rule: `${word}未指明部门，由${unit.name}处理` };
  }
  const { unit, userId } = org.coordinator;
  const why = involved.length + departments.length > 1 ? '涉及多个部门或单位' : '无法界定责任部门';
  return { unitId: unit.id, userId, rule: `${why}，由分管营销的领导${org.personName(userId)}协调处理` };
}

/**
 * The units a text involves: those it names, and those serving the towns and streets it names (a complaint about
 * 南溪镇 is for 南溪供电所, not for a leader personally). Each unit once, with what pointed to it.
 */
export function unitsAbout(org: Org, text: string): { unit: UnitDoc; via: string }[] {
  const found = new Map<string, { unit: UnitDoc; via: string }>();
  for (const unit of org.unitsMentionedIn(text)) {
    if (unit.type !== 'desk' && unit.type !== 'leadership') found.set(unit.id, { unit, via: unit.name });
  }
  for (const spelling of org.areaSpellings()) {
    if (!text.includes(spelling)) continue;
    const unit = org.unit(org.area(spelling)!.unit);
    if (!found.has(unit.id)) found.set(unit.id, { unit, via: org.area(spelling)!.name });
  }
  return [...found.values()];
}
