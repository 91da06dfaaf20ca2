import type { JobSpec } from './spec';

/**
 * The desk's twice-daily look at the system (regulation chapter 4: 每天两次巡视设备) at the start and the end of working
 * hours, every day including holidays: checked every minute on the app's clock, queued once per slot.
 */
export const opsSelfCheck: JobSpec = {
  name: 'ops-self-check',
  every: '1 minute',
  handle: async ({ ops }) => {
    await ops.selfCheckIfDue();
  },
};
