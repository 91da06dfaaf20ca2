import type { JobSpec } from './spec';

/** Last month's operation report to the desk on the 1st from 09:00 (chapter 4: 每月定时上报系统运行情况), queued once. */
export const opsMonthly: JobSpec = {
  name: 'ops-monthly',
  every: '10 minutes',
  handle: async ({ ops }) => {
    await ops.monthlyIfDue();
  },
};
