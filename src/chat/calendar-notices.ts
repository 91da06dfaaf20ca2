import { fromShanghai } from '../calendar/calendar';
import type { NoticeItem } from '../calendar/notice';
import type { ConfirmedNotice, NoticePreview } from '../domain/calendar-notices';
import { dayLabel } from '../domain/sla/messages';

/** "春节：2月5日（周五）至2月13日（周六）放假，共 9 天；2月20日（周六）上班" */
function itemLine(item: NoticeItem): string {
  const first = item.holidays[0]!;
  const last = item.holidays.at(-1)!;
  const off = first === last ? `${day(first)}放假，共 1 天` : `${day(first)}至${day(last)}放假，共 ${item.holidays.length} 天`;
  const work = item.workdays.length ? `；${item.workdays.map(day).join('、')}上班` : '';
  return `${item.name}：${off}${work}`;
}

function day(date: string): string {
  return dayLabel(fromShanghai(date));
}

/** What a pasted notice was read as, item by item, and how to confirm it. */
export function noticePreviewReply(preview: NoticePreview): string {
  const holidays = preview.items.reduce((sum, item) => sum + item.holidays.length, 0);
  const workdays = preview.items.reduce((sum, item) => sum + item.workdays.length, 0);
  return [
    `**${preview.year} 年节假日安排（读取结果，尚未生效）**`,
    ...preview.items.map((item, i) => `${i + 1}. ${itemLine(item)}`),
    `共放假 ${holidays} 天，调休上班 ${workdays} 天。${preview.replaces ? `确认后将替换已确认的 ${preview.year} 年安排。` : ''}`,
    `核对无误请发送 \`/节假日 确认 ${preview.year}\`；有误请重新粘贴通知全文。`,
  ].join('\n');
}

export function noticeConfirmedReply(confirmed: ConfirmedNotice): string {
  return (
    `已确认 ${confirmed.year} 年节假日安排：放假 ${confirmed.holidays} 天，调休上班 ${confirmed.workdays} 天。` +
    `${confirmed.moved ? `已按新安排重算 ${confirmed.moved} 个进行中的工作日时限。` : '没有需要重算的进行中时限。'}`
  );
}
