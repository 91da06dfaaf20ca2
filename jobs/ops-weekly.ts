import type { JobSpec } from './spec';

/**
 * Last week's warnings and errors to the desk on Monday from 09:00 (chapter 4: 每周查看系统日志): checked often, queued
 * once a week. The same pass keeps the recorded warnings and connection minutes within their retention.
 */
export const opsWeekly: JobSpec = {
  name: 'ops-weekly',
  every: '10 minutes',
  handle: async ({ ops }) => {
    await ops.prune();
    await ops.weeklyIfDue();
  },
};
