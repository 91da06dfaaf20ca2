// 月度分析：三个 100% 指标、主要诉求、重复报修地址、超时较多的单位、停电通知提前量不足、满意度和改进建议。
import { api, el, lastMonth, pct, picture } from '/console/js/api.js';

export function analysisPage(root) {
  const form = el('form', null, 'filters');
  form.innerHTML = '<label>月份 <input type="month" name="month" required></label>';
  form.elements.month.value = lastMonth();
  const body = el('div', null, 'analysis');
  body.id = 'analysis';
  root.append(el('h2', '月度分析'), form, body);

  const block = (title, lines) => {
    const section = el('section');
    const list = el('ul');
    for (const line of lines.length ? lines : ['无']) list.append(el('li', line));
    section.append(el('h3', title), list);
    return section;
  };
  const load = async () => {
    const a = await api('/reports/analysis?month=' + form.elements.month.value);
    const rates = el('div', null, 'kpis');
    for (const [name, r] of [['受理率', a.accepted], ['按时办结率', a.handledInTime], ['答复率', a.answered]]) {
      const kpi = el('div', null, 'kpi' + (r.rate !== null && r.rate < 1 ? ' short' : ''));
      kpi.append(el('b', pct(r.rate)), el('span', name + '（' + r.count + '/' + r.total + '）'));
      rates.append(kpi);
    }
    const s = a.satisfaction;
    // The same picture the leaders got in WeCom on the 1st.
    const image = el('img', null, 'picture');
    image.alt = '月度指标图';
    image.src = await picture('/reports/analysis.png?month=' + form.elements.month.value);
    body.replaceChildren(
      el('p', '投诉、举报、建议、表扬共 ' + a.workOrders + ' 件', 'muted'),
      rates,
      image,
      block('改进建议', a.improvements),
      block('主要诉求', a.topCauses.map((c) => c.cause + ' ' + c.count + ' 件')),
      block('重复报修地址', a.repeatAddresses.map((r) => (r.area || '') + r.address + ' ' + r.count + ' 次：' + r.tickets.join('、'))),
      block('超时较多的单位', a.overdueUnits.map((u) => u.name + ' 超时 ' + u.missed + ' 项')),
      block('停电通知提前量不足', a.lateNotices.map((n) => n.no + ' ' + n.kind + ' ' + n.area + '：提前 ' + n.leadHours + ' 小时（应 ' + n.requiredHours + ' 小时）')),
      block('回访满意度', ['满意率 ' + pct(s.rate) + '：满意 ' + s.satisfied + ' · 一般 ' + s.fair + ' · 不满意 ' + s.dissatisfied]),
      block('应考核单位（报市场营销部）', a.toAssess.map((u) => u.name + ' 超时 ' + u.missed + ' 项，得分 ' + (u.score === null ? '—' : u.score.toFixed(1)))),
    );
  };
  form.addEventListener('change', () => load().catch(root.fail));
  load().catch(root.fail);
}
