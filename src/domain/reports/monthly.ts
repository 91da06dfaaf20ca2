import type { Clock } from '../../clock';
import type { Db, Tx } from '../../db/database';
import type { Logger } from '../../log';
import { markdown, picture, type OutboxPort } from '../../protocol/outbound';
import { shanghaiDate, shanghaiTime } from '../../calendar/calendar';
import type { Org } from '../org';
import type { OrgSource } from '../org/store';
import { analyseMonth, percent, type MonthlyAnalysis } from './analysis';
import { previousMonth } from './assessment';
import { monthlyChart, renderPng } from './pictures';

/** The unit the list of units to be assessed goes to (chapter 5 item 4), by its name in the organisation. */
export const MARKETING_UNIT = '市场营销部';

export interface MonthlyService {
  /** Sends last month's analysis and assessment list if not sent yet; any process, any number of times. */
  sendIfDue(): Promise<boolean>;
}

export interface MonthlyDeps {
  db: Db;
  clock: Clock;
  config: { WORKING_HOURS_START: string };
  orgs: OrgSource;
  logger: Logger;
  outbox: OutboxPort;
}

export function createMonthlyService(ctx: MonthlyDeps): MonthlyService {
  return {
    sendIfDue: () =>
      ctx.db.transaction().execute(async (tx) =>
        sendMonthlyIfDue(tx, { clock: ctx.clock, workdayStart: ctx.config.WORKING_HOURS_START, outbox: ctx.outbox }, await ctx.orgs.current(tx)),
      ),
  };
}

/**
 * On the 1st, from the start of working hours, last month's analysis goes to every leadership chat and the list of
 * units to assess to 市场营销部. Only on the 1st: a process first started mid-month does not push an old month (the
 * console and /考核 show any month). Once means once: the outbox's UNIQUE dedupe key is the month, so of two
 * processes racing only one insert lands.
 */
export async function sendMonthlyIfDue(
  tx: Tx,
  deps: { clock: Clock; workdayStart: string; outbox: OutboxPort },
  org: Org,
): Promise<boolean> {
  const now = deps.clock.now();
  if (!shanghaiDate(now).endsWith('-01') || shanghaiTime(now) < deps.workdayStart) return false;
  const month = previousMonth(now);
  const key = `monthly-analysis:${month}`;
  if (await deps.outbox.isQueued(tx, key)) return false;
  const leaders = org.doc.units.filter((unit) => unit.type === 'leadership');
  const marketing = org.findUnit(MARKETING_UNIT);
  const analysis = await analyseMonth(tx, org, month, now);
  const chart = picture(analysisPicture(analysis), `月度分析-${month}.png`);
  const ids = await deps.outbox.enqueue(
    tx,
    [
      ...leaders.flatMap((unit) => [
        { channel: 'push' as const, chatId: unit.chatId, body: chart },
        { channel: 'push' as const, chatId: unit.chatId, body: markdown(formatAnalysis(analysis)) },
      ]),
      ...(marketing ? [{ channel: 'push' as const, chatId: marketing.chatId, body: markdown(formatAssessList(analysis)) }] : []),
    ],
    key,
  );
  return ids.length > 0;
}

const monthName = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5))}月`;

/** The monthly analysis's picture (PNG): the one the leaders get on the 1st, and the console shows. */
export function analysisPicture(a: MonthlyAnalysis): Buffer {
  return renderPng(monthlyChart(monthName(a.month), a));
}

export function formatAnalysis(a: MonthlyAnalysis): string {
  const lines = [
    `**95598 月度分析 · ${monthName(a.month)}**`,
    `投诉、举报、建议、表扬共 ${a.workOrders} 件：受理率 ${percent(a.accepted.rate)} · 按时办结率 ${percent(a.handledInTime.rate)} · 答复率 ${percent(a.answered.rate)}`,
    `主要诉求：${a.topCauses.map((c) => `${c.cause} ${c.count}`).join(' · ') || '无'}`,
    `重复报修地址：${a.repeatAddresses.map((r) => `${r.area ?? ''}${r.address} ${r.count} 次`).join(' · ') || '无'}`,
    `超时较多的单位：${a.overdueUnits.map((u) => `${u.name} ${u.missed} 项`).join(' · ') || '无'}`,
    `停电通知提前量不足：${a.lateNotices.map((n) => `${n.no}（${n.kind}，提前 ${n.leadHours} 小时）`).join(' · ') || '无'}`,
    `回访满意率 ${percent(a.satisfaction.rate)}（满意 ${a.satisfaction.satisfied} · 一般 ${a.satisfaction.fair} · 不满意 ${a.satisfaction.dissatisfied}）`,
    '**改进建议**',
    ...(a.improvements.length ? a.improvements.map((p, i) => `${i + 1}. ${p}`) : ['各项指标均达标，继续保持。']),
  ];
  return lines.join('\n');
}

export function formatAssessList(a: MonthlyAnalysis): string {
  const head = `**${monthName(a.month)}应考核单位名单**（95598 客户服务班报市场营销部审核）`;
  if (a.toAssess.length === 0) return `${head}\n本月各单位均在时限内办理，无应考核单位。`;
  return [
    head,
    ...a.toAssess.map((u, i) => `${i + 1}. ${u.name}：超时 ${u.missed} 项，得分 ${u.score === null ? '—' : u.score.toFixed(1)}（${u.grade ?? '—'}）`),
  ].join('\n');
}
