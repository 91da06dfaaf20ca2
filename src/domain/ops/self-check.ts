import { existsSync } from 'node:fs';
import { stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { backupTime, listBackups, type BackupTargets } from '../../backup/files';
import type { Executor } from '../../db/database';
import { overdueNowByUnit } from '../sla/overdue';
import { dayAndTime, dayLabel, duration } from '../sla/messages';
import { ok, size, warn } from './text';
import { shanghaiTime, unconfirmedYear, type WorkCalendar } from '../../calendar/calendar';
import { OPERATIONS } from '../regulation';


export interface SelfCheckFigures {
  at: Date;
  /** The bot's lease (wecom_leases); null when no process ever held it. */
  connection: { holder: string; live: boolean; connected: boolean; silentForMs: number } | null;
  outbox: { pending: number; oldestAt: Date | null };
  overdue: { clocks: number; oldestDueAt: Date | null };
  backup: {
    dir: string;
    copyDir: string | undefined;
    latest: { file: string; at: Date; bytes: number; copied: boolean } | null;
    /** The last failed attempt, when it came after the newest backup on disk. */
    failedAt: Date | null;
  };
  disks: { dir: string; free: number; total: number }[];
  /** This year, and from 1 November the next, when no holiday schedule is confirmed for them. */
  unconfirmedYears: number[];
  /** Configured groups nobody has @-ed the bot in: WeCom refuses pushes there (read with the organisation). */
  silentGroups?: string[];
}

export interface SelfCheckSources {
  botId: string;
  backups: BackupTargets;
  /** Other directories whose disk matters (the embedded database's data directory). */
  dataDirs: string[];
  calendar: WorkCalendar;
}

/** Reads every figure of the self-check; the files first, so no transaction waits on the disk. */
export async function selfCheckFigures(db: Executor, sources: SelfCheckSources, now: Date): Promise<SelfCheckFigures> {
  const [latest, disks] = await Promise.all([latestBackup(sources.backups), diskSpace([sources.backups.dir, ...sources.dataDirs])]);
  const [lease, outbox, overdue, failed] = await Promise.all([
    db
      .selectFrom('wecom_leases')
      .select([
        'holder',
        'connected',
        sql<boolean>`expires_at > now()`.as('live'),
        sql<number>`extract(epoch FROM now() - renewed_at) * 1000`.as('silent_ms'),
      ])
      .where('bot_id', '=', sources.botId)
      .executeTakeFirst(),
    // Rows of this bot, and rows queued before rows carried their bot (a real bot adopts them): what will be sent.
    db
      .selectFrom('outbox')
      .select([sql<number>`count(*)::int`.as('pending'), sql<Date | null>`min(created_at)`.as('oldest')])
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('bot_id', '=', sources.botId), eb('bot_id', 'is', null)]))
      .executeTakeFirstOrThrow(),
    overdueNowByUnit(db, now),
    db.selectFrom('backup_runs').select(sql<Date | null>`max(at)`.as('at')).where('ok', '=', false).executeTakeFirstOrThrow(),
  ]);
  const oldestDue = overdue.map((row) => row.oldestDueAt.getTime());
  return {
    at: now,
    connection: lease
      ? { holder: lease.holder, live: lease.live, connected: lease.connected, silentForMs: Math.max(0, Number(lease.silent_ms)) }
      : null,
    outbox: { pending: outbox.pending, oldestAt: outbox.oldest },
    overdue: {
      clocks: overdue.reduce((sum, row) => sum + row.overdue, 0),
      oldestDueAt: oldestDue.length ? new Date(Math.min(...oldestDue)) : null,
    },
    backup: {
      dir: sources.backups.dir,
      copyDir: sources.backups.copyDir,
      latest,
      failedAt: failed.at && (!latest || failed.at > latest.at) ? failed.at : null,
    },
    disks,
    unconfirmedYears: sources.calendar.unconfirmedYears(now),
  };
}

async function latestBackup(targets: BackupTargets): Promise<SelfCheckFigures['backup']['latest']> {
  const [file] = await listBackups(targets.dir);
  const at = file ? backupTime(file) : undefined;
  if (!file || !at) return null;
  const bytes = (await stat(file)).size;
  const copied = targets.copyDir ? existsSync(path.join(targets.copyDir, path.basename(file))) : false;
  return { file, at, bytes, copied };
}

/** Free space of each distinct disk under `dirs` (a directory not made yet is measured where it will be). */
async function diskSpace(dirs: string[]): Promise<SelfCheckFigures['disks']> {
  const seen = new Set<number>();
  const disks: SelfCheckFigures['disks'] = [];
  for (const dir of dirs) {
    const existing = nearestExisting(path.resolve(dir));
    const device = (await stat(existing)).dev;
    if (seen.has(device)) continue;
    seen.add(device);
    const fs = await statfs(existing);
    disks.push({ dir: path.resolve(dir), free: fs.bavail * fs.bsize, total: fs.blocks * fs.bsize });
  }
  return disks;
}

function nearestExisting(dir: string): string {
  let current = dir;
  while (!existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/** The lines the desk sees, one figure each, marked ✅ or ⚠️; the last line counts what needs someone. */
export function formatSelfCheck(f: SelfCheckFigures): string {
  const lines = [`**95598 系统巡视 · ${dayLabel(f.at)}${shanghaiTime(f.at)}**`];
  const problems = (line: string) => line.startsWith('⚠️');

  const c = f.connection;
  const who = c ? `${holderName(c.holder)}` : '';
  if (!c) lines.push(warn('企业微信未连接', '：还没有进程连接过企业微信'));
  else if (!c.live) lines.push(warn('企业微信未连接', `：没有进程持有连接（${who} 已 ${duration(c.silentForMs)}未续约）`));
  else if (!c.connected) lines.push(warn('企业微信未连接', `：${who} 持有连接但未登录成功`));
  else lines.push(ok(`企业微信连接正常（${who}）`));

  const { pending, oldestAt } = f.outbox;
  const waited = oldestAt ? f.at.getTime() - oldestAt.getTime() : 0;
  if (pending === 0) lines.push(ok('待发消息 0 条'));
  else if (waited >= OPERATIONS.selfCheck.outboxAgeMs) lines.push(warn(`待发消息 ${pending} 条`, `，最早一条已等 ${duration(waited)}`));
  else lines.push(ok(`待发消息 ${pending} 条，最早一条已等 ${duration(waited)}`));

  if (f.overdue.clocks === 0) lines.push(ok('超时未办 0 项'));
  else lines.push(warn(`超时未办 ${f.overdue.clocks} 项`, `，最早 ${dayAndTime(f.overdue.oldestDueAt!)} 到期`));

  const b = f.backup;
  if (!b.latest) {
    lines.push(warn('没有备份', `（${b.dir}）`));
  } else {
    const age = f.at.getTime() - b.latest.at.getTime();
    const where = b.copyDir ? `${b.dir}，${b.latest.copied ? `已另存 ${b.copyDir}` : `未另存到 ${b.copyDir}`}` : b.dir;
    const text = `${dayAndTime(b.latest.at)}，${size(b.latest.bytes)}，${where}`;
    if (age > OPERATIONS.selfCheck.backupAgeMs) lines.push(warn(`最近备份已是 ${duration(age)}前`, `：${text}`));
    else if (b.copyDir && !b.latest.copied) lines.push(warn('备份未另存', `：${text}`));
    else lines.push(ok(`最近备份 ${text}`));
  }
  if (b.failedAt) lines.push(warn('备份失败', `：${dayAndTime(b.failedAt)} 的备份没有成功，请查看日志`));

  for (const disk of f.disks) {
    const share = disk.total > 0 ? disk.free / disk.total : 0;
    const [figure, rest] = [`磁盘剩余 ${size(disk.free)}`, `（${Math.floor(share * 100)}%），${disk.dir}`];
    const low = disk.free < OPERATIONS.selfCheck.diskFreeBytes || share < OPERATIONS.selfCheck.diskFreeShare;
    lines.push(low ? warn(figure, rest) : ok(figure + rest));
  }

  for (const year of f.unconfirmedYears) {
    const { title, advice } = unconfirmedYear(year);
    lines.push(warn(title, advice));
  }
  if (f.silentGroups?.length) {
    lines.push(warn(`${f.silentGroups.length} 个群未激活`, `：${f.silentGroups.join('、')}（群里还没有人 @ 过机器人，消息发不进去；请在群里 @机器人 一次）`));
  }

  const count = lines.filter(problems).length;
  lines.push(count ? `**${count} 项需要处理**` : '**各项正常**');
  return lines.join('\n');
}

/** host:pid of the process holding the lease (its id also carries a random suffix, of no use to a person). */
function holderName(holder: string): string {
  const [host, pid] = holder.split(':');
  return pid ? `${host} 进程 ${pid}` : holder;
}
