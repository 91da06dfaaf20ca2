/**
 * The backup file: gzip of UTF-8 text. Line 1 is the magic line, line 2 a JSON header (what the file holds); then,
 * per table, `TABLE <name>`, the rows in COPY's text format (one line per row: newlines inside values are escaped)
 * and `\.` alone on a line, as in pg_dump's plain format. Written by our own code over an ordinary connection, so it
 * needs no pg_dump of the server's major version, and restored by COPY FROM after the migrations built the schema.
 */
export const MAGIC = 'WECOM-TICKET-BOT-BACKUP 1';
export const TABLE_PREFIX = 'TABLE ';
export const END_OF_TABLE = '\\.';

export interface BackupHeader {
  createdAt: string;
  /** `server_version` of the database it was taken from. */
  server: string;
  /** Migrations applied to that database: a restore needs the same or a later set. */
  migrations: string[];
  tables: { name: string; columns: string[] }[];
  /** Sequence positions, so ids after a restore continue where they stopped. */
  sequences: { name: string; lastValue: number }[];
}

/** Runtime state rebuilt at start (Agenda's job rows) and the migration ledger (restored by running migrations). */
export const NOT_BACKED_UP = ['agenda_jobs', 'schema_migrations'];

/** A SQL identifier, quoted. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
