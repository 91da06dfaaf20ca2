import { readFileSync } from 'node:fs';
import statutoryData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { NoticeError, parseHolidayNotice } from '../../src/calendar/notice';

const notice = (year: number) => readFileSync(new URL(`./notices/${year}.txt`, import.meta.url), 'utf8');
const published = (year: number, table: Record<string, string>) => Object.keys(table).filter((date) => date.startsWith(`${year}-`)).sort();

describe('the State Council notice as published', () => {
  for (const year of [2025, 2026]) {
    it(`${year}: exactly the package's days off and make-up working days`, () => {
      const parsed = parseHolidayNotice(notice(year));
      expect(parsed.year).toBe(year);
      expect(parsed.holidays.map((day) => day.date)).toEqual(published(year, statutoryData.holidays));
      expect(parsed.workdays.map((day) => day.date)).toEqual(published(year, statutoryData.workdays));
    });
  }

  it('2025: each item as the notice words it', () => {
    const { items } = parseHolidayNotice(notice(2025));
    expect(items.map((item) => [item.name, item.holidays.length, item.workdays])).toEqual([
      ['元旦', 1, []],
      ['春节', 8, ['2025-01-26', '2025-02-08']],
      ['清明节', 3, []],
      ['劳动节', 5, ['2025-04-27']],
      ['端午节', 3, []],
      ['国庆节、中秋节', 8, ['2025-09-28', '2025-10-11']],
    ]);
    expect(items[4]!.holidays).toEqual(['2025-05-31', '2025-06-01', '2025-06-02']);
  });

  it('reads the items without the line breaks a chat may drop', () => {
    const flat = parseHolidayNotice(notice(2026).replace(/\s+/g, ''));
    expect(flat.holidays).toEqual(parseHolidayNotice(notice(2026)).holidays);
  });
});

describe('refuses what does not read cleanly, saying why', () => {
  const refusal = (text: string) => {
    try {
      parseHolidayNotice(text);
    } catch (error) {
      expect(error).toBeInstanceOf(NoticeError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('no year', () => expect(refusal('一、元旦：1月1日（周五）放假1天。')).toContain('没有找到年份'));
  it('no items', () => expect(refusal('国务院办公厅关于2027年部分节假日安排的通知')).toContain('没有找到放假安排'));
  it('a weekday that does not match', () =>
    expect(refusal(notice(2025).replace('4月27日（周日）', '4月26日（周日）'))).toBe('劳动节：4月26日是周六，通知里写的是周日，请核对'));
  it('a count that does not match the span', () =>
    expect(refusal(notice(2025).replace('4月4日（周五）至6日（周日）放假，共3天', '4月4日（周五）至6日（周日）放假，共4天'))).toContain(
      '写明共 4 天，但日期跨度是 3 天',
    ));
});
