/**
 * Plot appends on the batched path (write-batch.ts): checked against the
 * window's in-memory view, and later written to SQLite in as few rows as
 * possible.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import { resolveTraceNames, type Trace, type UpdateOp } from '@cnnvis/protocol';
import { tooManyPoints } from './limit-errors';
import type { TraceTable } from './trace-table';
import type { AppendRecord, JournalPart } from './write-journal';

/** A trace as the batched path knows it: its row and how many points it holds. */
export interface HotTrace {
  idx: number;
  points: number;
}

/** What an append needs to know of its plot window. */
export interface HotPlot {
  names: Array<Pick<Trace, 'name'>>;
  traces: Map<string, HotTrace>;
}

/** An append checked: its parts as journalled, the op as browsers see it, and the counts it leads to. */
export interface PlannedAppend {
  parts: JournalPart[];
  op: UpdateOp;
  commit(): void;
}

/**
 * Check a plain append against `plot`; undefined when it must go the full way
 * (a trace the window does not have yet, or per-point colours). Throws what the
 * full way would: a bad trace index, too many points.
 */
export function planAppend(plot: HotPlot, op: Extract<UpdateOp, { type: 'append' }>, maxPoints: number): PlannedAppend | undefined {
  if (op.traces.some((t) => t.color !== undefined)) return undefined;
  const resolved = resolveTraceNames(plot.names as Trace[], op.traces);
  const after = new Map<HotTrace, number>();
  const parts: JournalPart[] = [];
  for (const [part, p] of resolved.entries()) {
    const trace = plot.traces.get(p.name);
    if (trace === undefined) return undefined;
    const held = after.get(trace) ?? trace.points;
    const added = Math.max(p.x.length, p.y.length);
    if (held + added > maxPoints) throw tooManyPoints(`trace '${p.name}'`, { held, added }, maxPoints);
    after.set(trace, held + added);
    parts.push({ part, idx: trace.idx, name: p.name, x: p.x, y: p.y });
  }
  return {
    parts,
    op: { type: 'append', traces: resolved },
    commit: () => after.forEach((points, trace) => (trace.points = points)),
  };
}

/** A trace's points from one batch, stored as one row. */
interface Chunk {
  seq: number;
  part: number;
  name: string;
  x: unknown[];
  y: unknown[];
  points: number;
}

export class AppendRows {
  private readonly setRev: Statement<[number, number, string, string]>;

  constructor(
    db: Database,
    private readonly traces: TraceTable,
  ) {
    this.setRev = db.prepare('UPDATE windows SET rev = max(rev, ?), updated_at = ? WHERE env = ? AND id = ?');
  }

  /**
   * One window's appends from a batch, in order: a trace's points from all of
   * them become one chunk (keyed by the first), and the window's rev and each
   * trace's count are written once. Only appends are in a batch, so joining
   * them keeps every trace's order.
   */
  write(records: readonly AppendRecord[]): void {
    const first = records[0];
    const last = records.at(-1);
    if (first === undefined || last === undefined) return;
    // A window gone since cannot happen (closing settles first), but would only lose its own points.
    if (this.setRev.run(last.rev, last.at, first.env, first.win).changes === 0) return;
    const chunks = new Map<number, Chunk>();
    for (const r of records) {
      for (const p of r.parts) {
        const points = Math.max(p.x.length, p.y.length);
        const chunk = chunks.get(p.idx);
        if (chunk === undefined) {
          chunks.set(p.idx, { seq: r.rev, part: p.part, name: p.name, x: [...p.x], y: [...p.y], points });
          continue;
        }
        for (const v of p.x) chunk.x.push(v);
        for (const v of p.y) chunk.y.push(v);
        chunk.points += points;
      }
    }
    for (const [idx, chunk] of chunks) this.traces.addChunk(first.env, first.win, idx, chunk);
  }
}
