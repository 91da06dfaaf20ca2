// 工单控制台：只读。令牌只存在 sessionStorage，所有数据来自带令牌的 /api 调用。
(() => {
  'use strict';
  const TOKEN_KEY = 'console.adminToken';
  const PAGE_SIZE = 20;
  const KINDS = { repair: '故障报修', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬', inquiry: '咨询', query: '查询' };
  const STATES = {
    received: '已受理', linked: '已关联，不派工', dispatched: '已派工，待接单', accepted: '已接单', arrived: '已到达现场',
    returned: '已退回客服班', completed: '已完成，待审核', rework: '审核退回，待重新处理', archived: '已归档', revisited: '已回访', answered: '已答复',
  };
  const VIA = { message: '群消息', tap: '卡片', api: '接口', system: '系统' };
  const GRADE_CLASS = { 优秀: 'good', 合格: 'ok', 不合格: 'bad' };

  const $ = (id) => document.getElementById(id);
  const el = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  };
  const time = (iso) =>
    iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }) : '—';
  const pct = (rate) => (typeof rate === 'number' ? (rate * 100).toFixed(1) + '%' : '—');

  let units = {};
  let page = 1;
  let total = 0;

  class Unauthorized extends Error {}

  async function api(path) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) throw new Unauthorized();
    const response = await fetch('/api' + path, { headers: { authorization: 'Bearer ' + token }, cache: 'no-store' });
    if (response.status === 401) throw new Unauthorized();
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error((body.error && body.error.message) || body.message || '请求失败 (' + response.status + ')');
    return body;
  }

  function fail(error) {
    if (error instanceof Unauthorized) return showLogin('令牌无效或已失效，请重新输入。');
    $('status').textContent = error.message;
    $('status').className = 'error';
  }

  function showLogin(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    $('main').hidden = true;
    $('logout').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('token').focus();
  }

  async function showMain() {
    $('login').hidden = true;
    $('main').hidden = false;
    $('logout').hidden = false;
    try {
      await loadUnits();
      await Promise.all([loadTickets(), loadAssessment()]);
    } catch (error) {
      fail(error);
    }
  }

  function fillSelect(select, entries) {
    select.length = 1;
    for (const [value, label] of entries) select.append(new Option(label, value));
  }

  async function loadUnits() {
    try {
      const { org } = await api('/org');
      units = Object.fromEntries(org.units.map((u) => [u.id, u.name]));
    } catch (error) {
      if (error instanceof Unauthorized) throw error;
      units = {}; // 尚未导入组织：单位按编号显示。
    }
    fillSelect(document.querySelector('#filters [name=unit]'), Object.entries(units));
  }

  async function loadTickets() {
    const form = new FormData($('filters'));
    const query = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    for (const name of ['kind', 'state', 'unit']) if (form.get(name)) query.set(name, String(form.get(name)));
    if (form.get('overdue')) query.set('overdue', 'true');
    const result = await api('/tickets?' + query);
    total = result.total;
    const body = $('tickets');
    body.replaceChildren();
    if (result.items.length === 0) {
      const row = body.insertRow();
      const cell = row.insertCell();
      cell.colSpan = 7;
      cell.className = 'muted empty';
      cell.textContent = '没有符合条件的工单';
    }
    for (const t of result.items) {
      const row = body.insertRow();
      row.className = 'clickable' + (t.overdue_at ? ' overdue' : '');
      row.tabIndex = 0;
      row.append(
        el('td', t.no, 'mono'),
        el('td', t.kindName || KINDS[t.kind] || t.kind),
        el('td', t.stateName || STATES[t.state] || t.state),
        el('td', t.owner_unit_id ? units[t.owner_unit_id] || t.owner_unit_id : '—'),
        el('td', [t.area, t.address, t.description].filter(Boolean).join(' · '), 'summary'),
        el('td', time(t.created_at)),
        el('td', t.overdue_at ? '超时 ' + time(t.overdue_at) : '', 'late'),
      );
      const open = () => loadDetail(t.no).catch(fail);
      row.addEventListener('click', open);
      row.addEventListener('keydown', (event) => { if (event.key === 'Enter') open(); });
    }
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    $('page-info').textContent = '第 ' + page + ' / ' + pages + ' 页，共 ' + total + ' 件';
    $('prev').disabled = page <= 1;
    $('next').disabled = page >= pages;
    $('status').textContent = '更新于 ' + time(new Date().toISOString());
    $('status').className = 'muted';
  }

  async function loadDetail(no) {
    const { ticket, events } = await api('/tickets/' + encodeURIComponent(no));
    $('detail').hidden = false;
    $('detail-no').textContent = ticket.no;
    const fields = [
      ['类型', ticket.kindName], ['状态', ticket.stateName], ['责任单位', ticket.owner_unit_id ? units[ticket.owner_unit_id] || ticket.owner_unit_id : '—'],
      ['片区', ticket.area], ['地址', ticket.address], ['内容', ticket.description], ['联系人', ticket.reporter_name],
      ['受理', time(ticket.created_at)], ['超时', ticket.overdue_at ? time(ticket.overdue_at) : null], ['处理结果', ticket.result], ['答复', ticket.answer],
    ];
    const dl = $('detail-fields');
    dl.replaceChildren();
    for (const [label, value] of fields) if (value) dl.append(el('dt', label), el('dd', value));
    const list = $('timeline');
    list.replaceChildren();
    for (const e of events) {
      const item = el('li');
      item.append(
        el('span', time(e.at), 'when'),
        el('b', STATES[e.to_state] || e.to_state),
        el('span', (e.actor_name || e.actor_id) + ' · ' + (VIA[e.via] || e.via), 'muted'),
      );
      const note = e.data && (e.data.reason || e.data.note || e.data.result || e.data.text);
      if (typeof note === 'string' && note) item.append(el('div', note, 'note'));
      list.append(item);
    }
    $('detail').scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  async function loadAssessment() {
    const input = document.querySelector('#month-form [name=month]');
    const report = await api('/reports/assessment' + (input.value ? '?month=' + input.value : ''));
    input.value = report.month;
    const body = $('assessment');
    body.replaceChildren();
    for (const u of report.units) {
      const c = u.categories || {};
      const row = body.insertRow();
      row.append(
        el('td', u.name),
        el('td', pct(c.arrival && c.arrival.rate)),
        el('td', pct(c.handling && c.handling.rate)),
        el('td', pct(c.dispatch && c.dispatch.rate)),
        el('td', pct(c.satisfaction && c.satisfaction.rate)),
        el('td', u.score === null ? '—' : u.score.toFixed(1), 'num'),
        el('td', u.grade || '—', 'grade ' + (GRADE_CLASS[u.grade] || '')),
      );
    }
    if (report.units.length === 0) {
      const cell = body.insertRow().insertCell();
      cell.colSpan = 7;
      cell.className = 'muted empty';
      cell.textContent = '本月暂无考核数据';
    }
  }

  fillSelect(document.querySelector('#filters [name=kind]'), Object.entries(KINDS));
  fillSelect(document.querySelector('#filters [name=state]'), Object.entries(STATES));

  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token').value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token').value = '';
    showMain();
  });
  $('logout').addEventListener('click', () => showLogin());
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    page = 1;
    loadTickets().catch(fail);
  });
  $('prev').addEventListener('click', () => { page -= 1; loadTickets().catch(fail); });
  $('next').addEventListener('click', () => { page += 1; loadTickets().catch(fail); });
  $('month-form').addEventListener('submit', (event) => {
    event.preventDefault();
    loadAssessment().catch(fail);
  });

  if (sessionStorage.getItem(TOKEN_KEY)) showMain();
  else showLogin();
})();
