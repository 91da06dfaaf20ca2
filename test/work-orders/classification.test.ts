import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Org, orgSchema, type OrgDoc } from '../../src/domain/org';
import { route, type RouteRequest } from '../../src/domain/routing';

/** The classification of chapter 3, 二.4–6, read against the county of config/org.example.json. */
const doc = orgSchema.parse(JSON.parse(readFileSync('config/org.example.json', 'utf8'))) as OrgDoc;
const org = new Org(1, doc);

describe('a complaint, report, suggestion or praise goes where the regulation says', () => {
  const cases: { rule: string; request: RouteRequest; unit: string; kind?: string; user?: string; says: string }[] = [
    {
      rule: 'a report of conduct goes to the political work department',
      request: { kind: 'report', text: '抄表员张某 收取好处费后少抄电量' },
      unit: 'szb',
      kind: 'report',
      says: '举报（行业作风、违法违纪）由思想政治工作部处理',
    },
    {
      rule: 'a report of power theft goes to marketing (用电检查), not to the political work department',
      request: { kind: 'report', text: '邻居 私拉电线窃电' },
      unit: 'yxb',
      says: '涉及「窃电」：窃电、违约用电由市场营销部（用电检查）处理',
    },
    {
      rule: 'a complaint about irregular use goes to marketing (用电检查) too',
      request: { kind: 'complaint', text: '南溪镇 隔壁厂房违约用电导致我家电压低' },
      unit: 'yxb',
      says: '涉及「违约用电」：窃电、违约用电由市场营销部（用电检查）处理',
    },
    {
      rule: 'a complaint about conduct is a report, for the political work department',
      request: { kind: 'complaint', text: '装表人员索要好处费' },
      unit: 'szb',
      kind: 'report',
      says: '举报（行业作风、违法违纪）由思想政治工作部处理',
    },
    {
      rule: 'a complaint about conduct naming a town is a report for the political work department, not for the town’s station',
      request: { kind: 'complaint', text: '南溪镇抄表员 索要好处费' },
      unit: 'szb',
      kind: 'report',
      says: '举报（行业作风、违法违纪）由思想政治工作部处理',
    },
    {
      rule: 'a complaint about conduct naming a unit is a report for the political work department, not for that unit',
      request: { kind: 'complaint', text: '江口供电所 抢修班长吃拿卡要' },
      unit: 'szb',
      kind: 'report',
      says: '举报（行业作风、违法违纪）由思想政治工作部处理',
    },
    {
      rule: 'a report of conduct that also speaks of theft stays with the political work department',
      request: { kind: 'report', text: '抄表员收了回扣 帮邻居窃电' },
      unit: 'szb',
      kind: 'report',
      says: '举报（行业作风、违法违纪）由思想政治工作部处理',
    },
    {
      rule: 'a complaint of service quality goes to the department of its category',
      request: { kind: 'complaint', text: '营业厅 电费多收了两百元' },
      unit: 'yxb',
      says: '投诉属市场营销部职责',
    },
    {
      rule: 'a complaint naming a town goes to the unit of that town, not to a leader personally',
      request: { kind: 'complaint', text: '江口镇 抢修人员迟迟不来' },
      unit: 'jiangkou',
      says: '投诉涉及江口镇，由江口供电所处理',
    },
    {
      rule: 'a complaint naming a village goes to the station of its town',
      request: { kind: 'complaint', text: '大坪村 抄表员态度差' },
      unit: 'qingshui',
      says: '投诉涉及大坪村，由清水供电所处理',
    },
    {
      rule: 'a complaint naming a unit goes to the unit involved',
      request: { kind: 'complaint', text: '南溪供电所 抄表员态度恶劣' },
      unit: 'nanxi',
      says: '投诉涉及南溪供电所，由该单位处理',
    },
    {
      rule: 'a complaint needing several departments goes to the leader in charge of marketing',
      request: { kind: 'complaint', text: '电费贵不说，家里电压低到空调开不了' },
      unit: 'leaders',
      user: 'huxiaodong',
      says: '涉及多个部门或单位，由分管营销的领导胡晓东协调处理',
    },
    {
      rule: 'a suggestion goes to the unit concerned',
      request: { kind: 'suggestion', text: '营业厅 周末增加缴费窗口' },
      unit: 'yxb',
      says: '建议属市场营销部职责',
    },
    {
      rule: 'praise goes to the unit praised',
      request: { kind: 'praise', text: '清水供电所 雨夜抢修' },
      unit: 'qingshui',
      says: '表扬涉及清水供电所，由该单位处理',
    },
  ];

  it.each(cases)('$rule', ({ request, unit, kind, user, says }) => {
    const owner = route(org, request);
    expect(owner.unitId).toBe(unit);
    expect(owner.kind).toBe(kind);
    expect(owner.userId).toBe(user);
    expect(owner.rule).toBe(says);
  });
});

describe('the leaders a work order escalates to', () => {
  it('the leader in charge of marketing is the one whose title says 分管营销 when routing names none', () => {
    const { complaintCoordinator: _named, ...routing } = doc.routing;
    const byTitle = new Org(2, orgSchema.parse({ ...doc, routing }));
    expect(byTitle.coordinator.userId).toBe('huxiaodong');
  });

  it('a report goes up to the leader over the political work department, not to the marketing leader', () => {
    expect(org.leaderOver('szb')).toMatchObject({ userId: 'zhouming' });
    expect(org.leaderOver('scb')).toMatchObject({ userId: 'mazhiyuan' });
  });

  it('an organisation without a leader in charge of marketing is refused, saying what is missing', () => {
    const { complaintCoordinator: _named, ...routing } = doc.routing;
    const units = doc.units.map((u) => (u.type === 'leadership' ? { ...u, members: u.members.map((m) => ({ ...m, title: '副总经理' })) } : u));
    const parsed = orgSchema.safeParse({ ...doc, units, routing });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toContain('请指定分管营销的领导：公司领导中没有职务含「分管营销」的成员');
  });
});
