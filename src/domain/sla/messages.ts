import { MINUTE_MS } from '../../clock';
import { shanghaiDate, shanghaiTime, type WorkCalendar } from '../../calendar/calendar';
import type { LimitUnit, Step } from './deadlines';

/** The words of a policy, as the desk wrote them (see 042_sla_policies.sql). */
export interface PolicyWords {
  sinceText: string;
  awaitedText: string;
  actionText: string;
  limitAmount: number;
  limitUnit: LimitUnit;
}

export interface NagFacts {
  step: Step;
  ticketNo: string;
  policy: PolicyWords;
  startedAt: Date;
  dueAt: Date;
  now: Date;
  mentions: string[];
  /** The unit that owes the event, named to the leaders an escalation goes to. */
  unitName: string;
}

const TAGS: Record<Step, string> = { warn: '预警', breach: '催办', unit_leader: '督办', company_leader: '升级督办' };

/**
 * One nag, in Chinese: the number, what is late, by how long, and what to do, e.g.
 * 【催办】GZ20261124-0007 派工后已 50 分钟未到达现场（时限 45 分钟，超时 5 分钟），请 <@zhangsan> 尽快到达并回复 /到达 GZ20261124-0007
 */
export function nagText(calendar: WorkCalendar, facts: NagFacts): string {
  const { policy, now, dueAt } = facts;
  const workingDays = policy.limitUnit === 'working_days';
  const elapsed = workingDays
    ? `${calendar.workingDaysBetween(facts.startedAt, now)} 个工作日`
    : duration(now.getTime() - facts.startedAt.getTime());
  const limit = workingDays ? `${policy.limitAmount} 个工作日` : duration(policy.limitAmount * MINUTE_MS);
  const late = now.getTime() - dueAt.getTime();
  const state = late < 0 ? `还剩 ${duration(-late)}` : late < MINUTE_MS ? '已到时限' : `超时 ${duration(late)}`;
  const deadline = workingDays ? `${dayAndTime(dueAt)} 到期，` : '';
  const who = facts.mentions.map((userId) => `<@${userId}>`).join(' ');
  const ask =
    facts.step === 'warn' || facts.step === 'breach'
      ? policy.actionText.replaceAll('{no}', facts.ticketNo)
      : `督促${facts.unitName}办理`;
  return `【${TAGS[facts.step]}】${facts.ticketNo} ${policy.sinceText}后已 ${elapsed}未${policy.awaitedText}（时限 ${limit}，${deadline}${state}），请 ${who} ${ask}`;
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

/** "12月1日 16:00", Shanghai. */
function dayAndTime(at: Date): string {
  const [, month, day] = shanghaiDate(at).split('-').map(Number);
  return `${month}月${day}日 ${shanghaiTime(at)}`;
}
