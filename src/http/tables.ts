import type { Context } from 'koa';
import ExcelJS from 'exceljs';
import { shanghaiDate, shanghaiTime } from '../calendar/calendar';

/**
 * A table leaders download: CSV (UTF-8 with a BOM, so Excel opens Chinese text right) or XLSX. Numbers stay numbers
 * in both — a rate is 0.9167 formatted as a percentage in XLSX, not the text "91.7%".
 */
export interface Column<Row> {
  header: string;
  value(row: Row): string | number | null;
  /** XLSX number format, e.g. '0.0%'. */
  format?: string;
  width?: number;
}

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
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(title.slice(0, 31));
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 14, style: c.format ? { numFmt: c.format } : {} }));
  for (const row of rows) sheet.addRow(columns.map((c) => c.value(row)));
  sheet.getRow(1).font = { bold: true };
  ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  ctx.body = Buffer.from(await workbook.xlsx.writeBuffer());
}

function csvLine(cells: (string | number | null)[]): string {
  return cells
    .map((cell) => {
      if (cell === null) return '';
      if (typeof cell === 'number') return String(cell);
      return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
    })
    .join(',');
}

/** "2026-11-24 10:05" in Shanghai, whatever the reader's zone (a spreadsheet date cell would show UTC). */
export function shanghaiStamp(at: Date | null): string | null {
  return at ? `${shanghaiDate(at)} ${shanghaiTime(at)}` : null;
}
