/**
 * Preparing a table of named SQL statements once per database, so each
 * store part declares its SQL as data and gets typed statements back.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';

/** The prepared form of a `{ name: sql }` table. */
export type Prepared<T extends Record<string, string>> = { readonly [K in keyof T]: Statement };

/**
 * @example
 * const stmt = prepareStatements(db, { hasEnv: 'SELECT 1 FROM envs WHERE id = ?' });
 * stmt.hasEnv.get('main');
 */
export function prepareStatements<T extends Record<string, string>>(db: Database, sql: T): Prepared<T> {
  const entries = Object.entries(sql).map(([name, text]) => [name, db.prepare(text)] as const);
  return Object.fromEntries(entries) as unknown as Prepared<T>;
}
