import type { JobSpec } from './spec';

/** Every minute: candidate offers past their window close, and the inquiries nobody picked for go to the desk. */
export const inquiryOffers: JobSpec = {
  name: 'inquiry-offers',
  every: 60_000,
  handle: async ({ inquiries }) => {
    await inquiries.lapse();
  },
};
