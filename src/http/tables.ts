import type { Context } from 'koa';
import ExcelJS from 'exceljs';
import { shanghaiDate, shanghaiTime } from '../calendar/calendar';

/**
 * A table leaders download: CSV (UTF-8 with a BOM, so Excel opens Chinese text right) or XLSX. Numbers stay numbers
 * in both — a rate is 0.9167 formatted as a percentage in XLSX, not the text "91.7%" — and a moment is a date cell in
 * XLSX (Shanghai wall time, sortable and filterable) and "2026-11-24 10:05" in CSV. The XLSX has its header row frozen,
 * a filter on every column and columns as wide as what they hold.
 */
export type Cell = string | number | Date | null;

export interface Column<Row> {
  header: string;
  value(row: Row): Cell;
  /** XLSX number format, e.g. '0.0%'; a date column gets DATE_FORMAT. */
  format?: string;
  /** Fixed width in characters; by default as wide as the longest value, within bounds. */
  width?: number;
}

const DATE_FORMAT = 'yyyy-mm-dd hh:mm';
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const MIN_WIDTH = 8;
const MAX_WIDTH = 50;

export type TableFormat = 'csv' | 'xlsx';

export async function sendTable<Row>(
  ctx: Context,
  format: TableFormat,
  title: string,
  columns: Column<Row>[],
  rows: Row[],
): Promise<void> {
  const fileName = `${title}.${format}`;
  // RFC 6266/5987: an ASCII fallback for old clients, the Chinese name in filename*.
  ctx.set('content-disposition', `attachment; filename="export.${format}"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  ctx.set('cache-control', 'no-store');
  if (format === 'csv') {
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = '\uFEFF' + [columns.map((c) => c.header), ...rows.map((row) => columns.map((c) => c.value(row)))].map(csvLine).join('\r\n') + '\r\n';
    return;
  }
  ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  ctx.body = await xlsxTable(title, columns, rows);
}

/** The XLSX file of a table: one sheet, header frozen, filters on, dates as date cells in Shanghai wall time. */
export async function xlsxTable<Row>(title: string, columns: Column<Row>[], rows: Row[]): Promise<Buffer> {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => {
    const isDate = cells.some((row) => row[i] instanceof Date);
    const format = c.format ?? (isDate ? DATE_FORMAT : undefined);
    return { header: c.header, width: c.width ?? fittingWidth(c.header, cells.map((row) => row[i]!), isDate), style: format ? { numFmt: format } : {} };
  });
  // A spreadsheet has no time zone: the cell holds the wall-clock time in Shanghai, as the desk reads it.
  for (const row of cells) sheet.addRow(row.map((cell) => (cell instanceof Date ? new Date(cell.getTime() + SHANGHAI_OFFSET_MS) : cell)));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, cells.length + 1), column: columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Characters wide enough for the header and the longest value (a Chinese character counts two), within bounds. */
function fittingWidth(header: string, values: Cell[], isDate: boolean): number {
  const width = (text: string) => [...text].reduce((sum, ch) => sum + (ch.charCodeAt(0) > 0xff ? 2 : 1), 0);
  const longest = Math.max(width(header) + 4, isDate ? DATE_FORMAT.length + 2 : 0, ...values.map((v) => (typeof v === 'string' ? width(v) + 2 : typeof v === 'number' ? String(v).length + 2 : 0)));
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest));
}

function csvLine(cells: Cell[]): string {
  return cells
    .map((cell) => {
      if (cell === null) return '';
      if (typeof cell === 'number') return String(cell);
      if (cell instanceof Date) return shanghaiStamp(cell)!;
      return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
    })
    .join(',');
}

/** "2026-11-24 10:05" in Shanghai, whatever the reader's zone (a spreadsheet date cell would show UTC). */
export function shanghaiStamp(at: Date | null): string | null {
  return at ? `${shanghaiDate(at)} ${shanghaiTime(at)}` : null;
}
