import type { Executor, Tx } from './database';

/** Runs `step` in the caller's transaction when given one, else in a new one: a change and its audit row commit together. */
export function withTransaction<T>(executor: Executor, step: (tx: Tx) => Promise<T>): Promise<T> {
  return executor.isTransaction ? step(executor as Tx) : executor.transaction().execute(step);
}
