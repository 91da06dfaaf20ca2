import type { JobSpec } from './spec';

/** Wakes up exactly at the next deadline; the SLA engine schedules it after each sweep. */
export const slaDeadline: JobSpec = {
  name: 'sla-deadline',
  handle: ({ sla }) => sla.sweep(),
};
