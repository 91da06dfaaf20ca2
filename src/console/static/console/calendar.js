// 工作日历：今明两年是否已确认；粘贴国务院办公厅节假日通知 → 核对读取结果 → 确认生效（仅管理令牌）。
import { api, el } from '/console/js/api.js';

const WEEKDAYS = '日一二三四五六';
const day = (date) => {
  const [, m, d] = date.split('-').map(Number);
  return m + '月' + d + '日（周' + WEEKDAYS[new Date(date + 'T00:00:00Z').getUTCDay()] + '）';
};

export function calendarPage(root) {
  const years = el('div', null, 'rows');
  years.id = 'calendar-years';
  const form = el('form', null, 'filters');
  form.id = 'notice-form';
  const text = el('textarea');
  text.name = 'text';
  text.rows = 10;
  text.placeholder = '粘贴“国务院办公厅关于20XX年部分节假日安排的通知”全文';
  form.append(text, el('button', '读取通知'));
  form.lastChild.type = 'submit';
  const preview = el('div', null, 'rows');
  preview.id = 'notice-preview';
  const result = el('p', '', 'muted');
  result.id = 'notice-result';
  root.append(el('h2', '工作日历 · 节假日安排'), years, el('h3', '录入节假日通知'), form, preview, result);

  const loadYears = async () => {
    const calendar = await api('/calendar');
    years.replaceChildren(
      ...calendar.years.map((y) =>
        el('div', y.year + ' 年：' + (y.confirmed ? '已确认' : '未确认（截止时间按农历推算的暂定假日计算，待确认）'), 'item' + (y.confirmed ? '' : ' late-notice')),
      ),
    );
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    result.textContent = '';
    preview.replaceChildren();
    try {
      const { preview: p } = await api('/calendar/notices', { text: text.value });
      preview.append(el('b', p.year + ' 年节假日安排（读取结果，尚未生效）'));
      for (const item of p.items) {
        const first = item.holidays[0];
        const last = item.holidays[item.holidays.length - 1];
        const off = first === last ? day(first) : day(first) + '至' + day(last);
        const work = item.workdays.length ? '；' + item.workdays.map(day).join('、') + '上班' : '';
        preview.append(el('div', item.name + '：' + off + '放假，共 ' + item.holidays.length + ' 天' + work, 'item'));
      }
      const confirm = el('button', '确认生效' + (p.replaces ? '（替换已确认的安排）' : ''));
      confirm.type = 'button';
      confirm.id = 'notice-confirm';
      confirm.addEventListener('click', async () => {
        confirm.disabled = true;
        try {
          const { confirmed } = await api('/calendar/notices/' + p.year + '/confirm', {});
          result.textContent =
            '已确认 ' + confirmed.year + ' 年节假日安排：放假 ' + confirmed.holidays + ' 天，调休上班 ' + confirmed.workdays + ' 天，重算进行中时限 ' + confirmed.moved + ' 个。';
          preview.replaceChildren();
          await loadYears();
        } catch (error) {
          result.textContent = error.message;
          confirm.disabled = false;
        }
      });
      preview.append(confirm);
    } catch (error) {
      result.textContent = error.message;
    }
  });
  loadYears().catch(root.fail);
}
