/**
 * Plot traces, written the same on both stores (see sql-steps.ts): specs in
 * `traces`, points in append-only `chunks` keyed by the change's rev, so an
 * append is one INSERT whatever the length of the line.
 * @module
 */
import { growMatrix, newTraceLike, resolveTraceNames, UpdateRejection, withMarkerColors, type MarkerColor, type Trace, type UpdateOp } from '@cnnvis/protocol';
import { tooManyPoints } from './limit-errors';
import { exec, query, type Steps } from './sql-steps';

type Spec = Omit<Trace, 'x' | 'y'>;
/** A trace's place, name and point count. */
export type TraceRow = { idx: number; name: string; points: number };
type Points = { name: string; x: unknown[]; y: unknown[]; color?: MarkerColor[] };
/** Points for trace `row` at change `seq`, part `part`, with the row's new count already in `row.points`. */
export type AddPoints = (env: string, win: string, row: TraceRow, seq: number, part: number, x: unknown[], y: unknown[]) => Steps<void>;

/** How many points a trace's x/y hold (plotly allows either alone). */
export const pointCount = (x: readonly unknown[] | undefined, y: readonly unknown[] | undefined) => Math.max(x?.length ?? 0, y?.length ?? 0);
/** A heatmap's cells: its "points". */
const cellCount = (z: readonly (readonly unknown[])[] | undefined) => (z?.length ?? 0) * (z?.[0]?.length ?? 0);

const specsOf = (env: string, win: string) => query<{ idx: number; name: string; spec: string }>('SELECT idx, name, spec FROM traces WHERE env = ? AND win = ? ORDER BY idx', env, win);

/** A plot's traces in order: their rows, names and point counts. */
export const traceRows = (env: string, win: string) => query<TraceRow>('SELECT idx, name, points FROM traces WHERE env = ? AND win = ? ORDER BY idx', env, win);

/** Store points of a trace as one chunk keyed (seq, part). */
export function* insertChunk(env: string, win: string, seq: number, part: number, name: string, x: unknown, y: unknown): Steps<void> {
  yield* exec('INSERT INTO chunks (env, win, seq, part, trace, xs, ys) VALUES (?, ?, ?, ?, ?, ?, ?)', env, win, seq, part, name, JSON.stringify(x), JSON.stringify(y));
}

/** Set how many points trace row `row.idx` holds. */
export function* setPoints(env: string, win: string, row: Omit<TraceRow, 'name'>): Steps<void> {
  yield* exec('UPDATE traces SET points = ? WHERE env = ? AND win = ? AND idx = ?', row.points, env, win, row.idx);
}

/** The plain append's writes: the trace's count, then its chunk. */
export function* addPoints(env: string, win: string, row: TraceRow, seq: number, part: number, x: unknown[], y: unknown[]): Steps<void> {
  yield* setPoints(env, win, row);
  yield* insertChunk(env, win, seq, part, row.name, x, y);
}

/** Write the traces of a new plot window at `rev` (its old rows must be gone). */
export function* createTraces(env: string, win: string, rev: number, traces: readonly Trace[], maxPoints: number): Steps<void> {
  for (const [idx, trace] of traces.entries()) {
    const { x, y, ...spec } = trace;
    const points = pointCount(x, y);
    const size = Math.max(points, cellCount(trace.z));
    if (size > maxPoints) throw tooManyPoints(`content.traces[${idx}] ('${trace.name}')`, { held: 0, added: size }, maxPoints);
    yield* exec('INSERT INTO traces (env, win, idx, name, spec, points) VALUES (?, ?, ?, ?, ?, ?)', env, win, idx, trace.name, JSON.stringify(spec), points);
    if (x !== undefined || y !== undefined) yield* insertChunk(env, win, rev, idx, trace.name, x ?? [], y ?? []);
  }
}

/**
 * Apply a plot op as change `rev`; returns the op as browsers should see it (names resolved).
 * `rows`: the window's traces ({@link traceRows}), read in the same write.
 */
export function* applyTraces(env: string, win: string, rev: number, op: UpdateOp, maxPoints: number, rows: TraceRow[], add: AddPoints = addPoints): Steps<UpdateOp> {
  switch (op.type) {
    case 'append':
    case 'replace': {
      const resolved = resolveTraceNames(rows.map((r) => ({ name: r.name }) as Trace), op.traces);
      // Every limit is checked before anything is written, so a refused op changes nothing.
      const held = new Map<string, number>();
      for (const p of resolved) {
        const before = held.get(p.name) ?? (op.type === 'replace' ? 0 : (rows.find((r) => r.name === p.name)?.points ?? 0));
        const added = pointCount(p.x, p.y);
        if (before + added > maxPoints) throw tooManyPoints(`trace '${p.name}'`, { held: before, added }, maxPoints);
        held.set(p.name, before + added);
      }
      for (const [part, p] of resolved.entries()) yield* writePoints(env, win, rows, rev, part, p, op.type === 'replace', add);
      return { type: op.type, traces: resolved };
    }
    case 'remove': {
      if ((yield* exec('DELETE FROM traces WHERE env = ? AND win = ? AND name = ?', env, win, op.name)) === 0) {
        throw new UpdateRejection('NOT_FOUND', `op.name: no trace named '${op.name}'`);
      }
      yield* exec('DELETE FROM chunks WHERE env = ? AND win = ? AND trace = ?', env, win, op.name);
      return op;
    }
    case 'heatmap': {
      const row = (yield* specsOf(env, win)).find((r) => (JSON.parse(r.spec) as Spec).type === 'heatmap');
      if (row === undefined) throw new UpdateRejection('BAD_REQUEST', 'op.type: the window has no heatmap trace');
      const spec = JSON.parse(row.spec) as Spec;
      const before = cellCount(spec.z);
      spec.z = growMatrix(spec.z ?? [], op.edge, op.z);
      const after = cellCount(spec.z);
      if (after > maxPoints) throw tooManyPoints(`heatmap '${row.name}'`, { held: before, added: after - before }, maxPoints);
      yield* exec('UPDATE traces SET spec = ? WHERE env = ? AND win = ? AND idx = ?', JSON.stringify(spec), env, win, row.idx);
      return op;
    }
    default:
      throw new UpdateRejection('BAD_REQUEST', `op.type: '${op.type}' does not apply to a plot window`);
  }
}

function* writePoints(env: string, win: string, rows: TraceRow[], rev: number, part: number, p: Points, replace: boolean, add: AddPoints): Steps<void> {
  const added = pointCount(p.x, p.y);
  const row = rows.find((r) => r.name === p.name);
  if (row === undefined) {
    const first = (yield* specsOf(env, win))[0];
    const like = first === undefined ? undefined : (JSON.parse(first.spec) as Trace);
    const idx = rows.length === 0 ? 0 : Math.max(...rows.map((r) => r.idx)) + 1;
    const { x: _x, y: _y, ...spec } = newTraceLike(like, p.name);
    if (p.color !== undefined) spec.plotly = withMarkerColors(spec.plotly, p.color, true);
    yield* exec('INSERT INTO traces (env, win, idx, name, spec, points) VALUES (?, ?, ?, ?, ?, ?)', env, win, idx, p.name, JSON.stringify(spec), added);
    rows.push({ idx, name: p.name, points: added });
  } else if (!replace && p.color === undefined) {
    row.points += added;
    return yield* add(env, win, row, rev, part, p.x, p.y);
  } else {
    if (replace) yield* exec('DELETE FROM chunks WHERE env = ? AND win = ? AND trace = ?', env, win, p.name);
    row.points = (replace ? 0 : row.points) + added;
    yield* setPoints(env, win, row);
    if (p.color !== undefined) {
      // Per-point colours live in the spec's marker.color; only scatter appends that carry them pay for this.
      const spec = JSON.parse((yield* specsOf(env, win)).find((r) => r.idx === row.idx)?.spec ?? '{}') as Spec;
      spec.plotly = withMarkerColors(spec.plotly, p.color, replace);
      yield* exec('UPDATE traces SET spec = ? WHERE env = ? AND win = ? AND idx = ?', JSON.stringify(spec), env, win, row.idx);
    }
  }
  yield* insertChunk(env, win, rev, part, p.name, p.x, p.y);
}
