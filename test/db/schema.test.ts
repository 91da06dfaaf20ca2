import path from 'node:path';
import { sql } from 'kysely';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db';

/**
 * src/db/schema.ts is written by hand; kysely trusts it for every query. Read by the TypeScript checker, each table's
 * columns and whether each may be null must be what the migrations create.
 */
const SCHEMA = path.resolve(import.meta.dirname, '../../src/db/schema.ts');

/** Tables the migrations create that the code reaches through another library, never through kysely's types. */
const NOT_TYPED: Record<string, string> = {
  agenda_jobs: 'Agenda 6 reads and writes it (migration 040)',
  schema_migrations: 'the migration runner, src/db/migrate.ts, by plain SQL',
  faq_version: 'the FAQ store, src/faq/store.ts, by plain SQL (one counter row)',
};

type Columns = Record<string, 'null' | 'not null'>;

/** Each table of the `Database` interface: its columns and whether their selected type admits null. */
function declaredTables(): Record<string, Columns> {
  // The language's own library without the DOM's, and no @types packages: what schema.ts needs, in a few seconds.
  const program = ts.createProgram([SCHEMA], {
    strict: true,
    noEmit: true,
    lib: ['lib.es2022.d.ts'],
    types: [],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(SCHEMA)!;
  let database: ts.Type | undefined;
  ts.forEachChild(source, (node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === 'Database') database = checker.getTypeAtLocation(node);
  });
  if (!database) throw new Error('src/db/schema.ts declares no Database interface');
  const tables: Record<string, Columns> = {};
  for (const table of checker.getPropertiesOfType(database)) {
    const columns: Columns = {};
    for (const column of checker.getPropertiesOfType(checker.getTypeOfSymbol(table))) {
      let type = checker.getTypeOfSymbol(column);
      // ColumnType<Select, Insert, Update> (and Generated<T>) carry the selected type in `__select__`.
      const selected = type.getProperty('__select__');
      if (selected) type = checker.getTypeOfSymbol(selected);
      const parts = type.isUnion() ? type.types : [type];
      columns[column.name] = parts.some((part) => part.flags & ts.TypeFlags.Null) ? 'null' : 'not null';
    }
    tables[table.name] = columns;
  }
  return tables;
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function migratedTables(): Promise<Record<string, Columns>> {
  const { rows } = await sql<{ table_name: string; column_name: string; is_nullable: 'YES' | 'NO' }>`
    SELECT table_name, column_name, is_nullable FROM information_schema.columns
    WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`.execute(database.db);
  const tables: Record<string, Columns> = {};
  for (const row of rows) (tables[row.table_name] ??= {})[row.column_name] = row.is_nullable === 'YES' ? 'null' : 'not null';
  return tables;
}

describe('src/db/schema.ts against the migrated database', () => {
  it('declares every table the migrations create, with the same columns, each null or not null as in the database', async () => {
    const declared = declaredTables();
    const migrated = await migratedTables();
    for (const name of Object.keys(NOT_TYPED)) delete migrated[name];
    expect(declared).toEqual(migrated);
  });
});
