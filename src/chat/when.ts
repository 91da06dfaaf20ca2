import * as chrono from 'chrono-node';
import { fromShanghai, shanghaiDate } from '../calendar/calendar';
import { HOUR_MS, MINUTE_MS } from '../clock';

/** A moment, or a span from one moment to another, read from what people write. */
export interface Span {
  start: Date;
  end?: Date;
}

const TIME = /^(\d{1,2})[:点](\d{2})?分?$/;
const DAY = /^(?:(今天|明天|后天)|(?:(\d{4})[-/年])?(\d{1,2})[-/月](\d{1,2})日?)$/;
const DAY_TIME = /^(今天|明天|后天|(?:\d{4}[-/年])?\d{1,2}[-/月]\d{1,2}日?)T?(\d{1,2}[:点]\d{0,2}分?)$/;
/** From one time to another, the date said once or twice: 今天14:00-16:30, 11-25 08:00至11-26 18:00. */
const NUMERIC_RANGE = /^(.*?)T?(\d{1,2}[:点]\d{0,2}分?)(?:到|至|-|~|—)(.*?)T?(\d{1,2}[:点]\d{0,2}分?)$/;
/** A while from now: 2小时后, 30分钟后, 半小时以后. */
const FROM_NOW = /^(\d{1,3}|半)个?(小时|分钟)(?:以后|之后|后)$/;
/** The month's end as a deadline: 月底前, 本月底. */
const MONTH_END = /^(?:本月|这个月)?月底(?:前|之前)?$/;
/** A weekday: 周五, 星期五, 本周五, 下周一 (一…日, or 1…7). */
const WEEKDAY_PREFIX = /^(下)?(?:本|这)?(?:周|星期|礼拜)([一二三四五六日天1-7])/;
const RELATIVE_DAY = /^(今天|明天|后天)/;
const STARTS_WITH_TIME = /^(?:上午|下午|晚上|中午|凌晨|早上|傍晚|\d{1,2}[:点])/;
const WEEKDAY_NUMBERS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
/** Words that mark a day without a time (明天, 下周一, 11-25): a time may follow as the next word. */
export const DAY_WORD = /^(?:今天|明天|后天|(?:本|这|下)?(?:周|星期|礼拜)[一二三四五六日天1-7]|(?:\d{4}[-/年])?\d{1,2}[-/月]\d{1,2}日?)$/;

/**
 * Reads a moment or a span in Shanghai time: 14:00, 14点, 明天08:00, 11-25 08:30, 11月25日8点, 2小时后, 月底前, and
 * with the Chinese parser of chrono-node 下午3点, 明天上午9点到下午5点, 下周一8点到18点, 周五8点到18点, 晚上8点. A bare
 * time is today's; 周X the next such day, 下周X that day of next week; a date without a year is this year's; an end
 * before the start is the next day's. The whole text must be
 * the phrase: a word with a time inside it (检修8点) is not one. A day without an hour is not a moment.
 */
export function readWhen(text: string, now: Date): Span | undefined {
  const fromNow = FROM_NOW.exec(text);
  if (fromNow) {
    const amount = fromNow[1] === '半' ? 0.5 : Number(fromNow[1]);
    return { start: new Date(now.getTime() + amount * (fromNow[2] === '小时' ? HOUR_MS : MINUTE_MS)) };
  }
  if (MONTH_END.test(text)) return { start: monthEnd(now) };
  const range = numericRange(text, now);
  if (range) return range;
  const moment = numericMoment(text, now);
  if (moment) return { start: moment };
  return chronoSpan(withDayAsDate(text, now), now);
}

/**
 * The day a phrase starts with, said as a date, so that it means the same whatever the Chinese parser thinks of weeks
 * and of the day around midnight in Shanghai: a time alone is today's; 今天, 明天, 后天; 周X is the next such day,
 * today included (on a Sunday 周一 is tomorrow); 下周X is that day of the next week, weeks starting on Monday.
 */
function withDayAsDate(text: string, now: Date): string {
  const today = shanghaiDate(now);
  const asDate = (days: number, rest: string) => {
    const [year, month, day] = shanghaiDate(new Date(now.getTime() + days * 86_400_000)).split('-').map(Number);
    return `${year}年${month}月${day}日${rest}`;
  };
  if (STARTS_WITH_TIME.test(text)) return asDate(0, text);
  const relative = RELATIVE_DAY.exec(text);
  if (relative) return asDate({ 今天: 0, 明天: 1, 后天: 2 }[relative[1] as '今天' | '明天' | '后天'], text.slice(relative[0].length));
  const weekdayWord = WEEKDAY_PREFIX.exec(text);
  if (!weekdayWord) return text;
  const wanted = WEEKDAY_NUMBERS[weekdayWord[2]!] ?? Number(weekdayWord[2]);
  const weekday = ((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  return asDate(weekdayWord[1] ? 7 - weekday + wanted : (wanted - weekday + 7) % 7, text.slice(weekdayWord[0].length));
}

/** The last minute of the month `now` is in (Shanghai): a deadline said as 月底前. */
function monthEnd(now: Date): Date {
  const [year, month] = shanghaiDate(now).split('-').map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  return new Date(fromShanghai(next).getTime() - MINUTE_MS);
}

function numericRange(text: string, now: Date): Span | undefined {
  const match = NUMERIC_RANGE.exec(text);
  if (!match) return undefined;
  const [, day = '', from = '', endDay = '', to = ''] = match;
  const isDay = (word: string) => word === '' || DAY.test(word);
  if (!isDay(day) || !isDay(endDay)) return undefined;
  const start = numericMoment(`${day}${from}`, now);
  const end = numericMoment(`${endDay || day}${to}`, now);
  if (!start || !end) return undefined;
  // 22:00-06:00: an end at or before the start, on no day of its own, is the next day's (as the Chinese parser reads it).
  return { start, end: !endDay && end <= start ? new Date(end.getTime() + 86_400_000) : end };
}

function numericMoment(text: string, now: Date): Date | undefined {
  const both = DAY_TIME.exec(text);
  const time = TIME.exec(both ? both[2]! : text);
  if (!time) return undefined;
  const hours = Number(time[1]);
  const minutes = Number(time[2] ?? '0');
  if (hours > 23 || minutes > 59) return undefined;
  let day = shanghaiDate(now);
  const date = both ? DAY.exec(both[1]!) : null;
  if (date?.[1]) {
    const offset = { 今天: 0, 明天: 1, 后天: 2 }[date[1] as '今天' | '明天' | '后天'];
    day = shanghaiDate(new Date(now.getTime() + offset * 86_400_000));
  } else if (date) {
    day = `${date[2] ?? day.slice(0, 4)}-${date[3]!.padStart(2, '0')}-${date[4]!.padStart(2, '0')}`;
  }
  try {
    return fromShanghai(day, `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`);
  } catch {
    return undefined;
  }
}

const SHANGHAI_OFFSET_MINUTES = 480;

function chronoSpan(text: string, now: Date): Span | undefined {
  const results = chrono.zh.hans.parse(text, { instant: now, timezone: SHANGHAI_OFFSET_MINUTES });
  const [result] = results;
  if (results.length !== 1 || !result || result.index !== 0 || result.text !== text) return undefined;
  if (!result.start.isCertain('hour') || (result.end && !result.end.isCertain('hour'))) return undefined;
  const start = result.start.date();
  if (!result.end) return { start };
  const end = result.end.date();
  // 晚上10点到6点: an end at or before the start is the next day's (the parser does this for some forms, not all).
  return { start, end: end <= start ? new Date(end.getTime() + 86_400_000) : end };
}
