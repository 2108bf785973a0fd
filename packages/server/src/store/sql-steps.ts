/**
 * Store logic written once for both stores. A step function (`function*`) yields each statement it
 * needs and gets its rows back: SQLite runs it at once, inside its synchronous transaction, and
 * PostgreSQL awaits each query. The SQL is what both dialects speak, with `?` placeholders.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import type { PoolClient } from 'pg';

/** One statement and its parameters. */
export interface Query {
  sql: string;
  params: readonly unknown[];
}

/** What a statement gave: its rows (a read, or RETURNING) and how many rows it changed. */
export interface QueryResult {
  rows: unknown[];
  changes: number;
}

/** A step function's generator: it yields queries and returns `T`. */
export type Steps<T> = Generator<Query, T, QueryResult>;

/** A PostgreSQL connection or the pool: what runs a query. */
export type Db = Pick<PoolClient, 'query'>;

/** The rows of one statement. */
export function* query<R>(sql: string, ...params: unknown[]): Steps<R[]> {
  return (yield { sql, params }).rows as R[];
}

/** The first row of one statement, or undefined. */
export function* first<R>(sql: string, ...params: unknown[]): Steps<R | undefined> {
  return (yield* query<R>(sql, ...params))[0];
}

/** Run one statement; how many rows it changed. */
export function* exec(sql: string, ...params: unknown[]): Steps<number> {
  return (yield { sql, params }).changes;
}

/** Runs steps on one SQLite connection, synchronously, each statement prepared once. */
export function sqliteRunner(db: Database): <T>(steps: Steps<T>) => T {
  const prepared = new Map<string, Statement>();
  return (steps) => {
    let next = steps.next();
    while (!next.done) {
      const { sql, params } = next.value;
      let stmt = prepared.get(sql);
      if (stmt === undefined) prepared.set(sql, (stmt = db.prepare(sql)));
      next = steps.next(stmt.reader ? { rows: stmt.all(...params), changes: 0 } : { rows: [], changes: stmt.run(...params).changes });
    }
    return next.value;
  };
}

/** `?` placeholders as PostgreSQL's `$1`, `$2`… */
const numbered = new Map<string, string>();
function pgSql(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    numbered.set(sql, (text = sql.replace(/\?/g, () => `$${++n}`)));
  }
  return text;
}

/** Runs steps on a PostgreSQL connection (or the pool, for reads), awaiting each query. */
export async function runPg<T>(db: Db, steps: Steps<T>): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    const { sql, params } = next.value;
    const result = await db.query(pgSql(sql), params as unknown[]);
    next = steps.next({ rows: result.rows, changes: result.rowCount ?? 0 });
  }
  return next.value;
}
