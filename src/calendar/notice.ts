import type { YearSchedule } from './calendar';
import type { HolidayDay } from './provisional';

/**
 * Reads the State Council's yearly notice (国务院办公厅关于20XX年部分节假日安排的通知) as published: its numbered items
 * (一、元旦：1月1日（周三）放假1天，不调休。… 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、
 * 10月11日（周六）上班。) give every day off and every make-up working day. Everything else in the text is ignored.
 * Whatever does not read cleanly is refused with the reason, never guessed: the result decides every deadline of a year.
 */
export interface NoticeItem {
  /** The item's heading: 元旦, 春节, …, 国庆节、中秋节. */
  name: string;
  /** The days off, in order. */
  holidays: string[];
  /** The make-up working days (调休上班), in order. */
  workdays: string[];
}

export interface ParsedNotice extends YearSchedule {
  items: NoticeItem[];
}

export class NoticeError extends Error {}

const HOLIDAY = '(?:元旦|春节|清明节|劳动节|端午节|中秋节|国庆节)';
/** "三、清明节：" or "六、国庆节、中秋节：" — a numbered item whose heading is made of holiday names only. */
const ITEM = new RegExp(`[一二三四五六七八九十]{1,2}、(${HOLIDAY}(?:、${HOLIDAY})*)[：:]`, 'gu');
/** "2022年12月31日（周六）", "2月4日（农历正月初七、周二）" or "6日（周日）"; the year and month may be left out. */
const DATE = /(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日\s*(?:[（(]([^）)]*)[）)])?/gu;
const WEEKDAYS = '日一二三四五六';

export function parseHolidayNotice(text: string): ParsedNotice {
  const normalized = text.normalize('NFKC').replace(/\s+/gu, ' ');
  const yearMatch = /关于\s*(\d{4})\s*年\s*部分节假日安排/u.exec(normalized) ?? /现将\s*(\d{4})\s*年/u.exec(normalized);
  if (!yearMatch) {
    throw new NoticeError('没有找到年份：请连同标题“国务院办公厅关于20XX年部分节假日安排的通知”一起粘贴通知全文');
  }
  const year = Number(yearMatch[1]);
  const headings = [...normalized.matchAll(ITEM)];
  if (headings.length === 0) throw new NoticeError('没有找到放假安排：通知正文应有“一、元旦：……”这样的条目');
  const items = headings.map((heading, i) => {
    const body = normalized.slice(heading.index + heading[0].length, headings[i + 1]?.index ?? normalized.length);
    return parseItem(year, heading[1]!, body);
  });
  const holidays = items.flatMap((item) => item.holidays.map((date) => ({ date, name: item.name })));
  const workdays = items.flatMap((item) => item.workdays.map((date) => ({ date, name: item.name })));
  refuseDuplicates(holidays, workdays);
  return { year, items, holidays: byDate(holidays), workdays: byDate(workdays) };
}

function parseItem(year: number, name: string, body: string): NoticeItem {
  const holidays: string[] = [];
  const workdays: string[] = [];
  for (const sentence of body.split(/[。；;]/u)) {
    if (sentence.includes('放假')) holidays.push(...daysOff(year, name, sentence));
    else if (sentence.includes('上班')) workdays.push(...datesIn(year, name, sentence).map((d) => d.date));
  }
  if (holidays.length === 0) throw new NoticeError(`${name}：没有读到放假日期，应如“4月4日（周五）至6日（周日）放假，共3天”`);
  return { name, holidays, workdays };
}

/** "4月4日（周五）至6日（周日）放假，共3天" or "1月1日（周三）放假1天". */
function daysOff(year: number, name: string, sentence: string): string[] {
  const [until] = sentence.split('放假');
  const dates = datesIn(year, name, until!);
  const ranged = until!.includes('至');
  if (dates.length !== (ranged ? 2 : 1)) {
    throw new NoticeError(`${name}：“${sentence.trim()}”应为一天（如“1月1日放假”）或一段（如“4月4日至6日放假”）`);
  }
  const first = dates[0]!.day;
  const last = dates[dates.length - 1]!.day;
  if (last < first) throw new NoticeError(`${name}：“${sentence.trim()}”的结束日期早于开始日期`);
  const days = Array.from({ length: last - first + 1 }, (_, i) => dayString(first + i));
  const total = /共\s*(\d+)\s*天|放假\s*(\d+)\s*天/u.exec(sentence);
  const stated = total ? Number(total[1] ?? total[2]) : undefined;
  if (stated !== undefined && stated !== days.length) {
    throw new NoticeError(`${name}：“${sentence.trim()}”写明共 ${stated} 天，但日期跨度是 ${days.length} 天，请核对`);
  }
  return days;
}

/** Every date of a sentence; a date without its month takes the one before it ("4月4日至6日"), checked for its weekday. */
function datesIn(year: number, name: string, sentence: string): { date: string; day: number }[] {
  let month: number | undefined;
  let dateYear = year;
  return [...sentence.matchAll(DATE)].map((match) => {
    if (match[1]) dateYear = Number(match[1]);
    if (match[2]) month = Number(match[2]);
    if (month === undefined) throw new NoticeError(`${name}：“${match[0].trim()}”没有月份`);
    const day = Date.UTC(dateYear, month - 1, Number(match[3])) / 86_400_000;
    const date = dayString(day);
    if (date !== `${dateYear}-${pad(month)}-${pad(Number(match[3]))}`) throw new NoticeError(`${name}：没有 ${month}月${match[3]}日 这一天`);
    if (dateYear !== year && !(dateYear === year - 1 && month === 12)) {
      throw new NoticeError(`${name}：${date} 不在 ${year} 年的安排之内`);
    }
    const weekday = /周([日天一二三四五六])/u.exec(match[4] ?? '');
    if (weekday) {
      const stated = WEEKDAYS.indexOf(weekday[1] === '天' ? '日' : weekday[1]!);
      const actual = new Date(day * 86_400_000).getUTCDay();
      if (stated !== actual) {
        throw new NoticeError(`${name}：${month}月${match[3]}日是周${WEEKDAYS[actual]}，通知里写的是周${weekday[1]}，请核对`);
      }
    }
    return { date, day };
  });
}

function refuseDuplicates(holidays: HolidayDay[], workdays: HolidayDay[]): void {
  const seen = new Set<string>();
  for (const day of [...holidays, ...workdays]) {
    if (seen.has(day.date)) throw new NoticeError(`${day.date} 在通知里出现了两次（${day.name}），请核对`);
    seen.add(day.date);
  }
}

function byDate(days: HolidayDay[]): HolidayDay[] {
  return [...days].sort((a, b) => a.date.localeCompare(b.date));
}

function dayString(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
