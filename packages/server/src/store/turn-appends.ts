/**
 * Plain appends to traces a plot has, gathered while a transaction is open
 * (see commit-group.ts): each is checked against an in-memory view of its
 * window and acknowledged with its own rev, and SQLite gets one chunk per
 * trace, one update of each trace's count and one of the window's rev when
 * the transaction is about to commit, or before anything else reads or
 * changes the store. A pipelined stream of appends then costs a few
 * statements per read from its socket instead of a few per append. The views
 * outlive the transaction (an awaited append then reads nothing), until a
 * write of another kind makes the store forget its window's view (or all of
 * them, for a write beyond one window, or a rollback).
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import { resolveTraceNames, type Trace, type UpdateOp, type Window } from '@cnnvis/protocol';
import { tooManyPoints } from './limit-errors';
import type { TraceTable } from './trace-table';
import type { AppliedUpdate } from './window-store';

/** A trace's points gathered in this turn, to be stored as one chunk keyed by the first append's (rev, part). */
interface Chunk {
  seq: number;
  part: number;
  name: string;
  x: unknown[];
  y: unknown[];
  points: number;
}

/** What the appends of this turn need to know of a plot window, and what they gathered. */
interface PlotView {
  env: string;
  win: string;
  rev: number;
  at: number;
  names: Array<Pick<Trace, 'name'>>;
  /** The first trace holding each name (names may repeat; appends go to the first, as on the full path). */
  traces: Map<string, { idx: number; points: number }>;
  chunks: Map<number, Chunk>;
}

/** Views kept; past this many the store starts again empty. */
const KEPT_VIEWS = 4096;

export class TurnAppends {
  private readonly views = new Map<string, PlotView>();
  /** The views holding gathered points. */
  private readonly pending = new Set<PlotView>();
  private readonly head: Statement<[string, string], { kind: Window['kind']; rev: number }>;
  private readonly setRev: Statement<[number, number, string, string]>;

  constructor(
    db: Database,
    private readonly traces: TraceTable,
    private readonly maxPoints: number,
  ) {
    this.head = db.prepare('SELECT kind, rev FROM windows WHERE env = ? AND id = ?');
    this.setRev = db.prepare('UPDATE windows SET rev = ?, updated_at = ? WHERE env = ? AND id = ?');
  }

  /**
   * The append applied, or undefined when it must go the full way: not a plain
   * append, a window that is not a plot (or does not exist), a trace it does
   * not have yet, or per-point colours. Throws (changing nothing) what the
   * full way would: a bad trace index, too many points. Call inside the turn's transaction.
   */
  tryAppend(env: string, win: string, op: UpdateOp): AppliedUpdate | undefined {
    if (op.type !== 'append' || op.traces.some((t) => t.color !== undefined)) return undefined;
    const view = this.view(env, win);
    if (view === undefined) return undefined;
    const resolved = resolveTraceNames(view.names as Trace[], op.traces);
    const held = new Map<string, number>();
    for (const p of resolved) {
      const trace = view.traces.get(p.name);
      if (trace === undefined) return undefined;
      const before = held.get(p.name) ?? trace.points;
      const added = Math.max(p.x.length, p.y.length);
      if (before + added > this.maxPoints) throw tooManyPoints(`trace '${p.name}'`, { held: before, added }, this.maxPoints);
      held.set(p.name, before + added);
    }
    view.rev += 1;
    view.at = Date.now();
    this.pending.add(view);
    resolved.forEach((p, part) => {
      const trace = view.traces.get(p.name) as { idx: number; points: number };
      trace.points = held.get(p.name) as number;
      const chunk = view.chunks.get(trace.idx);
      const points = Math.max(p.x.length, p.y.length);
      if (chunk === undefined) {
        view.chunks.set(trace.idx, { seq: view.rev, part, name: p.name, x: [...p.x], y: [...p.y], points });
        return;
      }
      // Pushed in a loop, not spread: a long line would overflow the stack.
      for (const v of p.x) chunk.x.push(v);
      for (const v of p.y) chunk.y.push(v);
      chunk.points += points;
    });
    return { rev: view.rev, op: { type: 'append', traces: resolved } };
  }

  /** Whether a view of this plot is held: the window exists (any write that could remove it forgets the views first). */
  holds(env: string, win: string): boolean {
    return this.views.has(viewKey(env, win));
  }

  /** Write what was gathered, inside the open transaction. */
  flush(): void {
    if (this.pending.size === 0) return;
    try {
      for (const view of this.pending) {
        this.setRev.run(view.rev, view.at, view.env, view.win);
        for (const [idx, chunk] of view.chunks) this.traces.addChunk(view.env, view.win, idx, chunk);
        view.chunks.clear();
      }
    } catch (err) {
      // What was written stays in the transaction, which cannot commit now: the store rolls it back.
      this.forget();
      throw err;
    } finally {
      this.pending.clear();
    }
  }

  /**
   * Forget every view (call with nothing gathered, or after a rollback): before
   * any other write, which may change a window's rev or traces.
   */
  forget(): void {
    this.views.clear();
    this.pending.clear();
  }

  /** Forget one window's view (call with nothing gathered): before a write that changes that window alone. */
  forgetWindow(env: string, win: string): void {
    this.views.delete(viewKey(env, win));
  }

  private view(env: string, win: string): PlotView | undefined {
    const key = viewKey(env, win);
    const known = this.views.get(key);
    if (known !== undefined) return known;
    const head = this.head.get(env, win);
    if (head?.kind !== 'plot') return undefined;
    const rows = this.traces.rowsOf(env, win);
    const traces = new Map<string, { idx: number; points: number }>();
    for (const r of rows) if (!traces.has(r.name)) traces.set(r.name, { idx: r.idx, points: r.points });
    const view: PlotView = { env, win, rev: head.rev, at: 0, names: rows.map((r) => ({ name: r.name })), traces, chunks: new Map() };
    if (this.views.size >= KEPT_VIEWS) {
      this.flush();
      this.views.clear();
    }
    this.views.set(key, view);
    return view;
  }
}

function viewKey(env: string, win: string): string {
  return `${env.length}:${env}${win}`;
}
