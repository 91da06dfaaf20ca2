import { sql } from 'kysely';
import type { Executor } from '../../db/database';
import { monthBounds } from '../reports/assessment';
import { ticketFlow } from '../reports/digest';
import { summariseLogEvents } from './log-events';
import { duration } from '../sla/messages';
import { ok, percent, size, warn } from './text';
import { uptime, type Uptime } from './uptime';
import { MINUTE_MS } from '../../clock';
import { OPERATIONS } from '../regulation';


/** What the month's operation report says (chapter 4: 每月定时上报系统运行情况); all from the service's own tables. */
export interface OperationFigures {
  month: string;
  /** The WeCom connection, minute by minute; null before sampling began. */
  uptime: Uptime | null;
  inbound: { texts: number; taps: number; givenUp: number };
  outbound: { sent: number; givenUp: number; possiblySent: number };
  backups: { ok: number; failed: number; largest: number | null };
  log: { errors: number; warnings: number };
  tickets: { opened: number; closed: number; overdue: number };
}

export async function operationFigures(db: Executor, month: string): Promise<OperationFigures> {
  const { from, to } = monthBounds(month);
  const [up, inbound, sent, givenUp, backups, log, flow] = await Promise.all([
    uptime(db, from, to),
    db
      .selectFrom('inbox')
      .select([
        sql<number>`count(*) FILTER (WHERE kind = 'text')::int`.as('texts'),
        sql<number>`count(*) FILTER (WHERE kind = 'tap')::int`.as('taps'),
        sql<number>`count(*) FILTER (WHERE failed_at IS NOT NULL)::int`.as('given_up'),
      ])
      .where('received_at', '>=', from)
      .where('received_at', '<', to)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('outbox')
      .select([sql<number>`count(*)::int`.as('sent'), sql<number>`count(*) FILTER (WHERE possibly_sent)::int`.as('possibly')])
      .where('status', '=', 'sent')
      .where('sent_at', '>=', from)
      .where('sent_at', '<', to)
      .executeTakeFirstOrThrow(),
    // A message is given up after its retries ran out; counted in the month it was queued.
    db
      .selectFrom('outbox')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('status', '=', 'failed')
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('backup_runs')
      .select([
        sql<number>`count(*) FILTER (WHERE ok)::int`.as('ok'),
        sql<number>`count(*) FILTER (WHERE NOT ok)::int`.as('failed'),
        sql<number | null>`max(bytes)`.as('largest'),
      ])
      .where('at', '>=', from)
      .where('at', '<', to)
      .executeTakeFirstOrThrow(),
    summariseLogEvents(db, from, to, 0),
    ticketFlow(db, from, to),
  ]);
  return {
    month,
    uptime: up,
    inbound: { texts: inbound.texts, taps: inbound.taps, givenUp: inbound.given_up },
    outbound: { sent: sent.sent, givenUp: givenUp.n, possiblySent: sent.possibly },
    backups: { ok: backups.ok, failed: backups.failed, largest: backups.largest === null ? null : Number(backups.largest) },
    log: { errors: log.errors, warnings: log.warnings },
    tickets: { opened: flow.opened.reduce((sum, row) => sum + row.count, 0), closed: flow.closed, overdue: flow.newlyOverdue },
  };
}

const monthName = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5))}月`;

/** The month's operation report for the desk chat, which reports it on to the city centre. */
export function formatOperationReport(f: OperationFigures): string {
  const lines = [`**95598 系统运行月报 · ${monthName(f.month)}**`];

  const u = f.uptime;
  if (!u) {
    lines.push('企业微信连接可用率：本月未测量');
  } else {
    const down = u.minutes - u.connected;
    const text = `企业微信连接可用率 ${percent(u.connected, u.minutes)}`;
    const detail = down ? `（中断 ${u.outages} 次，共 ${duration(down * MINUTE_MS)}）` : '（无中断）';
    lines.push(u.connected / u.minutes < OPERATIONS.uptimeTarget ? warn(text, detail) : ok(text + detail));
  }

  const inbound = `收到消息 ${f.inbound.texts} 条、按钮点击 ${f.inbound.taps} 次；发出消息 ${f.outbound.sent} 条`;
  lines.push(inbound);
  const failures = f.outbound.givenUp + f.inbound.givenUp;
  if (failures === 0) lines.push(ok(`发送失败 0 条${f.outbound.possiblySent ? `，可能重复发送 ${f.outbound.possiblySent} 条` : ''}`));
  else {
    const parts = [
      ...(f.outbound.givenUp ? [`放弃发送 ${f.outbound.givenUp} 条`] : []),
      ...(f.inbound.givenUp ? [`未能处理的来信 ${f.inbound.givenUp} 条`] : []),
    ];
    lines.push(warn(parts.join('，'), f.outbound.possiblySent ? `，可能重复发送 ${f.outbound.possiblySent} 条` : ''));
  }

  const b = f.backups;
  const largest = b.largest === null ? '' : `，最大 ${size(b.largest)}`;
  if (b.failed > 0 || b.ok === 0) lines.push(warn(`备份成功 ${b.ok} 次，失败 ${b.failed} 次`, largest));
  else lines.push(ok(`备份成功 ${b.ok} 次，失败 0 次${largest}`));

  const log = `错误 ${f.log.errors} 条 · 警告 ${f.log.warnings} 条`;
  lines.push(f.log.errors > 0 ? warn(log) : ok(log));

  lines.push(`工单：受理 ${f.tickets.opened} 件 · 办结 ${f.tickets.closed} 件 · 超时 ${f.tickets.overdue} 件`);
  return lines.join('\n');
}
