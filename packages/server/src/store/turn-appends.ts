/**
 * Plain appends to traces a plot has, gathered while a transaction is open (see commit-group.ts):
 * each is checked against an in-memory view of its window and acknowledged with its own rev, and
 * SQLite gets one chunk per trace when the transaction is about to commit. The chunks are the
 * truth: a window's head (rev, point counts) reaches its rows only before anything else reads or
 * changes the store, so an append's commit writes its chunk alone; after a crash
 * {@link repairHeads} rebuilds the heads from the chunks.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import { resolveTraceNames, type Trace, type UpdateOp, type Window } from '@cnnvis/protocol';
import { tooManyPoints } from './limit-errors';
import { insertChunk, setPoints, traceRows } from './traces';
import type { Steps } from './sql-steps';
import type { AppliedUpdate } from './window-store';

/** A trace's points gathered in this turn, to be stored as one chunk keyed by the turn's last rev. */
interface Chunk {
  name: string;
  x: unknown[];
  y: unknown[];
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
  /** The views whose rev and point counts are ahead of their rows. */
  private readonly stale = new Set<PlotView>();
  private readonly head: Statement<[string, string], { kind: Window['kind']; rev: number }>;
  private readonly setRev: Statement<[number, number, string, string]>;

  constructor(
    db: Database,
    /** Runs steps of traces.ts on the store's connection. */
    private readonly sql: <T>(steps: Steps<T>) => T,
    private readonly maxPoints: number,
  ) {
    this.head = db.prepare('SELECT kind, rev FROM windows WHERE env = ? AND id = ?');
    this.setRev = db.prepare('UPDATE windows SET rev = ?, updated_at = ? WHERE env = ? AND id = ?');
  }

  /**
   * The append applied, or undefined when it must go the full way: not a plain append, a window
   * that is not a plot (or does not exist), a trace it does not have yet, or per-point colours.
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
    for (const p of resolved) {
      const trace = view.traces.get(p.name) as { idx: number; points: number };
      trace.points = held.get(p.name) as number;
      const chunk = view.chunks.get(trace.idx);
      if (chunk === undefined) {
        view.chunks.set(trace.idx, { name: p.name, x: [...p.x], y: [...p.y] });
        continue;
      }
      // Pushed in a loop, not spread: a long line would overflow the stack.
      for (const v of p.x) chunk.x.push(v);
      for (const v of p.y) chunk.y.push(v);
    }
    return { rev: view.rev, op: { type: 'append', traces: resolved } };
  }

  /** Whether a view of this plot is held: the window exists (any write that could remove it forgets the views first). */
  holds(env: string, win: string): boolean {
    return this.views.has(viewKey(env, win));
  }

  /** Write what was gathered, inside the open transaction: one chunk per trace, keyed by the view's rev. */
  flush(): void {
    if (this.pending.size === 0) return;
    try {
      for (const view of this.pending) {
        let part = 0;
        for (const c of view.chunks.values()) {
          this.sql(insertChunk(view.env, view.win, view.rev, part++, c.name, c.x, c.y));
        }
        view.chunks.clear();
        this.stale.add(view);
      }
    } catch (err) {
      // What was written stays in the transaction, which cannot commit now: the store rolls it back.
      this.forget();
      throw err;
    } finally {
      this.pending.clear();
    }
  }

  /** Whether some window's rev or point counts are not in its rows yet. */
  get headsStale(): boolean {
    return this.stale.size > 0;
  }

  /** Bring the rows of the windows appended to up to their views, inside the open transaction. */
  writeHeads(): void {
    for (const view of this.stale) {
      this.setRev.run(view.rev, view.at, view.env, view.win);
      for (const trace of view.traces.values()) this.sql(setPoints(view.env, view.win, trace));
    }
    this.stale.clear();
  }

  /**
   * Forget every view: before any other write, which may change a window's rev or traces (call with
   * nothing gathered and the heads written), or after a rollback (then {@link repairHeads}).
   */
  forget(): void {
    this.views.clear();
    this.pending.clear();
    this.stale.clear();
  }

  /** Forget one window's view (call with nothing gathered and the heads written): before a write that changes that window alone. */
  forgetWindow(env: string, win: string): void {
    this.views.delete(viewKey(env, win));
  }

  private view(env: string, win: string): PlotView | undefined {
    const key = viewKey(env, win);
    const known = this.views.get(key);
    if (known !== undefined) return known;
    const head = this.head.get(env, win);
    if (head?.kind !== 'plot') return undefined;
    const rows = this.sql(traceRows(env, win));
    const traces = new Map<string, { idx: number; points: number }>();
    for (const r of rows) if (!traces.has(r.name)) traces.set(r.name, { idx: r.idx, points: r.points });
    const view: PlotView = { env, win, rev: head.rev, at: 0, names: rows.map((r) => ({ name: r.name })), traces, chunks: new Map() };
    if (this.views.size >= KEPT_VIEWS) {
      this.flush();
      this.writeHeads();
      this.views.clear();
    }
    this.views.set(key, view);
    return view;
  }
}

function viewKey(env: string, win: string): string {
  return `${env.length}:${env}${win}`;
}

/** A chunk's points, from its JSON arrays. */
const CHUNK_POINTS = 'max(json_array_length(c.xs), json_array_length(c.ys))';

/**
 * Heads from the chunks, for chunks written after their window's row (a crash, or a rollback, lost
 * the views that knew): each window's rev becomes its last chunk's, and those chunks' points are
 * added to the first trace of their name, the one appends go to.
 */
export function repairHeads(db: Database): void {
  const newer = 'c.env = traces.env AND c.win = traces.win AND w.env = c.env AND w.id = c.win AND c.seq > w.rev';
  db.prepare(
    `UPDATE traces SET points = points + (SELECT coalesce(sum(${CHUNK_POINTS}), 0) FROM chunks c, windows w WHERE ${newer} AND c.trace = traces.name)
     WHERE idx = (SELECT min(t.idx) FROM traces t WHERE t.env = traces.env AND t.win = traces.win AND t.name = traces.name)
       AND EXISTS (SELECT 1 FROM chunks c, windows w WHERE ${newer})`,
  ).run();
  const last = '(SELECT max(seq) FROM chunks c WHERE c.env = windows.env AND c.win = windows.id)';
  db.prepare(`UPDATE windows SET rev = ${last}, updated_at = ? WHERE ${last} > rev`).run(Date.now());
}
