/**
 * PostgreSQL's text cannot hold a NUL character (U+0000), which SQLite's can: a name or id holding
 * one, stored or looked up, is the caller's mistake (a 400 naming it), not the server's (a 500).
 * @module
 */
import { CnnvisError } from '../errors';
import type { Db } from './sql-steps';

/** SQLSTATEs PostgreSQL answers when text, or JSON text read as text, holds a NUL. */
const NUL_IN_TEXT = new Set(['22021', '22P05']);

/** The error a query failed with, as the caller's BAD_REQUEST where PostgreSQL could not take its text. */
export function textError(err: unknown): unknown {
  if (!NUL_IN_TEXT.has((err as { code?: string }).code ?? '')) return err;
  return new CnnvisError({ code: 'BAD_REQUEST', message: 'a name or id holds a NUL character (\\u0000), which the PostgreSQL store cannot keep or look up', cause: err });
}

/** `db` whose queries fail with {@link textError}. */
export function withTextErrors(db: Db): Db {
  // Only the promise forms of query are used; the wrapper keeps its overloads' type.
  const query = (...args: unknown[]) => (db.query as (...a: unknown[]) => Promise<unknown>)(...args).catch((err: unknown) => Promise.reject(textError(err)));
  return { query } as unknown as Db;
}
