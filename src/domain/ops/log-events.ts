import { sql } from 'kysely';
import { DAY_MS, HOUR_MS } from '../../clock';
import type { Db, Executor } from '../../db/database';
import type { LogEvent } from '../../log';
import { inert } from '../../protocol/inert';
import { dayAndTime, dayLabel } from '../sla/messages';
import { LOG_CAPTIONS } from './log-captions';
import { ok, warn } from './text';
import { OPERATIONS } from '../regulation';

/** Messages the weekly summary lists one by one; the rest are counted together. */
export const WEEKLY_TOP = 10;

/**
 * Adds a batch of warnings and errors to their hourly rows (log_events). The batch is folded first: one statement may
 * not update a row twice, and a storm of one message is one row however many lines it logged.
 */
export async function recordLogEvents(db: Db, events: LogEvent[]): Promise<void> {
  const rows = new Map<string, { hour: Date; level: LogEvent['level']; message: string; source: string; code: string; count: number; first_at: Date; last_at: Date }>();
  for (const event of events) {
    const hour = new Date(Math.floor(event.at.getTime() / HOUR_MS) * HOUR_MS);
    const key = JSON.stringify([hour.getTime(), event.level, event.message, event.source, event.code]);
    const row = rows.get(key);
    if (row) {
      row.count += event.count;
      if (event.at < row.first_at) row.first_at = event.at;
      if (event.at > row.last_at) row.last_at = event.at;
    } else {
      rows.set(key, { hour, level: event.level, message: event.message, source: event.source, code: event.code, count: event.count, first_at: event.at, last_at: event.at });
    }
  }
  if (rows.size === 0) return;
  await db
    .insertInto('log_events')
    .values([...rows.values()])
    .onConflict((conflict) =>
      conflict.columns(['hour', 'level', 'message', 'source', 'code']).doUpdateSet({
        count: sql`log_events.count + excluded.count`,
        first_at: sql`least(log_events.first_at, excluded.first_at)`,
        last_at: sql`greatest(log_events.last_at, excluded.last_at)`,
      }),
    )
    .execute();
}

/** Deletes what is older than the retention: warnings and errors, and the connection's minutes. */
export async function pruneOpsRecords(db: Db, now: Date): Promise<void> {
  const before = new Date(now.getTime() - OPERATIONS.retentionMs);
  await db.deleteFrom('log_events').where('last_at', '<', before).execute();
  await db.deleteFrom('wecom_uptime').where('minute', '<', before).execute();
}

export interface LogGroup {
  level: 'warn' | 'error';
  message: string;
  sources: string[];
  count: number;
  firstAt: Date;
  lastAt: Date;
}

export interface LogSummary {
  from: Date;
  to: Date;
  errors: number;
  warnings: number;
  /** The most frequent messages, most first (errors before warnings on a tie). */
  top: LogGroup[];
  /** Messages beyond the top, and how many lines they logged. */
  rest: { groups: number; count: number };
}

/** Warnings and errors (fatal counted as errors) logged in [from, to), grouped by message. */
export async function summariseLogEvents(db: Executor, from: Date, to: Date, top = WEEKLY_TOP): Promise<LogSummary> {
  const level = sql<'warn' | 'error'>`CASE WHEN level = 'warn' THEN 'warn' ELSE 'error' END`;
  const groups = await db
    .selectFrom('log_events')
    .select([
      level.as('level'),
      'message',
      sql<string[]>`array_agg(DISTINCT source ORDER BY source) FILTER (WHERE source <> '')`.as('sources'),
      sql<number>`sum(count)::int`.as('count'),
      sql<Date>`min(first_at)`.as('first_at'),
      sql<Date>`max(last_at)`.as('last_at'),
    ])
    .where('hour', '>=', from)
    .where('hour', '<', to)
    .groupBy([level, 'message'])
    .orderBy(sql`sum(count)`, 'desc')
    .orderBy(level)
    .orderBy('message')
    .execute();
  const all = groups.map((g) => ({ level: g.level, message: g.message, sources: g.sources ?? [], count: g.count, firstAt: g.first_at, lastAt: g.last_at }));
  const listed = all.slice(0, top);
  const rest = all.slice(top);
  return {
    from,
    to,
    errors: all.filter((g) => g.level === 'error').reduce((sum, g) => sum + g.count, 0),
    warnings: all.filter((g) => g.level === 'warn').reduce((sum, g) => sum + g.count, 0),
    top: listed,
    rest: { groups: rest.length, count: rest.reduce((sum, g) => sum + g.count, 0) },
  };
}

/** The weekly review of the logs (chapter 4: 每周查看系统日志), for the desk chat. */
export function formatWeeklySummary(s: LogSummary): string {
  const lastDay = new Date(s.to.getTime() - DAY_MS);
  const lines = [`**95598 系统日志周报 · ${dayLabel(s.from)}至${dayLabel(lastDay)}**`];
  if (s.errors + s.warnings === 0) {
    lines.push(ok('本周没有错误或警告'));
    return lines.join('\n');
  }
  const totals = `错误 ${s.errors} 条 · 警告 ${s.warnings} 条`;
  lines.push(s.errors > 0 ? warn(totals) : totals);
  lines.push(`按次数（前 ${s.top.length} 类）：`);
  s.top.forEach((g, i) => {
    // 营销系统调用失败（marketing system failed · marketing）: what it means, then what to search the logs for.
    const caption = LOG_CAPTIONS[g.message];
    const sources = g.sources.length ? `${g.sources.slice(0, 2).join('、')}${g.sources.length > 2 ? ' 等' : ''}` : '';
    const detail = [caption ? g.message : '', sources].filter(Boolean).join(' · ');
    const what = `${caption ?? g.message}${detail ? `（${detail}）` : ''}`;
    const span = g.count === 1 ? dayAndTime(g.firstAt) : `${dayAndTime(g.firstAt)} 至 ${dayAndTime(g.lastAt)}`;
    lines.push(`${i + 1}. ${g.level === 'error' ? '【错误】' : '【警告】'}${inert(what)}：${g.count} 次，${span}`);
  });
  if (s.rest.groups > 0) lines.push(`另有 ${s.rest.groups} 类共 ${s.rest.count} 条未列出`);
  return lines.join('\n');
}
