import { z } from 'zod';
import type { ChatRef } from '../protocol/inbound';
import type { Role } from '../domain/org';
import type { Session } from '../domain/tickets/session';

/**
 * How the forgiving parser finds a field in what staff type. Fields are found in this order: key:value anywhere
 * (`电话:138…`), then by shape wherever they stand (a ticket number, a phone, a landmark, a voltage, a choice word,
 * a time), then the 2–4 character name beside the phone, the area, and finally positional text in declared order,
 * the `rest` field taking whatever is left.
 */
export type FieldFinder =
  | { find: 'key' }
  | { find: 'text' }
  | { find: 'rest' }
  | { find: 'area' }
  | { find: 'phone' }
  | { find: 'name' }
  | { find: 'landmark' }
  | { find: 'voltage'; pattern: RegExp }
  | { find: 'ticketNo' }
  | { find: 'account' }
  | { find: 'choice'; options: Readonly<Record<string, string>> }
  | { find: 'flag'; words: readonly string[]; whole?: boolean }
  | { find: 'time' };

export type FieldSpec = FieldFinder & {
  /** The field's name in usage replies: 「电话」. */
  label: string;
  /** What may stand before a colon for this field: 地址:…, address:…. */
  keys: readonly string[];
};

const fieldSpecs = new WeakMap<z.ZodType, FieldSpec>();

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

function spec<T extends z.ZodType>(schema: T, label: string, finder: FieldFinder, keys: readonly string[] = []): T {
  fieldSpecs.set(schema, { ...finder, label, keys: [label, ...keys] });
  return schema;
}

/** Form fields for command schemas: each a zod schema with Chinese messages that also tells the parser where to look. */
export const field = {
  /** Only as key:value (线路:10kV城关线), never guessed from position. */
  keyed: (label: string, keys: readonly string[] = [], max = 100) =>
    spec(z.string().trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 字`), label, { find: 'key' }, keys),
  /** The next free word (an address, a unit, a ticket's object). */
  text: (label: string, keys: readonly string[] = [], max = 100) =>
    spec(z.string().trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 字`), label, { find: 'text' }, keys),
  /** Everything left over: what happened, the reason, the result. */
  rest: (label: string, keys: readonly string[] = [], max = 500) =>
    spec(z.string().trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 字`), label, { find: 'rest' }, keys),
  area: () => spec(z.string().trim().min(1).max(20, '区域名称太长'), '区域', { find: 'area' }, ['地区', '乡镇', '街道', 'area']),
  phone: () =>
    spec(
      z
        .string()
        .refine((s) => MOBILE.test(s) || LANDLINE.test(s), '电话号码不正确：请填写 11 位手机号或带区号的固定电话'),
      '电话',
      { find: 'phone' },
      ['手机', '联系电话', 'phone', 'tel'],
    ),
  name: (label = '姓名') =>
    spec(z.string().trim().min(1).max(20, `${label}太长`), label, { find: 'name' }, ['联系人', '报修人', '客户', 'name']),
  landmark: () => spec(z.string().trim().min(1).max(50, '地标最多 50 字'), '地标', { find: 'landmark' }, ['landmark']),
  voltage: (label = '电压', pattern = /(\d+(?:\.\d+)?)\s*(?:kv|千伏)/i) =>
    spec(z.number({ error: `${label}不正确，例如 10kV` }).positive().max(1000, `${label}不正确`), label, { find: 'voltage', pattern }, [
      '电压等级',
      'voltage',
    ]),
  ticketNo: (label = '单号', example = 'GZ20261124-0007') =>
    spec(
      z
        .string({ error: `请填写${label}，例如 ${example}（当天的也可只写尾号 ${example.slice(-4)}）` })
        .regex(/^(?:[A-Z]{2}\d{8}-\d{4,}|\d{1,4})$/, `${label}不正确，应形如 ${example}，或当天的尾号 ${example.slice(-4)}`),
      label,
      { find: 'ticketNo' },
      ['no'],
    ),
  /** A customer's account number (户号: 6–20 digits that are not a phone number) or an application number (YK20261124-0001). */
  account: () =>
    spec(
      z.string().regex(/^(?:[A-Za-z]{0,2}\d{6,20}|[A-Z]{2}\d{8}-\d{4,})$/, '户号不正确，应为 6–20 位数字，报装进度也可写申请编号（如 YK20261124-0001）'),
      '户号',
      { find: 'account' },
      ['户号', '用户编号', '申请编号', 'account'],
    ),
  /** One word out of a few, mapped to a value: 满意 → satisfied. */
  choice: <const V extends string>(label: string, options: Readonly<Record<string, V>>, keys: readonly string[] = []) =>
    spec(
      z.enum([...new Set(Object.values(options))] as [V, ...V[]], { error: `${label}应为：${Object.keys(options).join('、')}` }),
      label,
      { find: 'choice', options },
      keys,
    ),
  /** True when any of the words appears (the words stay in the text). */
  flag: (label: string, words: readonly string[]) => spec(z.boolean().default(false), label, { find: 'flag', words }),
  /** True when one of the words stands alone (确认); it is taken out of the text. */
  word: (label: string, words: readonly string[]) => spec(z.boolean().default(false), label, { find: 'flag', words, whole: true }),
  /** A page of a long list: 第2页, 2页 or 2. */
  page: () =>
    spec(
      z
        .string()
        .regex(/^第?\s*\d{1,4}\s*页?$/, '页码不正确，例如 第2页')
        .transform((s) => Number(/\d+/.exec(s)![0]))
        .pipe(z.number().int().min(1, '页码从 1 开始')),
      '页码',
      { find: 'text' },
      ['页'],
    ),
  time: (label: string, keys: readonly string[] = []) =>
    spec(z.date({ error: `${label}不正确，例如 14:00、明天 08:00、11-25 08:30` }), label, { find: 'time' }, keys),
};

/** The field spec behind a schema, looking through `.optional()` and `.default()`. */
export function specOf(schema: z.ZodType): FieldSpec | undefined {
  for (let current: z.ZodType | undefined = schema; current; ) {
    const found = fieldSpecs.get(current);
    if (found) return found;
    current = 'unwrap' in current && typeof current.unwrap === 'function' ? (current.unwrap() as z.ZodType) : undefined;
  }
  return undefined;
}

/** The commands as a handler sees them (for help): all of them, the one a word names, and the closest to a typo. */
export interface CommandIndex {
  readonly commands: readonly Command[];
  find(word: string): { command: Command; glued: string } | undefined;
  suggest(word: string, limit?: number): Command[];
}

/** What a command handler gets: the acting person's session plus where they asked and the other commands (for help). */
export interface CommandContext extends Session {
  chat: ChatRef;
  commands: CommandIndex;
}

export type ArgsShape = Record<string, z.ZodType>;

/** Sections of the /帮助 list, in the order a ticket meets them. */
export const SECTIONS = ['受理', '处理', '客服班', '查看', '管理'] as const;

export interface Command<S extends ArgsShape = ArgsShape> {
  /** The Chinese name typed after the slash. */
  name: string;
  aliases: readonly string[];
  section: (typeof SECTIONS)[number];
  /** One line for the /帮助 list. */
  summary: string;
  schema: z.ZodObject<S>;
  usage: string;
  example: string;
  /** Who may use it, besides the checks each step makes; absent: every staff member. */
  roles?: readonly Role[];
  /** Returns the markdown reply for the asking chat. */
  handle(ctx: CommandContext, args: z.output<z.ZodObject<S>>): Promise<string>;
}

export function defineCommand<S extends ArgsShape>(command: Command<S>): Command<S> {
  return command;
}
