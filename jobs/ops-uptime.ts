import type { JobSpec } from './spec';

/** Whether the WeCom connection works, twice a minute so that a late run still covers every minute of the month. */
export const opsUptime: JobSpec = {
  name: 'ops-uptime',
  every: '30 seconds',
  handle: async ({ ops }) => {
    await ops.sampleConnection();
  },
};
