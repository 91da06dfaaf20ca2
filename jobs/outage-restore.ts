import { SWEEP_EVERY_MS } from '../src/domain/sla/engine';
import type { JobSpec } from './spec';

/** Outage notices end by themselves at their expected restore time, checked as often as the SLA sweep. */
export const outageRestore: JobSpec = {
  name: 'outage-restore',
  every: SWEEP_EVERY_MS,
  handle: ({ outages }) => outages.endDue(),
};
