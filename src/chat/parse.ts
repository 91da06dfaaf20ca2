import type { z } from 'zod';
import { fromShanghai, shanghaiDate } from '../calendar/calendar';
import { HOUR_MS, MINUTE_MS } from '../clock';
import { normaliseNumber, SHORT_NUMBER_PATTERN } from '../domain/numbering';
import { specOf, type ArgsShape, type FieldSpec } from './define';
import { inert } from '../protocol/inert';

/**
 * The forgiving reader of what staff type fast in a group chat. Full-width letters, digits, slashes, colons and
 * spaces become their plain forms first (NFKC), so everything below sees one alphabet.
 */
function normalise(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** What a person typed after the @mentions that address the bot, read forgivingly and with its markup made inert. */
function typed(text: string): string {
  return inert(normalise(text).replace(/^(?:@\S+\s*)+/, ''));
}

/**
 * The command word and its argument text, or undefined when the text is no command. Accepts `/`, `／` (NFKC) and
 * `、` (what the slash key gives with a Chinese input method), and @mentions before it.
 */
export function splitCommand(text: string): { word: string; rest: string } | undefined {
  const clean = typed(text);
  const match = /^[/、]\s*(\S*)\s*(.*)$/s.exec(clean);
  if (!match) return undefined;
  return { word: match[1]!, rest: match[2]! };
}

/**
 * Text that starts with a Chinese command word but no slash (`@机器人 报修 城关镇 …`): people forget the slash. The
 * caller decides whether the word is a command; only Chinese words count, so ordinary English chat is left alone.
 */
export function splitBareCommand(text: string): { word: string; rest: string } | undefined {
  const clean = typed(text);
  const match = /^([\u4e00-\u9fff]\S*)\s*(.*)$/s.exec(clean);
  return match ? { word: match[1]!, rest: match[2]! } : undefined;
}

export interface ParseEnv {
  /** Every spelling of every known area, longest first. */
  areas: readonly string[];
  now: Date;
}

const MARKER_END = /(?:附近|旁边|对面|斜对面|门口|隔壁|背后|后面|旁)$/;
const PHONE_IN_TOKEN = /(?<![\d+])(?:\+?86-?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)/;
const PHONE_ATTEMPT = /^\+?\d[\d-]{4,}$/;
const ACCOUNT = /^[A-Za-z]{0,2}\d{6,20}$/;
const MOBILE_ONLY = /^1[3-9]\d{9}$/;
const NUMBER_ATTEMPT = /^[A-Za-z]{2}\d{4,}/;
const AREA_LIKE = /(?:镇|乡|街道|村|社区)$/;
/** Two to four Chinese characters with nothing of an address, a landmark or a fault in them. */
const PLACE_NAME = /^(?![^]*(?:路|街|巷|弄|号|楼|栋|单元|室|附近|旁|对面|门口|停电|没电|冒烟|故障|跳闸|断))[\u4e00-\u9fff]{2,4}$/;
const NAME_SHAPE = /^[\u4e00-\u9fff]{2,4}$/;
const POLITE_SUFFIX = /(?:先生|女士|师傅|老师|阿姨|大爷|大姐)$/;
/** Common single-character surnames: a 2–4 character word beside the phone is a name only if it starts with one. */
const SURNAMES = new Set(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝'.split(''),
);
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '司徒', '夏侯'];
const TIME_TOKEN = /^(\d{1,2})[:点](\d{2})?分?$/;
const DATE_TOKEN = /^(?:(今天|明天|后天)|(?:(\d{4})[-/年])?(\d{1,2})[-/月](\d{1,2})日?)$/;
const DATE_TIME_TOKEN = /^(今天|明天|后天|(?:\d{4}[-/年])?\d{1,2}[-/月]\d{1,2}日?)T?(\d{1,2}[:点]\d{0,2}分?)$/;
/** From one time to another, the date said once or twice: 明天8点到18点, 今天14:00-16:30, 11-25 08:00至11-26 18:00. */
const TIME_RANGE = /^(.*?)T?(\d{1,2}[:点]\d{0,2}分?)(?:到|至|-|~|—)(.*?)T?(\d{1,2}[:点]\d{0,2}分?)$/;
/** A while from now: 2小时后, 30分钟后, 半小时以后. */
const FROM_NOW = /^(\d{1,3}|半)个?(小时|分钟)(?:以后|之后|后)$/;

interface Token {
  text: string;
  used: boolean;
}

/**
 * Reads the argument text into the raw object the command's schema validates: strings, numbers, booleans and dates
 * where a field was found, nothing where it was not (so the schema reports what is missing).
 */
export function readArgs(shape: ArgsShape, text: string, env: ParseEnv): Record<string, unknown> {
  const tokens: Token[] = splitRanges(mergeDateAndTime(text.split(/[\s,;]+/).filter(Boolean))).map((t) => ({ text: t, used: false }));
  const fields = Object.entries(shape)
    .map(([key, schema]) => ({ key, schema, spec: specOf(schema) }))
    .filter((f): f is { key: string; schema: z.ZodType; spec: FieldSpec } => f.spec !== undefined);
  const raw: Record<string, unknown> = {};
  const free = () => tokens.filter((t) => !t.used);

  // key:value wins wherever it stands.
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const match = /^([^:]{1,8}):(.*)$/s.exec(token.text);
    const target = match && fields.find((f) => f.spec.keys.some((k) => k.toLowerCase() === match[1]!.toLowerCase()));
    if (!match || !target || target.key in raw) continue;
    token.used = true;
    let value = match[2]!;
    if (!value && tokens[i + 1] && !tokens[i + 1]!.used) {
      value = tokens[i + 1]!.text;
      tokens[i + 1]!.used = true;
    }
    raw[target.key] = convert(target.spec, value, env);
  }

  const pending = (find: FieldSpec['find']) => fields.filter((f) => f.spec.find === find && !(f.key in raw));

  for (const f of pending('ticketNo')) {
    const token = free().find(
      (t) => normaliseNumber(t.text) !== undefined || NUMBER_ATTEMPT.test(t.text) || SHORT_NUMBER_PATTERN.test(t.text),
    );
    if (!token) continue;
    token.used = true;
    raw[f.key] = normaliseNumber(token.text) ?? token.text;
  }
  for (const f of pending('account')) {
    const token = free().find((t) => (ACCOUNT.test(t.text) && !MOBILE_ONLY.test(t.text)) || normaliseNumber(t.text) !== undefined);
    if (!token) continue;
    token.used = true;
    raw[f.key] = normaliseNumber(token.text) ?? token.text;
  }
  let phoneAt = -1;
  for (const f of pending('phone')) {
    phoneAt = splitOutPhone(tokens);
    const token = tokens[phoneAt] ?? free().find((t) => PHONE_ATTEMPT.test(t.text));
    if (!token) continue;
    token.used = true;
    raw[f.key] = token.text;
  }
  for (const f of pending('landmark')) {
    const token = free().find((t) => MARKER_END.test(t.text) || t.text.startsWith('地标'));
    if (!token) continue;
    token.used = true;
    raw[f.key] = token.text.replace(/^地标/, '');
  }
  for (const f of pending('voltage')) {
    const spec = f.spec as Extract<FieldSpec, { find: 'voltage' }>;
    const match = tokens.map((t) => spec.pattern.exec(t.text)).find(Boolean);
    if (match) raw[f.key] = Number(match[1]);
  }
  for (const f of pending('choice')) {
    const spec = f.spec as Extract<FieldSpec, { find: 'choice' }>;
    const token = free().find((t) => t.text in spec.options);
    if (!token) continue;
    token.used = true;
    raw[f.key] = spec.options[token.text];
  }
  for (const f of pending('flag')) {
    const spec = f.spec as Extract<FieldSpec, { find: 'flag' }>;
    if (spec.whole) {
      const said = free().filter((t) => spec.words.includes(t.text));
      for (const t of said) t.used = true;
      raw[f.key] = said.length > 0;
    } else raw[f.key] = tokens.some((t) => spec.words.some((w) => t.text.includes(w)));
  }
  for (const f of pending('time')) {
    const token = free().find((t) => TIME_TOKEN.test(t.text) || DATE_TIME_TOKEN.test(t.text) || FROM_NOW.test(t.text));
    if (!token) continue;
    token.used = true;
    raw[f.key] = convert(f.spec, token.text, env);
  }
  for (const f of pending('name')) {
    if (phoneAt < 0) continue;
    const token = [tokens[phoneAt - 1], tokens[phoneAt + 1]].find((t) => t && !t.used && looksLikeName(t.text, env));
    if (!token) continue;
    token.used = true;
    raw[f.key] = token.text;
  }
  for (const f of pending('area')) {
    const area = takeArea(tokens, env, !f.schema.safeParse(undefined).success);
    if (area !== undefined) raw[f.key] = area;
  }
  for (const f of fields.filter((f) => f.spec.find === 'text' || f.spec.find === 'rest')) {
    if (f.key in raw) continue;
    const rest = free();
    if (rest.length === 0) continue;
    const taken = f.spec.find === 'rest' ? rest : rest.slice(0, 1);
    for (const t of taken) t.used = true;
    raw[f.key] = taken.map((t) => t.text).join(' ');
  }
  return raw;
}

function convert(spec: FieldSpec, value: string, env: ParseEnv): unknown {
  switch (spec.find) {
    case 'voltage': {
      const match = spec.pattern.exec(value) ?? /^(\d+(?:\.\d+)?)$/.exec(value);
      return match ? Number(match[1]) : value;
    }
    case 'choice':
      return spec.options[value] ?? value;
    case 'flag':
      return !/^(?:否|不|无|no|false|0)$/i.test(value);
    case 'time':
      return parseWhen(value, env.now) ?? value;
    case 'ticketNo':
      return normaliseNumber(value) ?? value;
    default:
      return value;
  }
}

/**
 * Finds a valid phone number, cutting it out of a word it is glued to (张三13800000000) and dropping a +86 prefix;
 * returns its token index.
 */
function splitOutPhone(tokens: Token[]): number {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.used) continue;
    const match = PHONE_IN_TOKEN.exec(token.text);
    if (!match) continue;
    const before = token.text.slice(0, match.index);
    const after = token.text.slice(match.index + match[0].length);
    const parts = [before, match[1]!, after].filter(Boolean).map((text) => ({ text, used: false }));
    tokens.splice(i, 1, ...parts);
    return i + (before ? 1 : 0);
  }
  return -1;
}

function looksLikeName(text: string, env: ParseEnv): boolean {
  if (!NAME_SHAPE.test(text) || env.areas.includes(text) || MARKER_END.test(text)) return false;
  return SURNAMES.has(text[0]!) || COMPOUND_SURNAMES.some((s) => text.startsWith(s)) || POLITE_SUFFIX.test(text);
}

/**
 * A known area wherever it stands, or glued to the address (城关镇人民路12号), or a first word shaped like one; for a
 * required area, also a first word that reads as a place name (火星, 城关).
 */
function takeArea(tokens: Token[], env: ParseEnv, required: boolean): string | undefined {
  const free = tokens.filter((t) => !t.used);
  const exact = free.find((t) => env.areas.includes(t.text));
  if (exact) {
    exact.used = true;
    return exact.text;
  }
  const first = free[0];
  if (!first) return undefined;
  const prefix = env.areas.find((name) => first.text.startsWith(name));
  if (prefix) {
    first.text = first.text.slice(prefix.length);
    return prefix;
  }
  // A first word shaped like a place name but no address (火星, 城关): taken as the area meant, so the reply can name it
  // and list the valid ones instead of saying the area is missing.
  const placeName = required && PLACE_NAME.test(first.text) && free.length > 1;
  if ((AREA_LIKE.test(first.text) && first.text.length <= 10) || placeName) {
    first.used = true;
    return first.text;
  }
  return undefined;
}

/** "11-25 08:00" arrives as two words; a date followed by a time (or a span of times) is one moment (or span). */
function mergeDateAndTime(words: string[]): string[] {
  const merged: string[] = [];
  for (const word of words) {
    const previous = merged[merged.length - 1];
    const timed = TIME_TOKEN.test(word) || rangeOf(word) !== undefined;
    if (previous !== undefined && DATE_TOKEN.test(previous) && timed) merged[merged.length - 1] = `${previous}T${word}`;
    else merged.push(word);
  }
  return merged;
}

/** A span becomes its two moments, in order, the end on the start's day unless it names its own. */
function splitRanges(words: string[]): string[] {
  return words.flatMap((word) => {
    const range = rangeOf(word);
    return range ? [`${range.day}${range.from}`, `${range.endDay ?? range.day}${range.to}`] : [word];
  });
}

function rangeOf(word: string): { day: string; from: string; endDay?: string; to: string } | undefined {
  const match = TIME_RANGE.exec(word);
  if (!match) return undefined;
  const [, day = '', from = '', endDay = '', to = ''] = match;
  const isDay = (text: string) => text === '' || DATE_TOKEN.test(text);
  if (!isDay(day) || !isDay(endDay)) return undefined;
  return { day, from, to, ...(endDay ? { endDay } : {}) };
}

/**
 * A moment in Shanghai time from what people write: 14:00, 14点, 明天08:00, 11-25 08:30, 11月25日8点, 2026-11-25 08:30,
 * 2小时后. A bare time is today's; a date without a year is this year's.
 */
function parseWhen(text: string, now: Date): Date | undefined {
  const fromNow = FROM_NOW.exec(text);
  if (fromNow) {
    const amount = fromNow[1] === '半' ? 0.5 : Number(fromNow[1]);
    return new Date(now.getTime() + amount * (fromNow[2] === '小时' ? HOUR_MS : MINUTE_MS));
  }
  const both = DATE_TIME_TOKEN.exec(text);
  const time = TIME_TOKEN.exec(both ? both[2]! : text);
  if (!time) return undefined;
  const hours = Number(time[1]);
  const minutes = Number(time[2] ?? '0');
  if (hours > 23 || minutes > 59) return undefined;
  let day = shanghaiDate(now);
  const date = both ? DATE_TOKEN.exec(both[1]!) : null;
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

const GENERIC = '格式不正确';

/**
 * Validates the raw arguments; problems come back as the Chinese lines of a usage reply. A missing field is named by
 * its label; a field whose schema has no Chinese message of its own gets a generic one, never zod's English.
 */
export function validateArgs<S extends ArgsShape>(
  schema: z.ZodObject<S>,
  raw: Record<string, unknown>,
  known: { areas?: readonly string[] } = {},
): { ok: true; args: z.output<z.ZodObject<S>> } | { ok: false; problems: string[] } {
  const parsed = schema.safeParse(raw, { error: () => GENERIC });
  if (parsed.success) return { ok: true, args: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const label = schema.shape[key] ? (specOf(schema.shape[key]!)?.label ?? key) : key;
    if (raw[key] === undefined) {
      const spec = schema.shape[key] ? specOf(schema.shape[key]!) : undefined;
      if (spec?.find === 'choice') return `缺少「${label}」（${Object.keys(spec.options).join('、')}）`;
      if (spec?.find === 'area' && known.areas?.length) return `缺少「${label}」（可选：${known.areas.join('、')}）`;
      return `缺少「${label}」`;
    }
    return issue.message === GENERIC ? `「${label}」${GENERIC}` : issue.message;
  });
  return { ok: false, problems: [...new Set(problems)] };
}
