/**
 * SQLite's own batching: the writes made inside {@link CommitGroup.grouped}
 * during one event-loop turn share one transaction, committed once the turn's
 * I/O callbacks have run, and each caller gets its result as a promise that
 * settles on that commit, so its acknowledgement waits for it. A pipelined
 * stream then costs one commit per read from its socket, not one per write.
 * A write made outside (an HTTP route, an analysis job) commits before it
 * returns, taking whatever the turn had written with it.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';

/** What the owner of the connection does around a commit. */
export interface CommitHooks {
  /** Write what was gathered in memory for this transaction (it throws to abort the commit). */
  beforeCommit(): void;
  /** The transaction rolled back: forget whatever was learnt from it. */
  onRollback(): void;
}

interface Outcome {
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class CommitGroup {
  /** How many {@link grouped} calls are on the stack. */
  private grouping = 0;
  /** How many {@link write} calls are on the stack. */
  private depth = 0;
  /** Writes done so far; {@link grouped} compares it to learn whether its function wrote. */
  private writes = 0;
  /** The open transaction's outcome; undefined while none is open. */
  private outcome: Outcome | undefined;
  /** What waits for the open transaction to commit (removing files its rows no longer point at). */
  private afterCommit: Array<() => void> = [];
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly rollback: Statement;

  constructor(
    private readonly db: Database,
    private readonly hooks: CommitHooks,
  ) {
    this.begin = db.prepare('BEGIN');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  /** Whether a write is running: what it has changed so far may still be undone. */
  get inWrite(): boolean {
    return this.depth > 0;
  }

  /**
   * Run one write in the open transaction (opening one if needed). A `tx` made
   * with `db.transaction` is a savepoint there, so a throw undoes only its own
   * changes. Outside {@link grouped} the transaction is committed before this returns.
   */
  write<T>(tx: () => T): T {
    if (this.outcome === undefined) this.start();
    this.depth++;
    try {
      const value = tx();
      this.writes++;
      return value;
    } finally {
      this.depth--;
      if (this.grouping === 0 && this.depth === 0) this.flush();
    }
  }

  /** `fn`'s value; a promise of it, settled by the commit, when `fn` wrote. */
  grouped<T>(fn: () => T): T | Promise<T> {
    const before = this.writes;
    this.grouping++;
    let value: T;
    try {
      value = fn();
    } finally {
      this.grouping--;
    }
    if (this.writes === before || this.outcome === undefined) return value;
    return this.outcome.promise.then(() => value);
  }

  /** Run `fn` once what has been written is committed (at once when no transaction is open). */
  whenCommitted(fn: () => void): void {
    if (this.outcome === undefined) fn();
    else this.afterCommit.push(fn);
  }

  /** Commit the open transaction now; throws (after rolling it back) when SQLite cannot. */
  flush(): void {
    const outcome = this.outcome;
    if (outcome === undefined) return;
    this.outcome = undefined;
    const after = this.afterCommit;
    this.afterCommit = [];
    try {
      this.hooks.beforeCommit();
      this.commit.run();
    } catch (err) {
      if (this.db.inTransaction) this.rollback.run();
      this.hooks.onRollback();
      outcome.reject(err);
      throw err;
    }
    outcome.resolve();
    for (const fn of after) fn();
  }

  private start(): void {
    this.begin.run();
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A failed commit with nobody waiting (every writer's function threw) is no crash.
    promise.catch(() => undefined);
    this.outcome = { promise, resolve, reject };
    if (this.grouping === 0) return;
    // After this turn's I/O callbacks, before the next poll: every frame read in this turn joins.
    setImmediate(() => {
      try {
        this.flush();
      } catch {
        // The callers waiting were told through the promise.
      }
    });
  }
}

/**
 * `handlers`, each running inside `store.grouped`: a handler that wrote answers
 * once its writes are committed, together with the rest of its turn's.
 * @example
 * const handlers = groupWrites(createRequestHandlers(service, analysis, undefined, { attribution, dataset }), store);
 */
export function groupWrites<T extends Readonly<Record<string, (...args: never[]) => unknown>>>(
  handlers: T,
  store: { grouped<R>(fn: () => R): R | Promise<R> },
): T {
  const grouped: Record<string, (...args: never[]) => unknown> = {};
  for (const [event, handler] of Object.entries(handlers)) grouped[event] = (...args) => store.grouped(() => handler(...args));
  return grouped as T;
}
