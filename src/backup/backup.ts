import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Config } from '../config';
import { identifier, type Logger } from '../log';
import { dumpDatabase } from './dump';
import { backupName, backupTargets, copyBackup, pruneBackups, type BackupTargets } from './files';

/** Held while a backup runs, so two processes (or a re-run job) never write the same backup at once. */
const BACKUP_LOCK = 7_239_502;

export interface BackupResult {
  file: string;
  copy: string | undefined;
  /** Older backups deleted by the retention rule, in both places. */
  pruned: string[];
}

/**
 * Takes one backup: written to the backup directory, copied to the off-site directory when configured, then each
 * directory trimmed to the newest `keep`. Returns undefined when another backup is running right now.
 */
export async function takeBackup(pool: pg.Pool, targets: BackupTargets, logger: Logger, now = new Date()): Promise<BackupResult | undefined> {
  const lock = await pool.connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [BACKUP_LOCK]);
    if (!rows[0]!.locked) return undefined;
    try {
      const file = path.join(targets.dir, backupName(now));
      let header;
      let copy;
      try {
        await mkdir(targets.dir, { recursive: true, mode: 0o700 });
        header = await dumpDatabase(pool, file, now);
        copy = targets.copyDir ? await copyBackup(file, targets.copyDir) : undefined;
      } catch (error) {
        await recordRun(pool, { at: now, ok: false, error: errorCode(error) }).catch(() => undefined);
        throw error;
      }
      const bytes = (await stat(file)).size;
      // Recorded before pruning: the backup exists whatever the clean-up of older ones does.
      await recordRun(pool, { at: now, ok: true, file, copy, bytes });
      const pruned = await pruneBackups(targets.dir, targets.keep);
      if (targets.copyDir) pruned.push(...(await pruneBackups(targets.copyDir, targets.keep)));
      logger.info({ file, copy, bytes, tables: header.tables.length, pruned: pruned.length }, 'backup written');
      return { file, copy, pruned };
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [BACKUP_LOCK]);
    }
  } finally {
    lock.release();
  }
}

interface BackupRun {
  at: Date;
  ok: boolean;
  file?: string;
  copy?: string | undefined;
  bytes?: number;
  error?: string;
}

/** The record the monthly operation report counts (backup_runs, migration 110); the files themselves are pruned. */
async function recordRun(pool: pg.Pool, run: BackupRun): Promise<void> {
  await pool.query('INSERT INTO backup_runs (at, ok, file, copy, bytes, error) VALUES ($1, $2, $3, $4, $5, $6)', [
    run.at,
    run.ok,
    run.file ?? null,
    run.copy ?? null,
    run.bytes ?? null,
    run.error ?? null,
  ]);
}

/** An error's code (ENOSPC, 57P01) or class, never its message: that may name hosts and paths, which the log has. */
function errorCode(error: unknown): string {
  return identifier((error as { code?: unknown } | null)?.code) || (error instanceof Error ? error.name : 'Error');
}

export interface BackupService {
  /** One backup now, with the configured directories and retention. */
  take(): Promise<BackupResult | undefined>;
}

/** What the daily job needs: the settings and the service's own pool. */
export interface BackupDeps {
  config: Config;
  logger: Logger;
  database: { pool: pg.Pool };
}

export function createBackupService(ctx: BackupDeps): BackupService {
  const targets = backupTargets(ctx.config);
  const logger = ctx.logger.child({ module: 'backup' });
  return { take: () => takeBackup(ctx.database.pool, targets, logger) };
}
