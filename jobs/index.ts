import type { JobSpec } from './spec';
import { dailyBackup } from './backup';
import { dailyDigest } from './daily-digest';
import { inquiryOffers } from './inquiry-offers';
import { monthlyAnalysis } from './monthly-analysis';
import { opsMonthly } from './ops-monthly';
import { opsSelfCheck } from './ops-self-check';
import { opsUptime } from './ops-uptime';
import { opsWeekly } from './ops-weekly';
import { outageRestore } from './outage-restore';
import { slaDeadline } from './sla-deadline';
import { slaSweep } from './sla-sweep';

/** Every Agenda job of the service, one file each. */
export const JOBS: JobSpec[] = [slaSweep, slaDeadline, outageRestore, dailyDigest, dailyBackup, monthlyAnalysis, inquiryOffers, opsSelfCheck, opsUptime, opsWeekly, opsMonthly];
