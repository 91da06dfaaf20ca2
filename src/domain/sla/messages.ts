import { MINUTE_MS } from '../../clock';
import { shanghaiDate, shanghaiTime, type WorkCalendar } from '../../calendar/calendar';
import type { LimitUnit, NagStep } from './deadlines';
import { NAG_STEPS } from '../regulation';

/** The words of a policy, as the desk wrote them (see 042_sla_policies.sql). */
export interface PolicyWords {
  sinceText: string;
  awaitedText: string;
  actionText: string;
  limitAmount: number;
  limitUnit: LimitUnit;
}

/** One fired step of one ticket's clock, as a line of a nag. */
export interface NagItem {
  step: NagStep;
  ticketNo: string;
  policy: PolicyWords;
  startedAt: Date;
  dueAt: Date;
  /** The unit that owes the event, named to the leaders an escalation goes to. */
  unitName: string;
}

const TAGS: Record<NagStep, string> = { warn: '预警', breach: '催办', unit_leader: '督办', company_leader: '升级督办' };

/** The later of two steps: a clock listed once per message says its most urgent step. */
export function laterStep(a: NagStep, b: NagStep): NagStep {
  return NAG_STEPS.indexOf(a) >= NAG_STEPS.indexOf(b) ? a : b;
}

/**
 * The one nag a chat gets per sweep: a heading that counts what is late, a line per ticket with its limit and how
 * late, and the short @ line the group robot sends, e.g.
 * 【催办】客户中心 2 件超时：
 * 1.【催办】GZ20261124-0007 派工后已 50 分钟未到达现场（时限 45 分钟，超时 5 分钟），尽快到达并回复 /到达 GZ20261124-0007
 */
export function nagMessage(calendar: WorkCalendar, chatName: string, items: NagItem[], now: Date): { texts: string[]; atLine: string } {
  const step = items.map((item) => item.step).reduce(laterStep);
  // 件 counts tickets: a ticket with two steps due is one ticket, on one line, named once.
  const tickets = [...new Set(items.map((item) => item.ticketNo))];
  const stepsOf = (no: string) => items.filter((item) => item.ticketNo === no);
  const late = tickets.filter((no) => stepsOf(no).some((item) => now >= item.dueAt)).length;
  const counts = [late && `${late} 件超时`, tickets.length - late && `${tickets.length - late} 件将到期`].filter(Boolean).join('、');
  const heading = `【${TAGS[step]}】${chatName} ${counts}`;
  const lines = tickets.map((no, i) => `${i + 1}.${stepsOf(no).map((item) => `【${TAGS[item.step]}】${nagLine(calendar, item, now)}`).join('；')}`);
  const named = tickets.slice(0, AT_LINE_NUMBERS).join('、');
  const more = tickets.length > AT_LINE_NUMBERS ? ` 等 ${tickets.length} 件` : '';
  return { texts: chunks(`${heading}：`, lines), atLine: `${heading}：${named}${more}，请尽快处理（明细见本群机器人消息）` };
}

/** Ticket numbers named in the @ line: enough to recognise, well inside the robot text's 2048 bytes. */
const AT_LINE_NUMBERS = 20;

/** WeCom takes 20480 bytes of markdown: a long list goes as several messages, the heading on the first. */
const MAX_BYTES = 16_000;

function chunks(heading: string, lines: string[]): string[] {
  const texts: string[][] = [[heading]];
  for (const line of lines) {
    const current = texts[texts.length - 1]!;
    if (Buffer.byteLength([...current, line].join('\n')) > MAX_BYTES) texts.push(['（续）', line]);
    else current.push(line);
  }
  return texts.map((text) => text.join('\n'));
}

/** "GZ… 派工后已 50 分钟未到达现场（时限 45 分钟，超时 5 分钟），尽快到达并回复 /到达 GZ…" */
function nagLine(calendar: WorkCalendar, item: NagItem, now: Date): string {
  const { policy, dueAt } = item;
  const workingDays = policy.limitUnit === 'working_days';
  const elapsed = workingDays
    ? `${calendar.workingDaysBetween(item.startedAt, now)} 个工作日`
    : duration(now.getTime() - item.startedAt.getTime());
  const limit = workingDays ? `${policy.limitAmount} 个工作日` : duration(policy.limitAmount * MINUTE_MS);
  const late = now.getTime() - dueAt.getTime();
  const state = late < 0 ? `还剩 ${duration(-late)}` : late < MINUTE_MS ? '已到时限' : `超时 ${duration(late)}`;
  // A deadline in a year whose holidays are not confirmed rests on provisional dates, and says so.
  const deadline = workingDays ? `${dayAndTime(dueAt)} 到期${calendar.isProvisional(dueAt) ? '（待确认）' : ''}，` : '';
  const ask =
    item.step === 'warn' || item.step === 'breach' ? policy.actionText.replaceAll('{no}', item.ticketNo) : `请督促${item.unitName}办理`;
  return `${item.ticketNo} ${policy.sinceText}后已 ${elapsed}未${policy.awaitedText}（时限 ${limit}，${deadline}${state}），${ask}`;
}

/** "1 天 2 小时 5 分钟", whole minutes. */
export function duration(ms: number): string {
  const minutes = Math.floor(ms / MINUTE_MS);
  if (minutes < 1) return '不足 1 分钟';
  const parts: string[] = [];
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days) parts.push(`${days} 天`);
  if (hours) parts.push(`${hours} 小时`);
  if (minutes % 60) parts.push(`${minutes % 60} 分钟`);
  return parts.join(' ');
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** Day of the week of a YYYY-MM-DD date: 0 Sunday … 6 Saturday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** "11月24日（周二）", Shanghai. */
export function dayLabel(at: Date): string {
  const date = shanghaiDate(at);
  const [, month, day] = date.split('-').map(Number);
  return `${month}月${day}日（周${WEEKDAYS[weekday(date)]}）`;
}

/** "12月1日 16:00", Shanghai. */
export function dayAndTime(at: Date): string {
  const [, month, day] = shanghaiDate(at).split('-').map(Number);
  return `${month}月${day}日 ${shanghaiTime(at)}`;
}
