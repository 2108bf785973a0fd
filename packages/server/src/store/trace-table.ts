/**
 * Plot traces in SQLite: specs in `traces`, points in append-only `chunks`.
 * An append is one INSERT, whatever the length of the line.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import {
  growMatrix,
  newTraceLike,
  resolveTraceNames,
  UpdateRejection,
  withMarkerColors,
  type MarkerColor,
  type Trace,
  type UpdateOp,
} from '@cnnvis/protocol';
import { tooManyPoints } from './limit-errors';

type Spec = Omit<Trace, 'x' | 'y'>;
type Points = { name: string; x: unknown[]; y: unknown[]; color?: MarkerColor[]; rev: number; part: number };
type TraceRow = { idx: number; name: string; points: number };

/** How many points a trace's x/y hold (plotly allows either alone). */
function pointCount(x: readonly unknown[] | undefined, y: readonly unknown[] | undefined): number {
  return Math.max(x?.length ?? 0, y?.length ?? 0);
}

/** A heatmap's cells: its "points". */
function cellCount(z: readonly (readonly unknown[])[] | undefined): number {
  return (z?.length ?? 0) * (z?.[0]?.length ?? 0);
}

/** Past this many chunks, a read rewrites a window's points as one chunk per trace. */
export const COMPACT_AFTER_CHUNKS = 256;

export class TraceTable {
  private readonly names: Statement<[string, string], TraceRow>;
  private readonly specs: Statement<[string, string], { idx: number; name: string; spec: string }>;
  private readonly chunksOf: Statement<[string, string], { trace: string; xs: string; ys: string }>;
  private readonly deleteAllChunks: Statement<[string, string]>;
  private readonly insertTrace: Statement<[string, string, number, string, string, number]>;
  private readonly setPoints: Statement<[number, string, string, number]>;
  private readonly updateSpec: Statement<[string, string, string, number]>;
  private readonly insertChunk: Statement<[string, string, number, number, string, string, string]>;
  private readonly deleteChunks: Statement<[string, string, string]>;
  private readonly deleteTrace: Statement<[string, string, string]>;

  /** `maxPoints`: points one trace may hold (cells, for a heatmap). */
  constructor(
    private readonly db: Database,
    private readonly maxPoints: number,
  ) {
    this.names = db.prepare('SELECT idx, name, points FROM traces WHERE env = ? AND win = ? ORDER BY idx');
    this.specs = db.prepare('SELECT idx, name, spec FROM traces WHERE env = ? AND win = ? ORDER BY idx');
    this.chunksOf = db.prepare('SELECT trace, xs, ys FROM chunks WHERE env = ? AND win = ? ORDER BY seq, part');
    this.deleteAllChunks = db.prepare('DELETE FROM chunks WHERE env = ? AND win = ?');
    this.insertTrace = db.prepare('INSERT INTO traces (env, win, idx, name, spec, points) VALUES (?, ?, ?, ?, ?, ?)');
    this.setPoints = db.prepare('UPDATE traces SET points = ? WHERE env = ? AND win = ? AND idx = ?');
    this.updateSpec = db.prepare('UPDATE traces SET spec = ? WHERE env = ? AND win = ? AND idx = ?');
    this.insertChunk = db.prepare(
      'INSERT INTO chunks (env, win, seq, part, trace, xs, ys) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.deleteChunks = db.prepare('DELETE FROM chunks WHERE env = ? AND win = ? AND trace = ?');
    this.deleteTrace = db.prepare('DELETE FROM traces WHERE env = ? AND win = ? AND name = ?');
  }

  /** A plot's traces in order: their rows, names and point counts. */
  rowsOf(env: string, win: string): TraceRow[] {
    return this.names.all(env, win);
  }

  /** Store points of a trace as one chunk keyed (seq, part); its row's point count is the caller's to keep. */
  addChunk(env: string, win: string, chunk: { seq: number; part: number; name: string; x: unknown[]; y: unknown[] }): void {
    this.insertChunk.run(env, win, chunk.seq, chunk.part, chunk.name, JSON.stringify(chunk.x), JSON.stringify(chunk.y));
  }

  /** Set how many points trace row `idx` holds. */
  setPointCount(env: string, win: string, idx: number, points: number): void {
    this.setPoints.run(points, env, win, idx);
  }

  /** Write the traces of a new plot window at `rev` (its old rows must be gone). */
  create(env: string, win: string, rev: number, traces: readonly Trace[]): void {
    traces.forEach((trace, idx) => {
      const { x, y, ...spec } = trace;
      const points = pointCount(x, y);
      const size = Math.max(points, cellCount(trace.z));
      if (size > this.maxPoints) throw tooManyPoints(`content.traces[${idx}] ('${trace.name}')`, { held: 0, added: size }, this.maxPoints);
      this.insertTrace.run(env, win, idx, trace.name, JSON.stringify(spec), points);
      if (x !== undefined || y !== undefined) {
        this.insertChunk.run(env, win, rev, idx, trace.name, JSON.stringify(x ?? []), JSON.stringify(y ?? []));
      }
    });
  }

  /**
   * Every trace of a window with its points gathered from the chunks. A window
   * grown by many small appends is compacted to one chunk per trace on the way,
   * so the next read is one row per trace again.
   */
  read(env: string, win: string, rev: number): Trace[] {
    const byName = new Map<string, Trace>();
    const traces = this.specs.all(env, win).map((row) => {
      const trace = JSON.parse(row.spec) as Trace;
      byName.set(row.name, trace);
      return trace;
    });
    let chunks = 0;
    for (const chunk of this.chunksOf.iterate(env, win)) {
      chunks++;
      const trace = byName.get(chunk.trace);
      if (trace === undefined) continue;
      const xs = JSON.parse(chunk.xs) as unknown[];
      const ys = JSON.parse(chunk.ys) as unknown[];
      // Push in a loop, not with spread: a million points would overflow the stack.
      const tx = (trace.x ??= []) as unknown[];
      const ty = (trace.y ??= []) as unknown[];
      for (const v of xs) tx.push(v);
      for (const v of ys) ty.push(v);
    }
    if (chunks > COMPACT_AFTER_CHUNKS) this.compact(env, win, rev, traces);
    return traces;
  }

  private compact(env: string, win: string, rev: number, traces: readonly Trace[]): void {
    this.db.transaction(() => {
      this.deleteAllChunks.run(env, win);
      traces.forEach((t, part) => {
        if (t.x === undefined && t.y === undefined) return;
        this.insertChunk.run(env, win, rev, part, t.name, JSON.stringify(t.x ?? []), JSON.stringify(t.y ?? []));
      });
    })();
  }

  /** Apply a plot op as change `rev`; returns the op as browsers should see it (names resolved). */
  apply(env: string, win: string, rev: number, op: UpdateOp): UpdateOp {
    switch (op.type) {
      case 'append':
      case 'replace': {
        const rows = this.names.all(env, win);
        const current = rows.map((r) => ({ name: r.name }) as Trace);
        const resolved = resolveTraceNames(current, op.traces);
        resolved.forEach((p, part) => this.writePoints(env, win, rows, { ...p, rev, part }, op.type === 'replace'));
        return { type: op.type, traces: resolved };
      }
      case 'remove':
        if (this.deleteTrace.run(env, win, op.name).changes === 0) {
          throw new UpdateRejection('NOT_FOUND', `op.name: no trace named '${op.name}'`);
        }
        this.deleteChunks.run(env, win, op.name);
        return op;
      case 'heatmap': {
        const row = this.specs.all(env, win).find((r) => (JSON.parse(r.spec) as Spec).type === 'heatmap');
        if (row === undefined) throw new UpdateRejection('BAD_REQUEST', 'op.type: the window has no heatmap trace');
        const spec = JSON.parse(row.spec) as Spec;
        const before = cellCount(spec.z);
        spec.z = growMatrix(spec.z ?? [], op.edge, op.z);
        const after = cellCount(spec.z);
        if (after > this.maxPoints) throw tooManyPoints(`heatmap '${row.name}'`, { held: before, added: after - before }, this.maxPoints);
        this.updateSpec.run(JSON.stringify(spec), env, win, row.idx);
        return op;
      }
      default:
        throw new UpdateRejection('BAD_REQUEST', `op.type: '${op.type}' does not apply to a plot window`);
    }
  }

  private growColors(env: string, win: string, idx: number, color: MarkerColor[], replace: boolean): void {
    const row = this.specs.all(env, win).find((r) => r.idx === idx);
    if (row === undefined) return;
    const spec = JSON.parse(row.spec) as Spec;
    spec.plotly = withMarkerColors(spec.plotly, color, replace);
    this.updateSpec.run(JSON.stringify(spec), env, win, idx);
  }

  private writePoints(
    env: string,
    win: string,
    rows: TraceRow[],
    p: Points,
    replace: boolean,
  ): void {
    const added = pointCount(p.x, p.y);
    const row = rows.find((r) => r.name === p.name);
    const held = row === undefined || replace ? 0 : row.points;
    // Checked before anything is written; a throw rolls back the whole update.
    if (held + added > this.maxPoints) throw tooManyPoints(`trace '${p.name}'`, { held, added }, this.maxPoints);
    if (row === undefined) {
      const first = this.specs.get(env, win);
      const like = first === undefined ? undefined : (JSON.parse(first.spec) as Trace);
      const idx = rows.length === 0 ? 0 : Math.max(...rows.map((r) => r.idx)) + 1;
      const { x: _x, y: _y, ...spec } = newTraceLike(like, p.name);
      if (p.color !== undefined) spec.plotly = withMarkerColors(spec.plotly, p.color, true);
      this.insertTrace.run(env, win, idx, p.name, JSON.stringify(spec), added);
      rows.push({ idx, name: p.name, points: added });
    } else {
      if (replace) this.deleteChunks.run(env, win, p.name);
      row.points = held + added;
      this.setPoints.run(row.points, env, win, row.idx);
      // Per-point colours live in the spec's marker.color; only scatter appends that carry them pay for this.
      if (p.color !== undefined) this.growColors(env, win, row.idx, p.color, replace);
    }
    this.insertChunk.run(env, win, p.rev, p.part, p.name, JSON.stringify(p.x), JSON.stringify(p.y));
  }
}
