import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';

/** wecom-ticket-bot-2026-11-24T18-00-00-000Z.backup.gz: UTC, so names sort by time whatever the host's zone. */
const NAME = /^wecom-ticket-bot-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.backup\.gz$/;

export function backupName(at: Date): string {
  return `wecom-ticket-bot-${at.toISOString().replace(/[:.]/g, '-')}.backup.gz`;
}

export interface BackupTargets {
  dir: string;
  /** The off-site copy (another disk or a mounted share), when configured. */
  copyDir: string | undefined;
  keep: number;
}

/** When a backup was taken, read from its name (the instant its snapshot began); undefined for other names. */
export function backupTime(file: string): Date | undefined {
  const name = path.basename(file);
  if (!NAME.test(name)) return undefined;
  const [, date, h, m, s, ms] = /(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z/.exec(name)!;
  return new Date(`${date}T${h}:${m}:${s}.${ms}Z`);
}

export function backupTargets(config: Pick<Config, 'BACKUP_DIR' | 'BACKUP_COPY_DIR' | 'BACKUP_KEEP' | 'DATA_DIR'>): BackupTargets {
  return {
    dir: path.resolve(config.BACKUP_DIR ?? path.join(config.DATA_DIR, 'backups')),
    copyDir: config.BACKUP_COPY_DIR ? path.resolve(config.BACKUP_COPY_DIR) : undefined,
    keep: config.BACKUP_KEEP,
  };
}

/** Copies a finished backup into `dir`, appearing there only when complete. */
export async function copyBackup(file: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const target = path.join(dir, path.basename(file));
  await copyFile(file, `${target}.partial`);
  await rename(`${target}.partial`, target);
  return target;
}

/** Deletes all but the `keep` newest backups in `dir` (other files are left alone); returns what it deleted. */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => NAME.test(name)).sort().reverse();
  const old = names.slice(keep);
  for (const name of old) await rm(path.join(dir, name), { force: true });
  return old;
}

/** The backups in `dir`, newest first. */
export async function listBackups(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((name) => NAME.test(name)).sort().reverse().map((name) => path.join(dir, name));
}
