import { getCreateIndexesSQL, getCreateTableSQL, getUpdateTimestampTriggerSQL } from '@agendajs/postgres-backend';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

/** Migration 040 creates Agenda's table itself; it must stay what the installed backend would create. */
describe("Agenda's table", () => {
  it('is created by migration 040 exactly as the backend defines it', async () => {
    const migration = await readFile('src/db/migrations/040_agenda.sql', 'utf8');
    const ours = migration.replace(/^--.*$/gm, '');
    const theirs = [getCreateTableSQL('agenda_jobs'), ...getCreateIndexesSQL('agenda_jobs'), getUpdateTimestampTriggerSQL('agenda_jobs')].join(';');
    expect(normalise(ours)).toBe(normalise(theirs));
  });
});

function normalise(sql: string): string {
  return sql
    .split(';')
    .map((statement) => statement.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(';\n');
}
