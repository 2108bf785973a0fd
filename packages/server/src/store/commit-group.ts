/**
 * SQLite's own batching: every write joins the open transaction, committed once the event-loop
 * turn's I/O callbacks have run, and its caller gets its result as a promise that settles on that
 * commit, so an acknowledgement that awaits it promises a committed change. A pipelined stream then
 * costs one commit per read from its socket, not one per write.
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
  /** How many {@link write} calls are on the stack. */
  private depth = 0;
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
   * Run one write in the open transaction (opening one if needed) and answer
   * its value once that commits. A `tx` made with `db.transaction` is a
   * savepoint there, so a throw (thrown from here) undoes only its own changes.
   */
  write<T>(tx: () => T): Promise<T> {
    const outcome = this.outcome ?? this.start();
    this.depth++;
    try {
      const value = tx();
      return outcome.promise.then(() => value);
    } finally {
      this.depth--;
    }
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

  private start(): Outcome {
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
    // After this turn's I/O callbacks, before the next poll: every frame read in this turn joins.
    setImmediate(() => {
      try {
        this.flush();
      } catch {
        // The callers waiting were told through the promise.
      }
    });
    return this.outcome;
  }
}
