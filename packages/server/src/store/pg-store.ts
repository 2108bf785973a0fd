/**
 * The {@link WindowStore} and {@link AnalysisStore} for several servers: one PostgreSQL database
 * (`--database-url`). Writes go through {@link PgWrites}, each write's promise settled by its
 * commit; nothing is cached in memory, so every server reads what any other wrote.
 * @module
 */
import pg, { type Pool } from 'pg';
import { applyUpdate, assertOpFitsKind, type Content, type EnvSummary, type GraphDataset, type LayoutItem, type PaneLayout, type Trace, type UpdateOp, type Window, type WindowOpts } from '@cnnvis/protocol';
import { readChannels, unpackChannels } from '@cnnvis/worker/pool';
import { CnnvisError } from '../errors';
import type { AnalysisStore, NewAttribution, StoredModel } from './analysis-store';
import { withLazyLayers } from './lazy-layers';
import { tooManyWindows } from './limit-errors';
import { migrate } from './pg-schema';
import * as runs from './runs';
import { runPg, type Db, type Steps } from './sql-steps';
import { addPointsInOne, readEnvTraces, readTraces } from './pg-traces';
import { applyTraces, createTraces, type TraceRow } from './traces';
import { withTextErrors } from './pg-text';
import { PgWrites } from './pg-writes';
import { createRunFiles, type RunFiles } from './run-files';
import { RunReads } from './run-reads';
import { contentOf, resolveStoreLimits, rowContent, windowFields, type WindowRow } from './window-rows';
import type { AppliedUpdate, CreateWindowInput, StoreLimits, StoredImage, WindowStore, WindowSummary } from './window-store';

/** BIGINT columns (times in ms, byte offsets) fit a double: read them as numbers, not strings. */
const types = { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser };

const ENV_SQL = `SELECT e.id, GREATEST(e.updated_at, COALESCE(MAX(w.updated_at), 0)) AS "updatedAt", COUNT(w.id)::int AS windows
                   FROM envs e LEFT JOIN windows w ON w.env = e.id`;
/**
 * An unrecorded maps file this long untouched is an orphan: the servers sharing the data dir
 * record a run as soon as its file is written, so none is still about to record it.
 */
const ORPHAN_AGE_MS = 60 * 60_000;
/** A graph no run has stays this long after its last use: longer than any write of a run of it on another server. */
const GRAPH_GRACE_MS = 60_000;
/** A written window's columns but its content, which the writer has. */
const WRITTEN = 'env, id, kind, opts, position, layout, rev, updated_at';
/** Columns a fork copies, per table (`env` apart). */
const FORKED: Record<string, string> = {
  windows: 'id, kind, opts, content, position, layout, rev, updated_at',
  traces: 'win, idx, name, spec, points',
  chunks: 'win, seq, part, trace, xs, ys',
  images: 'win, idx, encoding, width, height, channels, data',
  runs: 'win, id, model, seq, info, graph, run, thumb, thumb_shape',
};

export class PgStore extends RunReads implements WindowStore, AnalysisStore {
  private readonly writes: PgWrites;
  /** The pool, for reads. */
  private readonly readDb: Db;
  /** Settles when the last whole-window read queued so far has. */
  private lastRead: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly pool: Pool,
    runFiles: RunFiles,
    private readonly limits: StoreLimits,
  ) {
    super(runFiles);
    this.writes = new PgWrites(pool);
    this.readDb = withTextErrors(pool);
  }

  /** Connect, run the migrations, and open the store; `dataDir` holds the files (shared by the servers). */
  static async open(url: string, dataDir: string, limits: Partial<StoreLimits> = {}): Promise<PgStore> {
    const pool = new pg.Pool({ connectionString: url, types });
    // An idle connection that fails (the database restarted) is dropped from the pool, not a crash.
    pool.on('error', () => undefined);
    const runFiles = createRunFiles(dataDir);
    try {
      await migrate(pool);
      const ids = runFiles.settledIds(ORPHAN_AGE_MS);
      const recorded = new Set((await pool.query<{ id: string }>('SELECT DISTINCT id FROM runs WHERE id = ANY($1)', [ids])).rows.map((r) => r.id));
      runFiles.removeOrphans((id) => recorded.has(id), ORPHAN_AGE_MS);
    } catch (err) {
      runFiles.dispose();
      await pool.end();
      const where = new URL(url);
      where.password = '';
      throw new Error(`cannot open the PostgreSQL store at ${where.host}${where.pathname}: ${(err as Error).message}`, { cause: err });
    }
    return new PgStore(pool, runFiles, resolveStoreLimits(limits));
  }

  async listEnvs(): Promise<EnvSummary[]> {
    return (await (await this.reader()).query<EnvSummary>(`${ENV_SQL} GROUP BY e.id ORDER BY e.id COLLATE "C"`)).rows;
  }

  async hasEnv(env: string): Promise<boolean> {
    return (await (await this.reader()).query('SELECT 1 FROM envs WHERE id = $1', [env])).rowCount !== 0;
  }

  async createEnv(env: string): Promise<boolean> {
    const now = Date.now();
    return this.write(async (db) => (await db.query('INSERT INTO envs (id, created_at, updated_at) VALUES ($1, $2, $2) ON CONFLICT DO NOTHING', [env, now])).rowCount !== 0);
  }

  async hasWindow(env: string, win: string): Promise<boolean> {
    return (await (await this.reader()).query('SELECT 1 FROM windows WHERE env = $1 AND id = $2', [env, win])).rowCount !== 0;
  }

  async windowSummary(env: string, win: string): Promise<WindowSummary | undefined> {
    const row = (await (await this.reader()).query<{ kind: Window['kind']; opts: string; names: string[] | null; first: string | null }>(
      `SELECT w.kind, w.opts,
         (SELECT json_agg(t.name ORDER BY t.idx) FROM traces t WHERE t.env = w.env AND t.win = w.id) AS names,
         (SELECT t.spec::json->>'type' FROM traces t WHERE t.env = w.env AND t.win = w.id ORDER BY t.idx LIMIT 1) AS first
       FROM windows w WHERE w.env = $1 AND w.id = $2`, [env, win])).rows[0];
    if (row === undefined) return undefined;
    const names = row.names ?? [];
    const summary = { kind: row.kind, opts: JSON.parse(row.opts) as WindowOpts, traces: names.length, names };
    return row.first === null ? summary : { ...summary, firstType: row.first };
  }

  async getEnv(env: string): Promise<EnvSummary | undefined> {
    return (await (await this.reader()).query<EnvSummary>(`${ENV_SQL} WHERE e.id = $1 GROUP BY e.id`, [env])).rows[0];
  }

  createWindow(input: CreateWindowInput): Promise<Window>;
  createWindow(input: CreateWindowInput, ifAbsent: true): Promise<Window | undefined>;
  async createWindow(input: CreateWindowInput, ifAbsent = false): Promise<Window | undefined> {
    const dropped: string[] = [];
    const window = await this.write(async (db) => {
      // The env's row, locked till the commit: creates in one env take turns across servers, so two
      // creating one window make one, and new windows' places (after the env's last) never collide.
      await db.query('INSERT INTO envs (id, created_at, updated_at) VALUES ($1, $2, $2) ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at', [input.env, Date.now()]);
      if (ifAbsent && (await db.query('SELECT 1 FROM windows WHERE env = $1 AND id = $2', [input.env, input.win])).rowCount !== 0) return undefined;
      return this.writeWindow(db, input, dropped);
    });
    this.removeRunFiles(dropped);
    return window;
  }

  private async writeWindow(db: Db, given: CreateWindowInput, dropped: string[]): Promise<Window> {
    const { env, win, content, opts } = await this.withKeptDataset(db, given);
    const old = (await db.query<Pick<WindowRow, 'kind' | 'position'>>('SELECT kind, position FROM windows WHERE env = $1 AND id = $2 FOR UPDATE', [env, win])).rows[0];
    let position = old?.position ?? 0;
    if (old === undefined) {
      const { n, count } = (await db.query<{ n: number; count: number }>('SELECT COALESCE(MAX(position), -1) + 1 AS n, COUNT(*)::int AS count FROM windows WHERE env = $1', [env])).rows[0] as { n: number; count: number };
      if (count >= this.limits.maxWindowsPerEnv) throw tooManyWindows(env, this.limits.maxWindowsPerEnv);
      position = n;
    }
    const now = Date.now();
    // A graph window given a run keeps the runs it had: the slider steps through them.
    // So does one given a run it keeps (only its dataset statistics changed).
    const keepRuns = content.kind === 'graph' && old?.kind === 'graph' && (content.blobs !== undefined || (content.run !== null && (await runPg(db, runs.listRuns(env, win))).some((r) => r.runId === content.run?.runId)));
    if (old !== undefined && !keepRuns) dropped.push(...(await this.clearContent(db, env, win, old.kind)));
    let run = content.kind === 'graph' ? content.run : null;
    if (content.kind === 'graph' && run !== null && content.blobs !== undefined) {
      run = await runPg(db, runs.writeRun(env, win, content.blobs, run, content.graph));
      dropped.push(...(await runPg(db, runs.trimRuns(env, win, this.limits.maxRunsPerWindow, GRAPH_GRACE_MS))));
    }
    const stored = rowContent(content, run, keepRuns || (content.kind === 'graph' && content.blobs !== undefined));
    const row = (await db.query<WindowRow>(
      `INSERT INTO windows (env, id, kind, opts, content, position, layout, rev, updated_at) VALUES ($1, $2, $3, $4, $5, $6, NULL, 1, $7)
       ON CONFLICT (env, id) DO UPDATE SET kind = excluded.kind, opts = excluded.opts, content = excluded.content, rev = windows.rev + 1, updated_at = excluded.updated_at
       RETURNING ${WRITTEN}`, [env, win, content.kind, JSON.stringify(opts), stored, position, now])).rows[0] as WindowRow;
    // The content just written is not read back: a big text window would be copied twice more.
    row.content = stored;
    if (content.kind === 'text' || content.kind === 'properties' || content.kind === 'network') return { ...windowFields(row), kind: content.kind, content } as Window;
    if (content.kind === 'plot') await runPg(db, createTraces(env, win, row.rev, content.traces, this.limits.maxPointsPerTrace));
    if (content.kind === 'image') {
      for (const [idx, img] of content.images.entries()) {
        await db.query('INSERT INTO images (env, win, idx, encoding, width, height, channels, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
          [env, win, idx, img.encoding, img.width, img.height, img.channels, Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength)]);
      }
    }
    if (content.kind !== 'graph' || content.blobs === undefined || run === null) return this.toWindow(db, row);
    // The run's statistics, packed, are unpacked only if a browser reads them.
    const { blobs, ...graph } = content;
    const channels = blobs.channels;
    if (channels !== undefined) graph.run = withLazyLayers(run, () => unpackChannels({ layers: run.layers, ...readChannels(this.runFiles.pathOf(blobs.runId), channels) }));
    const kept = await runPg(db, runs.listRuns(env, win));
    return { ...windowFields(row), kind: 'graph', content: kept.length === 0 ? graph : { ...graph, runs: kept } };
  }

  /** A graph window given a new run of the model its dataset statistics are of keeps them (as SQLite's store does). */
  private async withKeptDataset(db: Db, input: CreateWindowInput): Promise<CreateWindowInput> {
    const c = input.content;
    if (c.kind !== 'graph' || c.blobs === undefined || c.dataset !== undefined) return input;
    const row = (await db.query<{ dataset: string | null }>(
      `SELECT content::json->>'dataset' AS dataset FROM windows WHERE env = $1 AND id = $2 AND kind = 'graph' AND content::json->'dataset'->>'modelId' = $3`,
      [input.env, input.win, c.graph.modelId])).rows[0];
    return row?.dataset == null ? input : { ...input, content: { ...c, dataset: JSON.parse(row.dataset) as GraphDataset } };
  }

  async updateWindow(env: string, win: string, op: UpdateOp): Promise<AppliedUpdate | undefined> {
    return this.write(async (db) => {
      // Bumped first, in the statement that locks the row and reads what the op needs: plot points are
      // stored under the rev of the change that brought them (a refused op rolls the bump back).
      const head = (await db.query<Pick<WindowRow, 'kind' | 'content' | 'opts' | 'rev'> & { traces: TraceRow[] | null }>(
        `UPDATE windows SET rev = rev + 1, updated_at = $1 WHERE env = $2 AND id = $3
         RETURNING rev, kind, content, opts, (SELECT json_agg(json_build_object('idx', t.idx, 'name', t.name, 'points', t.points) ORDER BY t.idx)
                                              FROM traces t WHERE t.env = windows.env AND t.win = windows.id) AS traces`,
        [Date.now(), env, win])).rows[0];
      if (head === undefined) return undefined;
      assertOpFitsKind(op, head.kind);
      const { rev } = head;
      let applied = op;
      if (op.type === 'opts') {
        await db.query('UPDATE windows SET opts = $1 WHERE env = $2 AND id = $3', [JSON.stringify({ ...(JSON.parse(head.opts) as WindowOpts), ...op.opts }), env, win]);
      } else if (head.kind === 'plot') {
        applied = await runPg(db, applyTraces(env, win, rev, op, this.limits.maxPointsPerTrace, head.traces ?? [], addPointsInOne));
      } else {
        const next = applyUpdate(JSON.parse(head.content ?? 'null') as Content, op);
        await db.query('UPDATE windows SET content = $1 WHERE env = $2 AND id = $3', [JSON.stringify(next), env, win]);
      }
      return { rev, op: applied };
    });
  }

  async getWindow(env: string, win: string): Promise<Window | undefined> {
    return this.consistent(async (db) => {
      const row = (await db.query<WindowRow>('SELECT * FROM windows WHERE env = $1 AND id = $2', [env, win])).rows[0];
      return row === undefined ? undefined : this.toWindow(db, row);
    });
  }

  async listWindows(env: string): Promise<Window[] | undefined> {
    return this.consistent(async (db) => {
      if ((await db.query('SELECT 1 FROM envs WHERE id = $1', [env])).rowCount === 0) return undefined;
      const rows = (await db.query<WindowRow>('SELECT * FROM windows WHERE env = $1 ORDER BY position', [env])).rows;
      const traces = await readEnvTraces(db, env);
      const windows: Window[] = [];
      for (const row of rows) windows.push(await this.toWindow(db, row, traces));
      return windows;
    });
  }

  async closeWindow(env: string, win: string): Promise<boolean> {
    const dropped: string[] = [];
    const closed = await this.write(async (db) => {
      const old = (await db.query<Pick<WindowRow, 'kind'>>('SELECT kind FROM windows WHERE env = $1 AND id = $2 FOR UPDATE', [env, win])).rows[0];
      if (old === undefined) return false;
      dropped.push(...(await this.clearContent(db, env, win, old.kind)));
      return (await db.query('DELETE FROM windows WHERE env = $1 AND id = $2', [env, win])).rowCount !== 0;
    });
    this.removeRunFiles(dropped);
    return closed;
  }

  async forkEnv(from: string, to: string): Promise<EnvSummary> {
    return this.write(async (db) => {
      if ((await db.query('SELECT 1 FROM envs WHERE id = $1', [from])).rowCount === 0) throw CnnvisError.notFound(`env '${from}' not found`);
      if ((await db.query('SELECT 1 FROM envs WHERE id = $1', [to])).rowCount !== 0) throw new CnnvisError({ code: 'CONFLICT', message: `to: env '${to}' already exists` });
      const now = Date.now();
      await db.query('INSERT INTO envs (id, created_at, updated_at) VALUES ($1, $2, $2)', [to, now]);
      // A forked graph window shares its run's blobs: only the `runs` row is copied.
      for (const [table, cols] of Object.entries(FORKED)) await db.query(`INSERT INTO ${table} (env, ${cols}) SELECT $1, ${cols} FROM ${table} WHERE env = $2`, [to, from]);
      return (await db.query<EnvSummary>(`${ENV_SQL} WHERE e.id = $1 GROUP BY e.id`, [to])).rows[0] as EnvSummary;
    });
  }

  async deleteEnv(env: string): Promise<boolean> {
    const dropped: string[] = [];
    const deleted = await this.write(async (db) => {
      for (const table of ['traces', 'chunks', 'images']) await db.query(`DELETE FROM ${table} WHERE env = $1`, [env]);
      dropped.push(...(await runPg(db, runs.dropRuns(env, undefined, GRAPH_GRACE_MS))));
      return (await db.query('DELETE FROM envs WHERE id = $1', [env])).rowCount !== 0;
    });
    this.removeRunFiles(dropped);
    return deleted;
  }

  async saveLayout(env: string, items: readonly LayoutItem[]): Promise<void> {
    await this.write(async (db) => {
      if ((await db.query('SELECT 1 FROM envs WHERE id = $1', [env])).rowCount === 0) throw CnnvisError.notFound(`env '${env}' not found`);
      for (const { win, ...layout } of items) await db.query('UPDATE windows SET layout = $1 WHERE env = $2 AND id = $3', [JSON.stringify(layout satisfies PaneLayout), env, win]);
    });
  }

  async getImage(env: string, win: string, index: number): Promise<StoredImage | undefined> {
    const sql = `SELECT encoding, width, height, channels, data FROM images
                 WHERE env = $1 AND win = $2 AND idx = $3`;
    return (await (await this.reader()).query<StoredImage>(sql, [env, win, index])).rows[0];
  }

  async saveModel(model: Omit<StoredModel, 'createdAt'>): Promise<void> {
    await this.write((db) => runPg(db, runs.saveModel(model)));
  }

  async addAttribution(runId: string, attribution: NewAttribution): Promise<void> {
    await this.write(async (db) => {
      // The run may have been dropped while its attribution ran: nothing to keep it with.
      if (!(await runPg(db, runs.hasRun(runId)))) throw CnnvisError.notFound(`run '${runId}' not found (it was replaced or its env deleted while the attribution ran)`);
      await runPg(db, runs.addAttribution(runId, attribution));
    });
  }

  protected async read<T>(steps: Steps<T>): Promise<T> {
    return runPg(await this.reader(), steps);
  }

  /** The pool, once the writes queued so far have committed: reads after writes see them. */
  private async reader(): Promise<Db> {
    await this.writes.settled();
    return this.readDb;
  }

  /**
   * Run the reads of `job` in one read-only snapshot, once the writes queued so far have committed:
   * a window read whole is the window at one rev (its row, traces and points agree), which a
   * browser's snapshot relies on to drop the deltas it already holds.
   */
  private consistent<T>(job: (db: Db) => Promise<T>): Promise<T> {
    // Whole windows are read one at a time, as SQLite's one connection reads them: each can hold a
    // million points, and a client's requests answered side by side would each hold one at once.
    const read = this.lastRead.then(() => this.snapshotRead(job));
    // Settled to nothing: the chain must not keep the last window read (up to a million points) alive.
    this.lastRead = read.then(
      () => undefined,
      () => undefined,
    );
    return read;
  }

  private async snapshotRead<T>(job: (db: Db) => Promise<T>): Promise<T> {
    await this.writes.settled();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const value = await job(withTextErrors(client));
      await client.query('COMMIT');
      client.release();
      return value;
    } catch (err) {
      // A connection that cannot even roll back is broken: given back as such.
      const broken = await client.query('ROLLBACK').then(() => false, () => true);
      client.release(broken);
      throw err;
    }
  }

  /** Run `job` in the next write transaction (see PgWrites). */
  private write<T>(job: (db: Db) => Promise<T>): Promise<T> {
    return this.writes.write((client) => job(withTextErrors(client)));
  }

  async close(): Promise<void> {
    await this.writes.idle();
    await this.pool.end();
    this.runFiles.dispose();
  }

  /** Delete the rows a window of `kind` keeps beside its own; returns the runs no window keeps now. */
  private async clearContent(db: Db, env: string, win: string, kind: Window['kind']): Promise<string[]> {
    if (kind === 'plot') for (const table of ['traces', 'chunks']) await db.query(`DELETE FROM ${table} WHERE env = $1 AND win = $2`, [env, win]);
    if (kind === 'image') await db.query('DELETE FROM images WHERE env = $1 AND win = $2', [env, win]);
    return kind === 'graph' ? runPg(db, runs.dropRuns(env, win, GRAPH_GRACE_MS)) : [];
  }

  /** Dropped runs' maps files go once their rows' removal has committed (a rolled-back drop keeps them). */
  private removeRunFiles(dropped: readonly string[]): void {
    for (const runId of dropped) this.runFiles.remove(runId);
  }

  /** `traces`: the env's plot traces, read already (by window). */
  private async toWindow(db: Db, row: WindowRow, traces?: Map<string, Trace[]>): Promise<Window> {
    const plot = row.kind !== 'plot' ? [] : traces === undefined ? await readTraces(db, row.env, row.id) : (traces.get(row.id) ?? []);
    const path = (runId: string) => this.runFiles.pathOf(runId);
    const content = await runPg(db, contentOf(row, plot, function* (runId, run) {
      return { ...run, layers: yield* runs.withChannels(runId, run.layers, path(runId)) };
    }));
    return { ...windowFields(row), kind: row.kind, content } as Window;
  }
}
