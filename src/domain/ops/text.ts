import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../clock';
import { shanghaiDate, shanghaiTime } from '../../calendar/calendar';

// How the operations messages write times, sizes and marks: short enough for a phone screen.

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** A line that needs someone: the mark the desk looks for, and WeCom's warning colour on its figure. */
export function warn(figure: string, rest = ''): string {
  return `⚠️ <font color="warning">${figure}</font>${rest}`;
}

export function ok(text: string): string {
  return `✅ ${text}`;
}

/** 11月24日（周二） */
export function dayLabel(at: Date): string {
  const date = shanghaiDate(at);
  const [, month, day] = date.split('-').map(Number);
  return `${month}月${day}日（周${weekdayName(date)}）`;
}

/** 11月24日 10:05 */
export function dateTime(at: Date): string {
  const [, month, day] = shanghaiDate(at).split('-').map(Number);
  return `${month}月${day}日 ${shanghaiTime(at)}`;
}

/** Day of the week of a YYYY-MM-DD date: 0 Sunday … 6 Saturday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function weekdayName(date: string): string {
  return WEEKDAYS[weekday(date)]!;
}

/** 45 分钟 · 3 小时 5 分 · 2 天 3 小时 (rounded down to what a person needs). */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / MINUTE_MS));
  if (ms < HOUR_MS) return `${minutes} 分钟`;
  if (ms < DAY_MS) {
    const rest = minutes % 60;
    return `${Math.floor(minutes / 60)} 小时${rest ? ` ${rest} 分` : ''}`;
  }
  const hours = Math.floor(ms / HOUR_MS) % 24;
  return `${Math.floor(ms / DAY_MS)} 天${hours ? ` ${hours} 小时` : ''}`;
}

/** 812 B · 12.3 KB · 4.0 GB (binary units, one decimal). */
export function size(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** 99.95% (two decimals: a month has 43,200 minutes, and one lost hour is 0.14 %). */
export function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(2)}%`;
}

const TWINS: Record<string, string> = { '<': '＜', '>': '＞', '[': '［', ']': '］', '*': '＊', '`': '｀', '@': '＠' };

/**
 * A log message shown in a chat: most are fixed sentences, but some carry an error's text, which must not become
 * markup or a mention (the same full-width twins as typed text gets in the chat layer).
 */
export function plain(text: string): string {
  return text.replace(/[<>[\]*`@]/g, (char) => TWINS[char]!);
}
