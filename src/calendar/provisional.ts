import { Lunar, Solar } from 'lunar-typescript';

/** A day off of a holiday, YYYY-MM-DD (Shanghai), with the holiday's Chinese name. */
export interface HolidayDay {
  date: string;
  name: string;
}

/**
 * The days off a year will most likely have, before the State Council publishes its notice: the statutory holidays
 * of the 放假办法 (revised 2024) placed by the lunar calendar and the solar terms, with the breaks they usually make:
 * 元旦 1 day; 春节 除夕 to 初七 (8 days); 清明, 端午, 中秋 1 day, plus the Monday when the day falls on a weekend;
 * 劳动节 1–5 May; 国庆节 1–7 October, 1–8 with 中秋 when the festival falls next to it. Make-up working days (调休上班)
 * cannot be foreseen and are left out, so every deadline on these dates is provisional (待确认) until the notice.
 *
 * lunar-typescript computes from calendar numbers alone; chinese-days' lunar functions read dates through the host's
 * time zone (a New York host puts 除夕 a day early).
 */
export function provisionalHolidays(year: number): HolidayDay[] {
  const days: HolidayDay[] = [];
  const add = (from: Solar, count: number, name: string) => {
    for (let i = 0; i < count; i++) days.push({ date: from.next(i).toYmd(), name });
  };
  const single = (day: Solar, name: string) => {
    // A one-day holiday on a Saturday or Sunday is made up on the Monday after (清明 2026, 端午 2025).
    const weekday = day.getWeek();
    add(day, weekday === 6 ? 3 : weekday === 0 ? 2 : 1, name);
  };

  add(Solar.fromYmd(year, 1, 1), 1, '元旦');
  add(Lunar.fromYmd(year, 1, 1).getSolar().next(-1), 8, '春节');
  single(Lunar.fromYmd(year, 3, 1).getJieQiTable()['清明']!, '清明节');
  add(Solar.fromYmd(year, 5, 1), 5, '劳动节');
  single(Lunar.fromYmd(year, 5, 5).getSolar(), '端午节');
  const midAutumn = Lunar.fromYmd(year, 8, 15).getSolar();
  const national = Solar.fromYmd(year, 10, 1);
  const gap = midAutumn.subtract(national);
  if (gap >= -2 && gap <= 7) {
    // Together they make one 8-day break from whichever comes first (2023: 9月29日–10月6日; 2025: 10月1日–8日).
    add(gap < 0 ? midAutumn : national, 8, '国庆节、中秋节');
  } else {
    single(midAutumn, '中秋节');
    add(national, 7, '国庆节');
  }
  return days;
}
