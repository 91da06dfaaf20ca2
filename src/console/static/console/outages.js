// 停电信息：正在停电和即将停电的，通知提前量不足的标出。
import { api, el, time } from '/console/js/api.js';

export function outagesPage(root) {
  const list = el('div', null, 'rows');
  list.id = 'outages';
  root.append(el('h2', '停电信息 · 当前与即将'), list);
  api('/outages?active=true')
    .then(({ items }) => {
      if (!items.length) list.append(el('p', '当前没有停电信息', 'muted empty'));
      for (const o of items) {
        const row = el('div', null, 'item' + (o.late ? ' late-notice' : ''));
        row.append(
          el('b', o.no + ' · ' + o.kindName, 'mono'),
          el('div', o.areas.join('、') + (o.line ? ' · ' + o.line : '')),
          el('div', time(o.starts_at) + ' 至 ' + (o.restore_at ? time(o.restore_at) : '待定') + ' · ' + o.cause),
        );
        if (o.late) row.append(el('div', '通知提前量不足：提前 ' + o.leadHours + ' 小时，应 ' + o.requiredLeadHours + ' 小时', 'late'));
        list.append(row);
      }
    })
    .catch(root.fail);
}
