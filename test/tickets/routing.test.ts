import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors';
import { Org, orgSchema } from '../../src/domain/org';
import { route, type RouteRequest } from '../../src/domain/routing';

/** The county of config/org.example.json: the rules of the regulation read against its data. */
const org = new Org(1, orgSchema.parse(JSON.parse(readFileSync('config/org.example.json', 'utf8'))));

describe('who owns a new ticket', () => {
  const cases: { rule: string; request: RouteRequest; unit: string; user?: string; area?: string }[] = [
    {
      rule: 'a fault of 10 kV and below goes to the customer centre of its (urban) area',
      request: { kind: 'repair', area: '城关镇' },
      unit: 'khzx',
    },
    {
      rule: 'a low-voltage fault in a rural town goes to its supply station',
      request: { kind: 'repair', area: '龙角镇', voltageKv: 0.4 },
      unit: 'nanxi',
    },
    {
      rule: 'an area typed by its alias is the area',
      request: { kind: 'repair', area: '江口', voltageKv: 10 },
      unit: 'jiangkou',
    },
    {
      rule: 'a remote village goes to the station of its town, with the village’s own class',
      request: { kind: 'repair', area: '石门村' },
      unit: 'nanxi',
      area: 'remote',
    },
    {
      rule: 'a fault at 35 kV goes to the test-and-repair unit whatever the area',
      request: { kind: 'repair', area: '清水乡', voltageKv: 35 },
      unit: 'xiushi',
    },
    {
      rule: 'a fault at 110 kV goes to the test-and-repair unit',
      request: { kind: 'repair', area: '城关镇', voltageKv: 110 },
      unit: 'xiushi',
    },
    {
      rule: 'a report (conduct, law and discipline) goes to the political work department',
      request: { kind: 'report', text: '抄表员收取好处费' },
      unit: 'szb',
    },
    {
      rule: 'a complaint with a category typed by the desk goes to that department',
      request: { kind: 'complaint', category: '生产技术', text: '家里电压低' },
      unit: 'scb',
    },
    {
      rule: 'a complaint naming one unit goes to the unit involved',
      request: { kind: 'complaint', text: '南溪供电所 抄表员态度恶劣' },
      unit: 'nanxi',
    },
    {
      rule: 'a complaint about bills goes to marketing',
      request: { kind: 'complaint', text: '营业厅 电费多收了两百元' },
      unit: 'yxb',
    },
    {
      rule: 'a complaint about outage notices goes to dispatch',
      request: { kind: 'complaint', text: '上周频繁停电，没有停电通知' },
      unit: 'ddzx',
    },
    {
      rule: 'a complaint spanning marketing and production goes to the leader in charge of marketing',
      request: { kind: 'complaint', text: '电费贵不说，家里电压低到空调开不了' },
      unit: 'leaders',
      user: 'huxiaodong',
    },
    {
      rule: 'a complaint naming two units goes to the leader in charge of marketing',
      request: { kind: 'complaint', text: '南溪供电所和江口供电所互相推诿' },
      unit: 'leaders',
      user: 'huxiaodong',
    },
    {
      rule: 'a complaint that fits no department goes to the leader in charge of marketing',
      request: { kind: 'complaint', text: '对处理结果不满意' },
      unit: 'leaders',
      user: 'huxiaodong',
    },
    {
      rule: 'a suggestion that names no department goes to marketing',
      request: { kind: 'suggestion', text: '希望多组织用电安全进社区活动' },
      unit: 'yxb',
    },
    {
      rule: 'praise for a unit goes to that unit',
      request: { kind: 'praise', text: '清水供电所 雨夜抢修' },
      unit: 'qingshui',
    },
    { rule: 'an inquiry is answered by the desk', request: { kind: 'inquiry' }, unit: 'desk' },
    { rule: 'a query is answered by the desk', request: { kind: 'query' }, unit: 'desk' },
  ];

  it.each(cases)('$rule', ({ request, unit, user, area }) => {
    const owner = route(org, request);
    expect(owner.unitId).toBe(unit);
    expect(owner.userId).toBe(user);
    if (area) expect(owner.area?.class).toBe(area);
    expect(owner.rule).toMatch(/[\u4e00-\u9fff]/);
  });

  it('says why the leader coordinates a multi-department complaint', () => {
    expect(route(org, { kind: 'complaint', text: '电费贵，电压低' }).rule).toBe('涉及多个部门或单位，由分管营销的领导胡晓东协调处理');
    expect(route(org, { kind: 'complaint', text: '对结果不满意' }).rule).toBe('无法界定责任部门，由分管营销的领导胡晓东协调处理');
  });

  it('refuses an area outside the company and a category that does not exist, listing the choices', () => {
    expect(() => route(org, { kind: 'repair', area: '火星镇' })).toThrow(DomainError);
    expect(() => route(org, { kind: 'repair', area: '火星镇' })).toThrow(/可选：城关镇、青龙街道/);
    expect(() => route(org, { kind: 'complaint', category: '天气' })).toThrow(/类别「天气」不存在。可选：营销、调度/);
  });
});
