import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { xlsxTable, type Column } from '../../src/http/tables';

interface Row {
  no: string;
  description: string;
  createdAt: Date;
  overdueAt: Date | null;
  rate: number;
}

const columns: Column<Row>[] = [
  { header: '单号', value: (r) => r.no },
  { header: '内容', value: (r) => r.description },
  { header: '受理时间', value: (r) => r.createdAt },
  { header: '超时时间', value: (r) => r.overdueAt },
  { header: '及时率', value: (r) => r.rate, format: '0.0%' },
];
const rows: Row[] = [
  { no: 'GZ20261124-0001', description: '变压器冒烟，农贸市场对面整条街停电', createdAt: new Date('2026-11-24T02:05:00Z'), overdueAt: null, rate: 0.9167 },
  { no: 'GZ20261124-0002', description: '停电', createdAt: new Date('2026-11-24T15:30:00Z'), overdueAt: new Date('2026-11-24T16:15:00Z'), rate: 1 },
];

describe('the XLSX export', () => {
  it('has date cells in Shanghai wall time, a frozen header row, a filter on every column and fitting widths', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsxTable('工单_2026-11', columns, rows)) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('工单_2026-11');
    expect(sheet.getRow(1).values).toEqual([undefined, '单号', '内容', '受理时间', '超时时间', '及时率']);

    // Real dates: 10:05 and, past midnight in Shanghai, 23:30 of the 24th and 00:15 of the 25th.
    const created = sheet.getCell('C2');
    expect(created.type).toBe(ExcelJS.ValueType.Date);
    expect(created.value).toEqual(new Date('2026-11-24T10:05:00Z'));
    expect(created.numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(sheet.getCell('C3').value).toEqual(new Date('2026-11-24T23:30:00Z'));
    expect(sheet.getCell('D3').value).toEqual(new Date('2026-11-25T00:15:00Z'));
    expect(sheet.getCell('D2').value).toBeNull();
    expect(sheet.getCell('E2')).toMatchObject({ value: 0.9167, numFmt: '0.0%' });

    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe('A1:E3');
    // Wide enough for what they hold: the long description is wider than the short number column.
    const widths = sheet.columns.map((c) => c.width!);
    expect(widths[0]).toBeGreaterThanOrEqual('GZ20261124-0001'.length);
    expect(widths[1]).toBeGreaterThan(widths[0]!);
    expect(widths[2]).toBeGreaterThanOrEqual('yyyy-mm-dd hh:mm'.length);
  });
});
