import type { AreaClass } from '../db/schema';
import { DomainError } from './errors';
import type { Org } from './org';
import type { Kind } from './tickets/machine';

/** Who owns a new ticket, and the rule of the regulation that says so (shown to the reporter and kept on the ticket). */
export interface Route {
  unitId: string;
  /** Set when a person, not a unit, coordinates: the leader in charge of marketing. */
  userId?: string;
  rule: string;
  area?: { name: string; class: AreaClass };
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
      return { unitId: unit.id, rule: `${area.name}10kV 及以下故障由${unit.name}处理`, area };
    }
    case 'report': {
      const unit = org.unit(routing.report);
      return { unitId: unit.id, rule: `举报（行业作风、违法违纪）由${unit.name}处理` };
    }
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
 * 1. a category the desk typed (类别:营销) decides alone;
 * 2. exactly one unit named in the text (城关供电所 …) is the unit involved;
 * 3. the departments whose keywords appear: exactly one decides;
 * 4. otherwise, several or none: complaints to the coordinator, suggestions and praise to the feedback department.
 */
function routeFeedback(org: Org, request: RouteRequest): Route {
  const routing = org.doc.routing;
  const word = request.kind === 'complaint' ? '投诉' : request.kind === 'suggestion' ? '建议' : '表扬';
  if (request.category !== undefined) {
    const category = routing.categories.find((c) => c.name === request.category || request.category!.startsWith(c.name));
    if (!category) {
      const known = routing.categories.map((c) => c.name).join('、');
      throw new DomainError('unknown_category', `类别「${request.category}」不存在。可选：${known}`);
    }
    const unit = org.unit(category.unit);
    return { unitId: unit.id, rule: `${category.name}类${word}由${unit.name}处理` };
  }
  const text = request.text ?? '';
  const involved = org.unitsMentionedIn(text).filter((u) => u.type !== 'desk' && u.type !== 'leadership');
  if (involved.length === 1) {
    return { unitId: involved[0]!.id, rule: `${word}涉及${involved[0]!.name}，由该单位处理` };
  }
  const departments = [
    ...new Set(routing.categories.filter((c) => c.keywords.some((k) => text.includes(k))).map((c) => c.unit)),
  ];
  if (departments.length === 1 && involved.length === 0) {
    const unit = org.unit(departments[0]!);
    return { unitId: unit.id, rule: `${word}属${unit.name}职责` };
  }
  if (request.kind !== 'complaint') {
    const unit = org.unit(routing.otherFeedback);
    return { unitId: unit.id, rule: `${word}未指明部门，由${unit.name}处理` };
  }
  const { unit, userId } = org.coordinator;
  const why = involved.length + departments.length > 1 ? '涉及多个部门或单位' : '无法界定责任部门';
  return { unitId: unit.id, userId, rule: `${why}，由分管营销的领导${org.personName(userId)}协调处理` };
}
