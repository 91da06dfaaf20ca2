// SLA 看板：在办工单的运行时限，按紧急程度分组，最紧急的在最上面；每秒倒计时，每 10 秒刷新。
import { api, appNow, el, empty, fillSelect, formQuery, KINDS, span, time } from '/console/js/api.js';

const POLL_MS = 10_000;

export function boardPage(root) {
  const form = el('form', null, 'filters');
  form.id = 'board-filters';
  form.innerHTML =
    '<label>单位 <select name="unit"><option value="">全部</option></select></label>' +
    '<label>类型 <select name="kind"><option value="">全部</option></select></label>' +
    '<label>区域 <select name="area"><option value="">全部</option></select></label>';
  fillSelect(form.elements.kind, Object.entries(KINDS));
  const groups = el('div', null, 'board');
  groups.id = 'board';
  // Groups nobody has @-ed the bot in: WeCom refuses the bot's messages there until someone does.
  const silent = el('p', '', 'warning');
  silent.id = 'not-activated';
  silent.hidden = true;
  root.append(el('h2', 'SLA 看板 · 在办时限'), silent, form, groups);

  let items = [];
  const load = async () => {
    const board = await api('/board?' + formQuery(form));
    fillSelect(form.elements.unit, board.filters.units.map((u) => [u.id, u.name]));
    fillSelect(form.elements.area, board.filters.areas.map((a) => [a, a]));
    silent.hidden = board.notActivated.length === 0;
    silent.textContent = '未激活的群（还没有人 @ 过机器人，消息发不进去，请在群里 @机器人 一次）：' + board.notActivated.join('、');
    items = [];
    groups.replaceChildren();
    for (const group of board.groups) {
      const section = el('section', null, 'group ' + group.urgency);
      section.dataset.urgency = group.urgency;
      section.append(el('h3', group.name + ' · ' + group.items.length));
      if (group.items.length === 0) section.append(el('p', '无', 'muted'));
      for (const item of group.items) section.append(card(item));
      groups.append(section);
    }
    tick();
  };
  const card = (item) => {
    const link = el('a', null, 'item');
    link.href = '#/ticket/' + encodeURIComponent(item.no);
    const countdown = el('span', '', 'countdown');
    items.push({ due: new Date(item.dueAt).getTime(), countdown });
    link.append(
      el('div', null, 'line1'),
      // A deadline on provisional holiday dates (the year's notice not confirmed yet) says so.
      el('div', item.limit + (item.provisional ? ' · 截止时间待确认' : ''), 'limit'),
      el('div', item.unitName + ' · ' + item.person, 'who'),
      el('div', [item.area, item.summary].filter(Boolean).join(' · '), 'summary muted'),
    );
    link.firstChild.append(el('b', item.no, 'mono no'), el('span', item.kindName + ' · ' + item.stateName, 'muted'), countdown);
    if (item.undelivered.length) link.append(el('div', '未送达：' + item.undelivered.join('、') + ' 群未激活，卡片待该群 @机器人 后送达', 'undelivered late'));
    link.title = '到期 ' + time(item.dueAt) + (item.provisional ? '（待确认：该年节假日安排尚未确认）' : '');
    return link;
  };
  const tick = () => {
    const now = appNow().getTime();
    for (const { due, countdown } of items) {
      const left = due - now;
      countdown.textContent = left <= 0 ? '超时 ' + span(left) : '剩余 ' + span(left);
      countdown.classList.toggle('late', left <= 0);
    }
  };
  form.addEventListener('change', () => load().catch(root.fail));
  const ticker = setInterval(tick, 1000);
  const poller = setInterval(() => load().catch(root.fail), POLL_MS);
  empty(groups, '加载中…');
  load().catch(root.fail);
  return () => {
    clearInterval(ticker);
    clearInterval(poller);
  };
}
