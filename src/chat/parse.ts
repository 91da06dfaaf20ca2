import type { z } from 'zod';
import { normaliseNumber, SHORT_NUMBER_PATTERN } from '../domain/numbering';
import { specOf, type ArgsShape, type FieldSpec } from './define';
import { inert } from '../protocol/inert';
import { DAY_WORD, readWhen } from './when';

/** Chinese punctuation that belongs to free text as typed (NFKC would turn it into its ASCII look-alike). */
const KEPT_PUNCTUATION = /([，；！？（）])/;

/**
 * The forgiving reader of what staff type fast in a group chat. Full-width letters, digits, slashes, colons and
 * spaces become their plain forms first (NFKC), so everything below sees one alphabet; Chinese commas and the like
 * stay, so a reason or an answer to a customer reads as it was written.
 */
function normalise(text: string): string {
  return text
    .split(KEPT_PUNCTUATION)
    .map((part, i) => (i % 2 === 1 ? part : part.normalize('NFKC')))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
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
/** Between words: spaces, commas and semicolons, ASCII or Chinese; a word keeps what followed it, for free text. */
const WORD = /([^\s,;，；]+)([\s,;，；]*)/g;
/** A word that looks meant as a time, for the reply when none was understood. */
const TIME_HINT = /[\d一二三四五六七八九十][:点时]|[今明后]天|周|星期|礼拜|上午|下午|晚上|中午|凌晨|早上|月底/;

interface Token {
  text: string;
  /** What stood after it (' ', '，'), kept when free text is put back together. */
  sep: string;
  used: boolean;
  /** The moment it states, when it is (one end of) a time. */
  when?: Date;
}

/** What was read: the raw object for the schema, what each field was read from, and the words no field took. */
export interface ReadArgs {
  raw: Record<string, unknown>;
  said: Record<string, string>;
  unread: string[];
}

/**
 * Reads the argument text into the raw object the command's schema validates: strings, numbers, booleans and dates
 * where a field was found, nothing where it was not (so the schema reports what is missing).
 */
export function readArgs(shape: ArgsShape, text: string, env: ParseEnv): ReadArgs {
  const tokens = splitRanges(mergeDayAndTime(words(text), env.now), env.now);
  const fields = Object.entries(shape)
    .map(([key, schema]) => ({ key, schema, spec: specOf(schema) }))
    .filter((f): f is { key: string; schema: z.ZodType; spec: FieldSpec } => f.spec !== undefined);
  const raw: Record<string, unknown> = {};
  const said: Record<string, string> = {};
  const free = () => tokens.filter((t) => !t.used);

  const take = (key: string, value: unknown, ...from: Token[]) => {
    for (const token of from) token.used = true;
    raw[key] = value;
    said[key] = from.map((t) => t.text).join(' ');
  };

  // key:value wins wherever it stands.
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const match = /^([^:]{1,8}):(.*)$/s.exec(token.text);
    const target = match && fields.find((f) => f.spec.keys.some((k) => k.toLowerCase() === match[1]!.toLowerCase()));
    if (!match || !target || target.key in raw) continue;
    let value = match[2]!;
    const next = tokens[i + 1];
    const from = [token];
    if (!value && next && !next.used) {
      value = next.text;
      from.push(next);
    }
    take(target.key, target.spec.find === 'time' && next?.when && !match[2] ? next.when : convert(target.spec, value, env), ...from);
  }

  const pending = (find: FieldSpec['find']) => fields.filter((f) => f.spec.find === find && !(f.key in raw));

  for (const f of pending('ticketNo')) {
    const token = free().find(
      (t) => normaliseNumber(t.text) !== undefined || NUMBER_ATTEMPT.test(t.text) || SHORT_NUMBER_PATTERN.test(t.text),
    );
    if (token) take(f.key, normaliseNumber(token.text) ?? token.text, token);
  }
  for (const f of pending('account')) {
    const token = free().find((t) => (ACCOUNT.test(t.text) && !MOBILE_ONLY.test(t.text)) || normaliseNumber(t.text) !== undefined);
    if (token) take(f.key, normaliseNumber(token.text) ?? token.text, token);
  }
  let phoneAt = -1;
  for (const f of pending('phone')) {
    phoneAt = splitOutPhone(tokens);
    const token = tokens[phoneAt] ?? free().find((t) => PHONE_ATTEMPT.test(t.text));
    if (token) take(f.key, token.text, token);
  }
  for (const f of pending('voltage')) {
    const spec = f.spec as Extract<FieldSpec, { find: 'voltage' }>;
    const match = tokens.map((t) => spec.pattern.exec(t.text)).find(Boolean);
    if (match) {
      raw[f.key] = Number(match[1]);
      said[f.key] = match[0];
    }
  }
  for (const f of pending('choice')) {
    const spec = f.spec as Extract<FieldSpec, { find: 'choice' }>;
    const token = free().find((t) => t.text in spec.options);
    if (token) take(f.key, spec.options[token.text], token);
  }
  for (const f of pending('flag')) {
    const spec = f.spec as Extract<FieldSpec, { find: 'flag' }>;
    if (spec.whole) {
      const words = free().filter((t) => spec.words.includes(t.text));
      take(f.key, words.length > 0, ...words);
    } else raw[f.key] = tokens.some((t) => spec.words.some((w) => t.text.includes(w)));
  }
  for (const f of pending('time')) {
    const token = free().find((t) => t.when !== undefined);
    if (token) take(f.key, token.when, token);
  }
  for (const f of pending('name')) {
    if (phoneAt < 0) continue;
    const token = [tokens[phoneAt - 1], tokens[phoneAt + 1]].find((t) => t && !t.used && looksLikeName(t.text, env));
    if (token) take(f.key, token.text, token);
  }
  for (const f of pending('area')) {
    const area = takeArea(tokens, env, !f.schema.safeParse(undefined).success);
    if (area !== undefined) {
      raw[f.key] = area;
      said[f.key] = area;
    }
  }
  // After the area, so that a landmark needs a word before it, the address it is beside (人民路12号 农贸市场对面): a
  // first word like 村委会旁 is the address itself.
  for (const f of pending('landmark')) {
    const rest = free();
    const token = rest.slice(1).find((t) => MARKER_END.test(t.text) || t.text.startsWith('地标'));
    if (token) take(f.key, token.text.replace(/^地标/, ''), token);
  }
  for (const f of fields.filter((f) => f.spec.find === 'text' || f.spec.find === 'rest')) {
    if (f.key in raw) continue;
    const rest = free();
    if (rest.length === 0) continue;
    const taken = f.spec.find === 'rest' ? rest : rest.slice(0, 1);
    take(f.key, asTyped(taken), ...taken);
  }
  return { raw, said, unread: free().map((t) => t.text) };
}

/** Words back together as they were typed: a comma stays a comma, any run of spaces one space. */
function asTyped(words: Token[]): string {
  return words
    .map((t, i) => (i === words.length - 1 ? t.text : t.text + (t.sep.trim() ? t.sep : ' ')))
    .join('')
    .trim();
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
      return readWhen(value, env.now)?.start ?? value;
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
    const texts = [before, match[1]!, after].filter(Boolean);
    const parts = texts.map((text, j) => ({ text, sep: j === texts.length - 1 ? token.sep : ' ', used: false }));
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

function words(text: string): Token[] {
  return [...text.matchAll(WORD)].map((match) => ({ text: match[1]!, sep: match[2]!, used: false }));
}

/**
 * "11-25 08:00", "下周一 上午9点" arrive as two words; a day followed by a time (or a span of times) is one moment (or
 * span).
 */
function mergeDayAndTime(tokens: Token[], now: Date): Token[] {
  const merged: Token[] = [];
  for (const token of tokens) {
    const previous = merged[merged.length - 1];
    const joined = previous && DAY_WORD.test(previous.text) && [`${previous.text}T${token.text}`, `${previous.text}${token.text}`].find((text) => readWhen(text, now));
    if (previous && joined) merged[merged.length - 1] = { ...token, text: joined };
    else merged.push(token);
  }
  return merged;
}

/** Each time is read once here; a span becomes its two moments, in order. */
function splitRanges(tokens: Token[], now: Date): Token[] {
  return tokens.flatMap((token) => {
    const span = readWhen(token.text, now);
    if (!span) return [token];
    if (!span.end) return [{ ...token, when: span.start }];
    return [
      { ...token, sep: ' ', when: span.start },
      { ...token, when: span.end },
    ];
  });
}

const GENERIC = '格式不正确';
const TIME_EXAMPLES = '明天8点到18点、明天上午9点到下午5点、下周一8:00、周五8点到18点、月底前';

/**
 * Validates what was read; problems come back as the Chinese lines of a usage reply, with the nearest correct form of
 * what was typed. A missing field is named by its label; a word that was meant for it but not understood is named too;
 * a field whose schema has no Chinese message of its own gets a generic one, never zod's English.
 */
export function validateArgs<S extends ArgsShape>(
  schema: z.ZodObject<S>,
  read: ReadArgs,
  known: { areas?: readonly string[] } = {},
): { ok: true; args: z.output<z.ZodObject<S>> } | { ok: false; problems: string[]; nearest: string } {
  const { raw } = read;
  const parsed = schema.safeParse(raw, { error: () => GENERIC });
  if (parsed.success) return { ok: true, args: parsed.data };
  const misread = new Map<string, string>();
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const spec = schema.shape[key] ? specOf(schema.shape[key]!) : undefined;
    const label = spec?.label ?? key;
    if (raw[key] === undefined) {
      if (spec?.find === 'time') {
        const meant = meantAsTime(read);
        if (meant) {
          misread.set(key, meant);
          return `没看懂「${meant}」作为「${label}」（可写：${TIME_EXAMPLES}）`;
        }
        return `缺少「${label}」（可写：${TIME_EXAMPLES}）`;
      }
      if (spec?.find === 'choice') return `缺少「${label}」（${Object.keys(spec.options).join('、')}）`;
      if (spec?.find === 'area' && known.areas?.length) return `缺少「${label}」（可选：${known.areas.join('、')}）`;
      return `缺少「${label}」`;
    }
    if (spec?.find === 'time' && typeof raw[key] === 'string') return `没看懂「${raw[key]}」作为「${label}」（可写：${TIME_EXAMPLES}）`;
    return issue.message === GENERIC ? `「${label}」${GENERIC}` : issue.message;
  });
  const unread = read.unread.filter((word) => ![...misread.values()].includes(word));
  if (unread.length > 0) problems.push(`没看懂「${unread.join(' ')}」`);
  return { ok: false, problems: [...new Set(problems)], nearest: nearestForm(schema, read, misread) };
}

/** The first word, in a field or left over, that looks meant as a time (下下周八点), when no time was understood. */
function meantAsTime(read: ReadArgs): string | undefined {
  const words = [...Object.values(read.said), ...read.unread].flatMap((text) => text.split(' '));
  return words.find((word) => TIME_HINT.test(word));
}

/**
 * What was typed, in the order of the command's fields, with 〈label〉 where a required field is missing and what was
 * not understood left out: the form the person most likely meant.
 */
function nearestForm(schema: z.ZodObject<ArgsShape>, read: ReadArgs, misread: Map<string, string>): string {
  const misreadWords = new Set(misread.values());
  return Object.entries(schema.shape)
    .flatMap(([key, field]) => {
      const spec = specOf(field);
      if (!spec) return [];
      const typed = read.said[key]
        ?.split(' ')
        .filter((word) => !misreadWords.has(word))
        .join(' ');
      if (typed) return [typed];
      return field.safeParse(undefined).success ? [] : [`〈${spec.label}〉`];
    })
    .join(' ');
}
