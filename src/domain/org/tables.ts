import { orgSchema, UNIT_TYPES, type OrgDoc, type UnitType } from './schema';

/**
 * The organisation as three tables a county keeps in a spreadsheet: 单位, 区域 and 人员 (one person per row and unit, with
 * WeCom account, mobile, title, leader and on-duty marks). The company name, routing and specialists stay as they are in
 * the current organisation. An import is all or nothing: every row's problems are reported, with its table and row.
 */
export const TABLES = ['单位', '区域', '人员'] as const;
export type TableName = (typeof TABLES)[number];

/** One spreadsheet row: its table, its row number as the spreadsheet shows it (header = 1), and its cells by header. */
export interface TableRow {
  table: TableName;
  row: number;
  cells: Record<string, string>;
}

export interface RowProblem {
  table: TableName | '组织';
  row: number | null;
  problem: string;
}

export const COLUMNS: Record<TableName, readonly string[]> = {
  单位: ['编号', '名称', '类型', '别名', '群聊ID', '群机器人Key'],
  区域: ['名称', '别名', '级别', '上级', '类别', '负责单位'],
  人员: ['单位', '企业微信账号', '姓名', '手机', '职务', '负责人', '值班'],
};

const TYPE_NAMES: Record<UnitType, string> = {
  desk: '客户服务班',
  repair: '修试所',
  customer_centre: '客户中心',
  supply_station: '供电所',
  dispatch: '调度中心',
  department: '部门',
  leadership: '公司领导',
};
const CLASS_NAMES = { urban: '城区', rural: '农村', remote: '偏远' } as const;
/** A unit whose group has not told its chat id yet: bound later with `/绑定` in the group. */
export const UNBOUND_PREFIX = 'unbound-';
const YES = new Set(['是', 'y', 'yes', '1', 'true', '√', '✓']);
const list = (text: string | undefined) => (text ?? '').split(/[、,，;；|\n]/).map((s) => s.trim()).filter(Boolean);

/** Builds a whole organisation from the rows (on top of `base` for company, routing and specialists), or says every problem. */
export function orgFromTables(rows: TableRow[], base: Pick<OrgDoc, 'company' | 'routing' | 'specialists'>): { doc: OrgDoc } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const say = (r: TableRow, problem: string) => problems.push({ table: r.table, row: r.row, problem });
  const of = (table: TableName) => rows.filter((r) => r.table === table);
  const cell = (r: TableRow, column: string) => (r.cells[column] ?? '').trim();

  const unitRows = of('单位');
  const unitIdOf = (text: string) => unitRows.find((u) => cell(u, '编号') === text || cell(u, '名称') === text || list(cell(u, '别名')).includes(text));
  const units = unitRows.map((r) => {
    const typeText = cell(r, '类型');
    const type = (Object.keys(TYPE_NAMES) as UnitType[]).find((t) => TYPE_NAMES[t] === typeText || t === typeText);
    if (!type) say(r, `类型「${typeText}」不对，应为 ${UNIT_TYPES.map((t) => TYPE_NAMES[t]).join('、')} 之一`);
    const people = of('人员').filter((p) => unitIdOf(cell(p, '单位')) === r);
    const leaders = people.filter((p) => YES.has(cell(p, '负责人').toLowerCase()));
    if (people.length === 0) say(r, '没有人员：请在「人员」表里为该单位至少填一人');
    else if (leaders.length !== 1) say(r, `负责人应恰好一人（「人员」表的负责人一栏填"是"），现在有 ${leaders.length} 人`);
    return {
      id: cell(r, '编号'),
      name: cell(r, '名称'),
      type: type ?? 'department',
      aliases: list(cell(r, '别名')),
      chatId: cell(r, '群聊ID') || `${UNBOUND_PREFIX}${cell(r, '编号')}`,
      ...(cell(r, '群机器人Key') && { webhookKey: cell(r, '群机器人Key') }),
      leader: leaders[0] ? cell(leaders[0], '企业微信账号') : '',
      members: people.map((p) => ({
        userId: cell(p, '企业微信账号'),
        name: cell(p, '姓名'),
        ...(cell(p, '职务') && { title: cell(p, '职务') }),
        ...(cell(p, '手机') && { mobile: cell(p, '手机') }),
        ...(YES.has(cell(p, '值班').toLowerCase()) && { onDuty: true }),
      })),
    };
  });
  for (const p of of('人员')) if (!unitIdOf(cell(p, '单位'))) say(p, `单位「${cell(p, '单位')}」不在「单位」表里`);

  const areas = of('区域').map((r) => {
    const classText = cell(r, '类别');
    const cls = (Object.keys(CLASS_NAMES) as (keyof typeof CLASS_NAMES)[]).find((c) => CLASS_NAMES[c] === classText || c === classText);
    if (!cls) say(r, `类别「${classText}」不对，应为 城区、农村、偏远 之一`);
    const unit = unitIdOf(cell(r, '负责单位'));
    if (!unit) say(r, `负责单位「${cell(r, '负责单位')}」不在「单位」表里`);
    return {
      name: cell(r, '名称'),
      aliases: list(cell(r, '别名')),
      level: cell(r, '级别'),
      ...(cell(r, '上级') && { parent: cell(r, '上级') }),
      class: cls ?? 'urban',
      unit: unit ? cell(unit, '编号') : '',
    };
  });
  if (problems.length) return { problems };

  const parsed = orgSchema.safeParse({ ...base, units, areas });
  if (parsed.success) return { doc: parsed.data };
  // The document's own checks, said at the row they come from.
  for (const issue of parsed.error.issues) {
    const [list, i, sub, j] = issue.path as (string | number)[];
    const at =
      list === 'units' && sub === 'members' && typeof j === 'number'
        ? of('人员').filter((p) => unitIdOf(cell(p, '单位')) === unitRows[i as number])[j]
        : list === 'units'
          ? unitRows[i as number]
          : list === 'areas'
            ? of('区域')[i as number]
            : undefined;
    problems.push({ table: at?.table ?? '组织', row: at?.row ?? null, problem: `${issue.path.slice(2).join('.') || issue.path.join('.')}：${issue.message}` });
  }
  return { problems };
}

/** The organisation as the same three tables, for export (and a round trip through a spreadsheet). */
export function tablesFromOrg(doc: OrgDoc): Record<TableName, string[][]> {
  return {
    单位: doc.units.map((u) => [u.id, u.name, TYPE_NAMES[u.type], u.aliases.join('、'), u.chatId.startsWith(UNBOUND_PREFIX) ? '' : u.chatId, u.webhookKey ?? '']),
    区域: doc.areas.map((a) => [a.name, a.aliases.join('、'), a.level, a.parent ?? '', CLASS_NAMES[a.class], a.unit]),
    人员: doc.units.flatMap((u) =>
      u.members.map((m) => [u.id, m.userId, m.name, m.mobile ?? '', m.title ?? '', m.userId === u.leader ? '是' : '', m.onDuty ? '是' : '']),
    ),
  };
}
