// 工单查询与导出：按类型、状态、单位、受理日期筛选；导出 CSV / XLSX 为同样的筛选结果。
import { api, download, el, fillSelect, formQuery, KINDS, time } from '/console/js/api.js';

const PAGE_SIZE = 20;

export function ticketsPage(root) {
  const form = el('form', null, 'filters');
  form.id = 'ticket-filters';
  form.innerHTML =
    '<label>类型 <select name="kind"><option value="">全部</option></select></label>' +
    '<label>单位 <select name="unit"><option value="">全部</option></select></label>' +
    '<label>超时 <select name="overdue"><option value="">全部</option><option value="true">只看超时</option></select></label>' +
    '<label>从 <input type="date" name="from"></label><label>到 <input type="date" name="to"></label>' +
    '<button type="button" data-format="csv">导出 CSV</button><button type="button" data-format="xlsx">导出 XLSX</button>';
  fillSelect(form.elements.kind, Object.entries(KINDS));
  const list = el('div', null, 'rows');
  list.id = 'tickets';
  const info = el('p', '', 'muted');
  root.append(el('h2', '工单查询与导出'), form, info, list);

  const load = async () => {
    const [{ org }, result] = await Promise.all([api('/org'), api('/tickets?pageSize=' + PAGE_SIZE + '&' + formQuery(form))]);
    const units = Object.fromEntries(org.units.map((u) => [u.id, u.name]));
    fillSelect(form.elements.unit, Object.entries(units));
    info.textContent = '共 ' + result.total + ' 件' + (result.total > PAGE_SIZE ? '，显示最新 ' + PAGE_SIZE + ' 件，导出为全部' : '');
    list.replaceChildren();
    for (const t of result.items) {
      const link = el('a', null, 'item' + (t.overdue_at ? ' overdue' : ''));
      link.href = '#/ticket/' + encodeURIComponent(t.no);
      link.append(
        el('b', t.no, 'mono'),
        el('div', t.kindName + ' · ' + t.stateName + ' · ' + (units[t.owner_unit_id] || '未派')),
        el('div', [t.area, t.address, t.description].filter(Boolean).join(' · '), 'summary muted'),
        el('div', '受理 ' + time(t.created_at) + (t.overdue_at ? ' · 超时' : ''), t.overdue_at ? 'late' : 'muted'),
      );
      list.append(link);
    }
  };
  form.addEventListener('change', () => load().catch(root.fail));
  form.addEventListener('click', (event) => {
    const format = event.target.dataset && event.target.dataset.format;
    if (format) download('/exports/tickets.' + format + '?' + formQuery(form)).catch(root.fail);
  });
  load().catch(root.fail);
}
