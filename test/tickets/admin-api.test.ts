import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgDoc } from '../../src/domain/org';
import { CHAT, Desk, numberIn } from './desk';

let desk: Desk;
beforeAll(async () => (desk = await Desk.open()));
afterAll(() => desk.close());

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe('the organisation through the admin API', () => {
  it('is the example county, loaded from ORG_FILE on first start', async () => {
    const body = await json<{ version: number; org: OrgDoc }>(await desk.app.api('/api/org'));
    expect(body.org.company).toBe('云阳县供电公司');
    expect(body.org.units.map((u) => u.name)).toEqual(
      expect.arrayContaining(['客户服务班', '修试所', '客户中心', '调度中心', '思想政治工作部', '市场营销部', '公司办公室', '生产技术部', '公司领导']),
    );
    expect(body.org.areas.filter((a) => a.class === 'remote').length).toBeGreaterThan(0);
  });

  it('rejects a document with a dangling reference whole, saying what is wrong in Chinese', async () => {
    const { version, org } = await json<{ version: number; org: OrgDoc }>(await desk.app.api('/api/org'));
    const broken = { ...org, areas: [...org.areas, { name: '新城街道', level: '街道', class: 'urban', unit: 'nowhere' }] };
    const response = await desk.app.api('/api/org', { method: 'PUT', body: broken });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('区域 新城街道 的责任单位 nowhere 不存在');
    expect((await json<{ version: number }>(await desk.app.api('/api/org'))).version).toBe(version);
  });

  it('refuses to drop a unit that still owns open tickets', async () => {
    await desk.say('wangfang', CHAT.desk, '/报修 清水乡 场镇 停电 13800000000');
    const { org } = await json<{ org: OrgDoc }>(await desk.app.api('/api/org'));
    const without = {
      ...org,
      units: org.units.filter((u) => u.id !== 'qingshui'),
      areas: org.areas.map((a) => (a.unit === 'qingshui' ? { ...a, unit: 'jiangkou' } : a)),
    };
    const response = await desk.app.api('/api/org', { method: 'PUT', body: without });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'org_inconsistent', message: '以下单位仍有未办结的工单，不能删除：qingshui（1 张）' } });
  });

  it('takes a new version that routing follows at once', async () => {
    const { version, org } = await json<{ version: number; org: OrgDoc }>(await desk.app.api('/api/org'));
    const moved = { ...org, areas: org.areas.map((a) => (a.name === '高阳镇' ? { ...a, unit: 'nanxi' } : a)) };
    const saved = await json<{ version: number }>(await desk.app.api('/api/org', { method: 'PUT', body: moved }));
    expect(saved.version).toBe(version + 1);
    const no = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 高阳镇 新街1号 停电 13800000000'));
    expect((await desk.ticket(no)).owner_unit_id).toBe('nanxi');
  });
});

describe('tickets through the admin API', () => {
  interface Page {
    items: { no: string; kind: string; state: string; stateName: string; owner_unit_id: string }[];
    total: number;
    page: number;
    pageSize: number;
  }

  it('lists tickets filtered by kind, state, unit and date, a page at a time', async () => {
    for (let i = 1; i <= 3; i++) await desk.say('wangfang', CHAT.desk, `/报修 城关镇 解放路${i}号 停电 13800000000`);
    await desk.say('wangfang', CHAT.desk, '/投诉 营业厅 电费多收 13900000000');

    const repairs = await json<Page>(await desk.app.api('/api/tickets?kind=repair&state=dispatched&unit=khzx&pageSize=2'));
    expect(repairs.total).toBe(3);
    expect(repairs.items).toHaveLength(2);
    expect(repairs.items[0]).toMatchObject({ kind: 'repair', state: 'dispatched', stateName: '已派工，待接单', owner_unit_id: 'khzx' });
    const second = await json<Page>(await desk.app.api('/api/tickets?kind=repair&state=dispatched&unit=khzx&pageSize=2&page=2'));
    expect(second.items).toHaveLength(1);

    expect((await json<Page>(await desk.app.api('/api/tickets?kind=complaint'))).total).toBe(1);
    expect((await json<Page>(await desk.app.api('/api/tickets?from=2026-11-24&to=2026-11-24'))).total).toBeGreaterThanOrEqual(6);
    expect((await json<Page>(await desk.app.api('/api/tickets?from=2026-11-25'))).total).toBe(0);
    expect((await json<Page>(await desk.app.api('/api/tickets?overdue=true'))).total).toBe(0);
  });

  it('shows one ticket with its timeline', async () => {
    const no = numberIn(await desk.say('wangfang', CHAT.desk, '/报修 南溪镇 场镇街9号 变压器冒烟 13800000000'));
    const body = await json<{ ticket: { no: string; kindName: string }; events: { type: string; actor_name: string }[] }>(
      await desk.app.api(`/api/tickets/${no}`),
    );
    expect(body.ticket).toMatchObject({ no, kindName: '故障报修' });
    expect(body.events.map((e) => [e.type, e.actor_name])).toEqual([
      ['created', '王芳'],
      ['dispatched', '客服机器人'],
    ]);
  });

  it('answers unknown numbers, bad filters and missing tokens with Chinese errors', async () => {
    const missing = await desk.app.api('/api/tickets/GZ20261124-9999');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'ticket_not_found' } });
    expect((await desk.app.api('/api/tickets?kind=weather')).status).toBe(400);
    expect((await desk.app.api('/api/tickets', { token: null })).status).toBe(401);
  });
});
