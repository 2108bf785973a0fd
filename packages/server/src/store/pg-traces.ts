/**
 * Plot traces read from PostgreSQL (traces.ts writes them on both stores):
 * a window's, or an env's in two queries, and the plain append in one statement.
 * @module
 */
import type { Trace } from '@cnnvis/protocol';
import type { Db, Steps } from './sql-steps';
import { exec } from './sql-steps';
import type { TraceRow } from './traces';

/** The common append, one statement: the trace's count and the chunk of points. */
export function* addPointsInOne(env: string, win: string, row: TraceRow, seq: number, part: number, x: unknown[], y: unknown[]): Steps<void> {
  yield* exec(
    `WITH counted AS (UPDATE traces SET points = ? WHERE env = ? AND win = ? AND idx = ?)
     INSERT INTO chunks (env, win, seq, part, trace, xs, ys) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    row.points, env, win, row.idx, env, win, seq, part, row.name, JSON.stringify(x), JSON.stringify(y));
}

/** Every trace of a window with its points gathered from the chunks. */
export async function readTraces(db: Db, env: string, win: string): Promise<Trace[]> {
  return (await readEnvTraces(db, env, win)).get(win) ?? [];
}

/**
 * The traces of every plot window of `env` (or of window `win` only), by window: two queries
 * whatever the number of windows, so reading an env in one transaction stays quick.
 */
export async function readEnvTraces(db: Db, env: string, win?: string): Promise<Map<string, Trace[]>> {
  const where = win === undefined ? 'env = $1' : 'env = $1 AND win = $2';
  const params = win === undefined ? [env] : [env, win];
  const byWindow = new Map<string, Trace[]>();
  const byName = new Map<string, Trace>();
  const specs = await db.query<{ win: string; name: string; spec: string }>(`SELECT win, name, spec FROM traces WHERE ${where} ORDER BY win, idx`, params);
  for (const row of specs.rows) {
    const trace = JSON.parse(row.spec) as Trace;
    byName.set(`${row.win}\0${row.name}`, trace);
    const traces = byWindow.get(row.win);
    if (traces === undefined) byWindow.set(row.win, [trace]);
    else traces.push(trace);
  }
  const chunks = await db.query<{ win: string; trace: string; xs: string; ys: string }>(`SELECT win, trace, xs, ys FROM chunks WHERE ${where} ORDER BY win, seq, part`, params);
  for (const chunk of chunks.rows) {
    const trace = byName.get(`${chunk.win}\0${chunk.trace}`);
    if (trace === undefined) continue;
    // Pushed in a loop, not spread: a million points would overflow the stack.
    const tx = (trace.x ??= []) as unknown[];
    const ty = (trace.y ??= []) as unknown[];
    for (const v of JSON.parse(chunk.xs) as unknown[]) tx.push(v);
    for (const v of JSON.parse(chunk.ys) as unknown[]) ty.push(v);
  }
  return byWindow;
}

