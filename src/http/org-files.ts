import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { COLUMNS, TABLES, type TableName, type TableRow } from '../domain/org/tables';

/**
 * The organisation's tables as files: an XLSX workbook with one sheet per table (单位, 区域, 人员), or one CSV whose
 * first column 表 names each row's table (the columns of all three after it).
 */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TABLE_COLUMN = '表';

export async function readXlsx(bytes: Buffer): Promise<TableRow[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: TableRow[] = [];
  for (const table of TABLES) {
    const sheet = workbook.getWorksheet(table);
    if (!sheet) continue;
    const headers = (sheet.getRow(1).values as unknown[]).map((v) => text(v));
    sheet.eachRow((row, number) => {
      if (number === 1) return;
      const cells: Record<string, string> = {};
      (row.values as unknown[]).forEach((v, i) => {
        if (headers[i]) cells[headers[i]!] = text(v);
      });
      if (Object.values(cells).some((v) => v !== '')) rows.push({ table, row: number, cells });
    });
  }
  return rows;
}

export function readCsv(content: string): TableRow[] {
  const records = parse(content.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as Record<string, string>[];
  return records.map((cells, i) => ({ table: cells[TABLE_COLUMN] as TableName, row: i + 2, cells }));
}

/** Rows naming a table that does not exist, as problems. */
export function unknownTables(rows: TableRow[]): { table: '组织'; row: number; problem: string }[] {
  return rows
    .filter((r) => !TABLES.includes(r.table))
    .map((r) => ({ table: '组织' as const, row: r.row, problem: `「${TABLE_COLUMN}」一栏应为 ${TABLES.join('、')} 之一，现在是「${r.table ?? ''}」` }));
}

export async function writeXlsx(tables: Record<TableName, string[][]>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const table of TABLES) {
    const sheet = workbook.addWorksheet(table);
    sheet.columns = COLUMNS[table].map((header) => ({ header, width: 16 }));
    for (const row of tables[table]) sheet.addRow(row);
    sheet.getRow(1).font = { bold: true };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function writeCsv(tables: Record<TableName, string[][]>): string {
  const headers = [TABLE_COLUMN, ...new Set(TABLES.flatMap((t) => COLUMNS[t]))];
  const lines = [headers];
  for (const table of TABLES) {
    for (const row of tables[table]) {
      const byHeader = new Map(COLUMNS[table].map((h, i) => [h, row[i] ?? '']));
      lines.push([table, ...headers.slice(1).map((h) => byHeader.get(h) ?? '')]);
    }
  }
  return '\uFEFF' + lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** A cell's text: rich text, hyperlinks and formulas' results as what the cell shows. */
function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: string; result?: unknown };
    if (v.richText) return v.richText.map((r) => r.text).join('').trim();
    if (v.text !== undefined) return String(v.text).trim();
    if (v.result !== undefined) return text(v.result);
  }
  return String(value).trim();
}
