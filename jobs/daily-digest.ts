import type { JobSpec } from './spec';

/** The leaders' morning digest: checked often, queued once a working day at the start of working hours. */
export const dailyDigest: JobSpec = {
  name: 'daily-digest',
  every: '1 minute',
  handle: async ({ digest }) => {
    await digest.sendIfDue();
  },
};
