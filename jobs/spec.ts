import type { BackupService } from '../src/backup/backup';
import type { InquiryLapses } from '../src/chat/lapses';
import type { OutageEnds } from '../src/chat/outage-ends';
import type { OpsService } from '../src/domain/ops/index';
import type { DigestService } from '../src/domain/reports/digest';
import type { MonthlyService } from '../src/domain/reports/monthly';
import type { SlaEngine } from '../src/domain/sla/engine';

/** What a job's handler may call: domain services only, no SQL in jobs. */
export interface JobServices {
  sla: SlaEngine;
  digest: DigestService;
  backup: BackupService;
  monthly: MonthlyService;
  inquiries: InquiryLapses;
  outages: OutageEnds;
  ops: OpsService;
}

/** One Agenda job, declared in its own file under `jobs/`. */
export interface JobSpec {
  name: string;
  /** Repeats at this interval (milliseconds or Agenda's words, '30 seconds'); without it the job runs when scheduled. */
  every?: string | number;
  /** Time zone of a cron `every` ('0 2 * * *'); the machine's when left out. */
  timezone?: string;
  handle(services: JobServices): Promise<void>;
}
