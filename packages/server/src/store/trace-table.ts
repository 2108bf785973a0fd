/**
 * Reading a plot's points in SQLite, compacting a window grown by many small appends on the way.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Trace } from '@cnnvis/protocol';

/** Past this many chunks, a read rewrites a window's points as one chunk per trace. */
const COMPACT_AFTER_CHUNKS = 256;

export class TraceTable {
  private readonly specs: Statement<[string, string], { idx: number; name: string; spec: string }>;
  private readonly chunksOf: Statement<[string, string], { trace: string; xs: string; ys: string }>;
  private readonly deleteAllChunks: Statement<[string, string]>;
  private readonly insertChunk: Statement<[string, string, number, number, string, string, string]>;

  constructor(private readonly db: Database) {
    this.specs = db.prepare('SELECT idx, name, spec FROM traces WHERE env = ? AND win = ? ORDER BY idx');
    this.chunksOf = db.prepare('SELECT trace, xs, ys FROM chunks WHERE env = ? AND win = ? ORDER BY seq, part');
    this.deleteAllChunks = db.prepare('DELETE FROM chunks WHERE env = ? AND win = ?');
    this.insertChunk = db.prepare('INSERT INTO chunks (env, win, seq, part, trace, xs, ys) VALUES (?, ?, ?, ?, ?, ?, ?)');
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
}
