import { z } from 'zod';
import { defineCommand, field } from '../src/chat/define';
import { DomainError } from '../src/domain/errors';
import { analyseMonth } from '../src/domain/reports/analysis';
import { previousMonth } from '../src/domain/reports/assessment';
import { formatAnalysis, formatAssessList } from '../src/domain/reports/monthly';

const MONTH = /^(\d{4})[-年./]?(\d{1,2})月?$/;

export default defineCommand({
  name: '考核',
  aliases: ['assessment', 'kh'],
  section: '查看',
  summary: '查看某月的月度分析和应考核单位（默认上月）',
  roles: ['leader', 'desk'],
  schema: z.object({ month: field.text('月份', ['month'], 10).optional() }),
  usage: '/考核 [月份]',
  example: '/考核 2026-11',
  handle: async (ctx, { month }) => {
    const analysis = await analyseMonth(ctx.tx, ctx.org, month === undefined ? previousMonth(ctx.now) : monthOf(month), ctx.now);
    return `${formatAnalysis(analysis)}\n\n${formatAssessList(analysis)}`;
  },
});

/** 2026-11, 2026年11月, 202611 → 2026-11. */
function monthOf(typed: string): string {
  const match = MONTH.exec(typed.trim());
  const mm = match ? Number(match[2]) : 0;
  if (!match || mm < 1 || mm > 12) throw new DomainError('invalid_month', `月份「${typed}」不正确，例如 /考核 2026-11`);
  return `${match[1]}-${String(mm).padStart(2, '0')}`;
}
