import type { JobSpec } from './spec';

/** Last month's analysis to the leaders and the list of units to assess to 市场营销部: checked often, queued once a month. */
export const monthlyAnalysis: JobSpec = {
  name: 'monthly-analysis',
  every: '10 minutes',
  handle: async ({ monthly }) => {
    await monthly.sendIfDue();
  },
};
