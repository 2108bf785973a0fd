/**
 * PostgreSQL's side of commit grouping: every write is a job run on one connection, in the order
 * the writes were made, and the jobs queued while a transaction commits share the next one (a
 * pipelined stream then pays one commit per batch). A batch that meets a deadlock or a
 * serialization failure (another server writing the same rows) is run again whole.
 * @module
 */
import type { Pool, PoolClient } from 'pg';

/** One write: queries on the connection it is given, inside the batch's transaction. */
export type WriteJob<T> = (client: PoolClient) => Promise<T>;

interface Queued {
  job: WriteJob<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Jobs one transaction takes at most, so a flood still commits now and then. */
const MAX_BATCH = 1000;
/** SQLSTATEs after which the whole batch is worth running again. */
const RETRY = new Set(['40001', '40P01']);
const RETRIES = 5;

export class PgWrites {
  private queue: Queued[] = [];
  private running = false;
  /** Settles when the last write queued so far has (and so every earlier one). */
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly pool: Pool) {}

  /** Run `job` in the next transaction; its value once that commits. */
  write<T>(job: WriteJob<T>): Promise<T> {
    const written = new Promise<T>((resolve, reject) => {
      this.queue.push({ job, resolve: resolve as (value: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
    // Settled to nothing: `last` must not keep the last write's value (a whole window) alive.
    this.last = written.then(
      () => undefined,
      () => undefined,
    );
    return written;
  }

  /** Once every write queued so far has committed or failed: a read after it sees them, as on SQLite's one connection. */
  settled(): Promise<unknown> {
    return this.last;
  }

  /** Wait until every queued write has committed or failed. */
  async idle(): Promise<void> {
    while (this.running || this.queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.commit(batch);
      }
    } finally {
      this.running = false;
    }
  }

  /** Run a batch in one transaction and settle its callers; never throws. */
  private async commit(batch: Queued[]): Promise<void> {
    let client: PoolClient | undefined;
    for (let attempt = 0; ; attempt++) {
      const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
      try {
        client ??= await this.pool.connect();
        await client.query('BEGIN');
        // A job alone needs no savepoint: if it fails, the transaction, all its own, is rolled back.
        const alone = batch.length === 1;
        for (const { job } of batch) {
          if (!alone) await client.query('SAVEPOINT job');
          try {
            outcomes.push({ ok: true, value: await job(client) });
            if (!alone) await client.query('RELEASE SAVEPOINT job');
          } catch (err) {
            if (RETRY.has((err as { code?: string }).code ?? '')) throw err;
            await client.query(alone ? 'ROLLBACK' : 'ROLLBACK TO SAVEPOINT job');
            outcomes.push({ ok: false, err });
          }
        }
        if (!alone || outcomes[0]?.ok === true) await client.query('COMMIT');
        client.release();
        batch.forEach((q, i) => {
          const o = outcomes[i];
          if (o?.ok) q.resolve(o.value);
          else q.reject(o?.err);
        });
        return;
      } catch (err) {
        // The connection may be broken: give it back as such, and take another for a retry.
        await client?.query('ROLLBACK').catch(() => undefined);
        client?.release(true);
        client = undefined;
        if (attempt < RETRIES && RETRY.has((err as { code?: string }).code ?? '')) continue;
        for (const q of batch) q.reject(err);
        return;
      }
    }
  }
}
