// 月度考核：每个单位的分项及时率、得分和等级；点单位看扣分工单；导出 CSV / XLSX。
import { api, download, el, lastMonth, pct, span, time } from '/console/js/api.js';

const GRADE_CLASS = { 优秀: 'good', 合格: 'ok', 不合格: 'bad' };

export function assessmentPage(root) {
  const form = el('form', null, 'filters');
  form.innerHTML =
    '<label>月份 <input type="month" name="month" required></label>' +
    '<button type="button" data-format="csv">导出 CSV</button><button type="button" data-format="xlsx">导出 XLSX</button>';
  form.elements.month.value = lastMonth();
  const list = el('div', null, 'rows');
  list.id = 'assessment';
  const drill = el('section', null, 'drill');
  drill.id = 'drill';
  root.append(el('h2', '月度考核'), form, list, drill);
  const month = () => form.elements.month.value;

  const load = async () => {
    const report = await api('/reports/assessment?month=' + month());
    list.replaceChildren();
    drill.replaceChildren();
    for (const u of report.units) {
      const c = u.categories;
      const row = el('button', null, 'row');
      row.type = 'button';
      row.dataset.unit = u.unitId;
      const figures = el('span', null, 'figures');
      for (const limit of report.limits) {
        if (c[limit.id]) figures.append(el('span', limit.name.split('（')[0] + ' ' + pct(c[limit.id].rate)));
      }
      if (c.satisfaction) figures.append(el('span', '满意 ' + pct(c.satisfaction.rate)));
      row.append(
        el('b', u.name),
        figures,
        el('span', u.score === null ? '—' : u.score.toFixed(1), 'score'),
        el('span', u.grade || '未考核', 'grade ' + (GRADE_CLASS[u.grade] || 'muted')),
      );
      row.addEventListener('click', () => showTickets(u).catch(root.fail));
      list.append(row);
    }
  };
  const showTickets = async (unit) => {
    const { items } = await api('/reports/assessment/tickets?month=' + month() + '&unit=' + encodeURIComponent(unit.unitId));
    drill.replaceChildren(el('h3', unit.name + ' · 扣分工单 ' + items.length + ' 件'));
    for (const t of items) {
      const link = el('a', null, 'item');
      link.href = '#/ticket/' + encodeURIComponent(t.no);
      link.append(
        el('b', t.no, 'mono'),
        el('div', t.kindName + ' · ' + t.limit),
        el('div', '到期 ' + time(t.dueAt) + ' · 超时 ' + span(t.lateMs), 'late'),
      );
      drill.append(link);
    }
    if (!items.length) drill.append(el('p', '本月没有超时工单', 'muted'));
    drill.scrollIntoView({ block: 'start' });
  };
  form.addEventListener('change', () => load().catch(root.fail));
  form.addEventListener('click', (event) => {
    const format = event.target.dataset && event.target.dataset.format;
    if (format) download('/exports/assessment.' + format + '?month=' + month()).catch(root.fail);
  });
  load().catch(root.fail);
}
