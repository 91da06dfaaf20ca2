import type { JobSpec } from './spec';

/**
 * The daily backup (regulation chapter 4) at 02:00 Beijing time, when the desk is quiet. On the machine's real time,
 * not the app clock: a backup is about files on a real disk, and a sandbox's fast-forward must not write one.
 */
export const dailyBackup: JobSpec = {
  name: 'daily-backup',
  every: '0 2 * * *',
  timezone: 'Asia/Shanghai',
  handle: async ({ backup }) => {
    await backup.take();
  },
};
