import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import answerCustomer from '../../commands/answer-customer';
import outage from '../../commands/outage';
import repair from '../../commands/repair';
import { fromShanghai, shanghaiDate } from '../../src/calendar/calendar';
import type { ArgsShape } from '../../src/chat/define';
import { readArgs, validateArgs } from '../../src/chat/parse';
import { readWhen } from '../../src/chat/when';
import { Org, orgSchema } from '../../src/domain/org';
import type { z } from 'zod';

const org = new Org(1, orgSchema.parse(JSON.parse(readFileSync('config/org.example.json', 'utf8'))));
/** Tuesday 2026-12-08 10:00 in Shanghai. */
const NOW = fromShanghai('2026-12-08', '10:00');
const at = (day: string, time: string) => fromShanghai(day, time);

function parse<S extends ArgsShape>(schema: z.ZodObject<S>, text: string, now = NOW) {
  return validateArgs(schema, readArgs(schema.shape, text, { areas: org.areaSpellings(), now }), { areas: org.areaNames() });
}

describe('the forgiving parser', () => {
  it('a landmark word first is the address: 石门村 村委会旁 电表箱冒火花 reads like 石门村 村委会 电表箱冒火花', () => {
    const read = parse(repair.schema, '石门村 村委会旁 电表箱冒火花 张三 13800000000');
    expect(read).toMatchObject({ ok: true, args: { area: '石门村', address: '村委会旁', description: '电表箱冒火花', phone: '13800000000' } });
    expect(parse(repair.schema, '城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000')).toMatchObject({
      ok: true,
      args: { address: '人民路12号', landmark: '农贸市场对面', description: '变压器冒烟' },
    });
  });

  it('free text keeps its Chinese commas and semicolons as typed', () => {
    const text = '已退还多收电费，抄表员已当面致歉；如有疑问请来电！';
    expect(parse(answerCustomer.schema, `TS20261124-0002 电话 ${text}`)).toMatchObject({ ok: true, args: { text } });
    expect(parse(answerCustomer.schema, 'TS20261124-0002 电话 已退还, 已致歉')).toMatchObject({ ok: true, args: { text: '已退还, 已致歉' } });
  });

  it('the time phrases people use are read, as one word or two', () => {
    const cases: [string, Date, Date?][] = [
      ['明天上午9点到下午5点', at('2026-12-09', '09:00'), at('2026-12-09', '17:00')],
      ['下周一8点到18点', at('2026-12-14', '08:00'), at('2026-12-14', '18:00')],
      ['周五8点到18点', at('2026-12-11', '08:00'), at('2026-12-11', '18:00')],
      ['下午3点', at('2026-12-08', '15:00')],
      ['晚上8点半', at('2026-12-08', '20:30')],
      ['下周三上午10点', at('2026-12-16', '10:00')],
      ['月底前', at('2026-12-31', '23:59')],
      ['今天14:00-16:30', at('2026-12-08', '14:00'), at('2026-12-08', '16:30')],
      ['11-25 08:00', at('2026-11-25', '08:00')],
      ['今天22:00-06:00', at('2026-12-08', '22:00'), at('2026-12-09', '06:00')],
      ['2小时后', at('2026-12-08', '12:00')],
    ];
    for (const [phrase, start, end] of cases) {
      const read = parse(outage.schema, `计划 城关镇 ${phrase} 10kV城关线检修`);
      expect(read, phrase).toMatchObject({ ok: true, args: { startsAt: start, ...(end && { restoreAt: end }) } });
    }
    expect(parse(outage.schema, '计划 城关镇 下周一 上午9点到下午5点 检修')).toMatchObject({
      ok: true,
      args: { startsAt: at('2026-12-14', '09:00'), restoreAt: at('2026-12-14', '17:00'), cause: '检修' },
    });
  });

  it('a failure names the word it did not understand and shows the nearest correct form', () => {
    const read = parse(outage.schema, '计划 城关镇 下下周八点 检修');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems.join('；')).toContain('没看懂「下下周八点」作为「开始时间」（可写：明天8点到18点');
    expect(read.nearest).toBe('计划 城关镇 〈开始时间〉 检修');
    const repairRead = parse(repair.schema, '城关镇 人民路12号 变压器冒烟');
    expect(repairRead).toMatchObject({ ok: false, nearest: '城关镇 人民路12号 变压器冒烟 〈电话〉' });
  });
});

/** A phrase the parser should accept, built with the times it states. */
interface Phrase {
  text: string;
  start: Date;
  end?: Date;
}

const WEEKDAYS = '一二三四五六';
const PERIODS = [
  { word: '', hours: [0, 23], add: 0 },
  { word: '上午', hours: [6, 11], add: 0 },
  { word: '下午', hours: [1, 6], add: 12 },
  { word: '晚上', hours: [7, 11], add: 12 },
] as const;

const dayPart = (now: Date) =>
  fc.oneof(
    fc.constantFrom(['', 0], ['今天', 0], ['明天', 1], ['后天', 2]).map(([word, offset]) => ({ word: word as string, day: addDays(shanghaiDate(now), offset as number) })),
    fc.record({ next: fc.boolean(), weekday: fc.integer({ min: 1, max: 6 }), prefix: fc.constantFrom('周', '星期') }).map(({ next, weekday, prefix }) => ({
      word: `${next ? '下' : ''}${prefix}${WEEKDAYS[weekday - 1]}`,
      // 周X: the next such day, today included; 下周X: that day of the next Monday-to-Sunday week.
      day: next ? addDays(mondayOf(shanghaiDate(now)), weekday - 1 + 7) : addDays(shanghaiDate(now), (weekday - isoWeekday(shanghaiDate(now)) + 7) % 7),
    })),
  );

const timePart = fc
  .record({ period: fc.constantFrom(...PERIODS), hour: fc.nat(), minute: fc.constantFrom(0, 15, 30, 45), style: fc.constantFrom('点', ':') })
  .map(({ period, hour, minute, style }) => {
    const h = period.hours[0] + (hour % (period.hours[1] - period.hours[0] + 1));
    const said = style === ':' ? `${h}:${String(minute).padStart(2, '0')}` : `${h}点${minute === 0 ? '' : minute === 30 ? '半' : `${minute}分`}`;
    return { word: `${period.word}${said}`, time: `${String(h + period.add).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
  });

function phrase(now: Date): fc.Arbitrary<Phrase> {
  return fc
    .tuple(dayPart(now), timePart, fc.option(timePart, { nil: undefined }))
    .filter(([, from, to]) => from.time !== to?.time)
    .map(([day, from, to]) => {
      const start = fromShanghai(day.day, from.time);
      const end = to && fromShanghai(day.day, to.time);
      // An end before the start is the next day's: 晚上10点到6点.
      return { text: `${day.word}${from.word}${to ? `到${to.word}` : ''}`, start, ...(end && { end: end < start ? new Date(end.getTime() + 86_400_000) : end }) };
    });
}

function addDays(day: string, days: number): string {
  return shanghaiDate(new Date(fromShanghai(day, '12:00').getTime() + days * 86_400_000));
}

function isoWeekday(day: string): number {
  return ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

function mondayOf(day: string): string {
  return addDays(day, 1 - isoWeekday(day));
}

describe('time phrases', () => {
  it('every phrase the parser accepts round-trips to the times it states', () => {
    const now = fc.integer({ min: fromShanghai('2026-01-01').getTime(), max: fromShanghai('2027-12-31').getTime() }).map((ms) => new Date(ms));
    fc.assert(
      fc.property(
        now.chain((at) => fc.tuple(fc.constant(at), phrase(at))),
        ([at, said]) => {
          expect(readWhen(said.text, at), `${said.text} at ${at.toISOString()}`).toEqual({ start: said.start, ...(said.end && { end: said.end }) });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a day without an hour, or a word with a time inside, is not a moment', () => {
    for (const text of ['下周一', '明天', '检修8点', '人民路12号', '13800000000', '0571-88886666']) expect(readWhen(text, NOW), text).toBeUndefined();
  });
});
