import { parse } from 'csv-parse/sync';
import { faqEntrySchema, type FaqEntry } from './entry';

/**
 * The knowledge base as a spreadsheet: one entry per row, a header row naming the columns in Chinese or English.
 * Several similar questions go in one cell, one per line (Alt+Enter in Excel) or separated by |; tags likewise, or
 * separated by 、 , ；.
 */
const COLUMNS: Record<string, keyof FaqEntry> = {
  编号: 'id',
  id: 'id',
  主题: 'topic',
  topic: 'topic',
  标准问题: 'question',
  问题: 'question',
  question: 'question',
  相似问题: 'similar',
  similar: 'similar',
  答案: 'answer',
  answer: 'answer',
  标签: 'tags',
  tags: 'tags',
};
const REQUIRED: (keyof FaqEntry)[] = ['id', 'question', 'answer'];
const LABEL: Record<keyof FaqEntry, string> = {
  id: '编号',
  topic: '主题',
  question: '问题',
  similar: '相似问题',
  answer: '答案',
  tags: '标签',
};

export interface RejectedRow {
  /** The spreadsheet's row number: the header is row 1. */
  row: number;
  reason: string;
}

export type CsvParse = { ok: true; entries: FaqEntry[] } | { ok: false; rejected: RejectedRow[] };

/** Reads every row and reports every bad one; the caller imports only when none is bad. */
export function parseFaqCsv(text: string): CsvParse {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return { ok: false, rejected: [{ row: line ?? 1, reason: `CSV 格式不正确（${(error as Error).message}）` }] };
  }
  const [header, ...rows] = records;
  if (!header) return { ok: false, rejected: [{ row: 1, reason: '文件是空的，至少需要表头和一行问答' }] };
  const fields = header.map((name) => COLUMNS[name.trim().toLowerCase()]);
  const unknown = header.filter((_, i) => !fields[i]);
  const missing = REQUIRED.filter((field) => !fields.includes(field));
  if (unknown.length || missing.length) {
    const reasons = [
      ...(unknown.length ? [`不认识的列：${unknown.join('、')}`] : []),
      ...(missing.length ? [`缺少列：${missing.map((field) => LABEL[field]).join('、')}`] : []),
    ];
    return { ok: false, rejected: [{ row: 1, reason: `表头${reasons.join('；')}` }] };
  }
  if (rows.length === 0) return { ok: false, rejected: [{ row: 1, reason: '只有表头，没有问答' }] };

  const entries: FaqEntry[] = [];
  const rejected: RejectedRow[] = [];
  const firstRowOf = new Map<string, number>();
  rows.forEach((cells, i) => {
    const row = i + 2;
    if (cells.length > header.length) {
      rejected.push({ row, reason: `有 ${cells.length} 列，表头只有 ${header.length} 列（含逗号的内容请加英文双引号）` });
      return;
    }
    const raw: Record<string, unknown> = {};
    fields.forEach((field, column) => {
      const cell = cells[column] ?? '';
      if (field === 'similar') raw[field] = split(cell, /[|\n]/);
      else if (field === 'tags') raw[field] = split(cell, /[|\n、,，;；]/);
      else if (cell !== '') raw[field!] = cell;
    });
    const parsed = faqEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const reasons = parsed.error.issues.map((issue) => `${LABEL[issue.path[0] as keyof FaqEntry] ?? '内容'}${describe(issue)}`);
      rejected.push({ row, reason: reasons.join('；') });
      return;
    }
    const first = firstRowOf.get(parsed.data.id);
    if (first !== undefined) {
      rejected.push({ row, reason: `编号 ${parsed.data.id} 与第 ${first} 行重复` });
      return;
    }
    firstRowOf.set(parsed.data.id, row);
    entries.push(parsed.data);
  });
  return rejected.length ? { ok: false, rejected } : { ok: true, entries };
}

/** One line per rejected row, for people: 第 3 行：答案不能为空. */
export function rejectionReport(rejected: readonly RejectedRow[]): string {
  return rejected.map(({ row, reason }) => `第 ${row} 行：${reason}`).join('\n');
}

function split(cell: string, separators: RegExp): string[] {
  return cell
    .split(separators)
    .map((part) => part.trim())
    .filter(Boolean);
}

function describe(issue: { code: string; message: string; path: PropertyKey[] }): string {
  if (issue.code === 'invalid_type' && /undefined|required|必填|未定义/.test(issue.message)) return '不能为空';
  return `：${issue.message}`;
}
