import { SWEEP_EVERY_MS } from '../src/domain/sla/engine';
import type { JobSpec } from './spec';

/** The safety net: re-checks every open deadline against the clock, whatever Agenda lost or a process missed. */
export const slaSweep: JobSpec = {
  name: 'sla-sweep',
  every: SWEEP_EVERY_MS,
  handle: ({ sla }) => sla.sweep(),
};
