/**
 * The default {@link WindowStore} and {@link AnalysisStore}: one SQLite file in the data dir. Every
 * write is whole or absent, and its promise settles when it has committed with the rest of its
 * event-loop turn's writes (commit-group.ts).
 * @module
 */
import type { Database } from 'better-sqlite3';
import {
  assertOpFitsKind,
  applyUpdate,
  UpdateRejection,
  type AnalysisRun,
  type Content,
  type EnvSummary,
  type GraphDataset,
  type LayoutItem,
  type PaneLayout,
  type UpdateOp,
  type Window,
  type WindowOpts,
} from '@cnnvis/protocol';
import { CnnvisError } from '../errors';
import { readChannels, unpackChannels } from '@cnnvis/worker/pool';
import type { AnalysisStore, NewAttribution, StoredModel } from './analysis-store';
import { BlobLog } from './blob-log';
import { CommitGroup } from './commit-group';
import { ImageTable } from './image-table';
import { openDatabase } from './open-database';
import { createRunFiles } from './run-files';
import { RunReads } from './run-reads';
import { TraceTable } from './trace-table';
import { applyTraces, createTraces, traceRows } from './traces';
import { repairHeads, TurnAppends } from './turn-appends';
import * as runs from './runs';
import { sqliteRunner, type Steps } from './sql-steps';
import { prepareWindowStatements, type WindowStatements } from './window-statements';
import { tooManyWindows } from './limit-errors';
import { contentOf, imageMeta, resolveStoreLimits, rowContent, windowFields, withImageUrls, type WindowRow } from './window-rows';
import { withLazyLayers } from './lazy-layers';
import type { AppliedUpdate, CreateWindowInput, StoreLimits, StoredImage, WindowStore, WindowSummary } from './window-store';

type WrittenRow = Pick<WindowRow, 'rev' | 'position' | 'layout' | 'updated_at'>;

/** Window summaries kept in memory; past this many the cache starts again empty. */
const CACHED_SUMMARIES = 4096;

/** A window's key in the summary cache: the env's length first, so no two (env, win) pairs share one. */
const summaryKey = (env: string, win: string) => `${env.length}:${env}${win}`;

export class SqliteStore extends RunReads implements WindowStore, AnalysisStore {
  private readonly db: Database;
  private readonly traces: TraceTable;
  private readonly images: ImageTable;
  private readonly blobs: BlobLog;
  /** Runs the shared steps of runs.ts on this connection. */
  private readonly sql: <T>(steps: Steps<T>) => T;
  /** Runs dropped by the current write, whose files go when it commits. */
  private readonly dropped: string[] = [];
  private readonly stmt: WindowStatements;
  private readonly createTx: (input: CreateWindowInput) => WrittenRow;
  private readonly updateTx: (env: string, win: string, op: UpdateOp) => AppliedUpdate | undefined;
  private readonly limits: StoreLimits;
  private readonly commits: CommitGroup;
  private readonly appends: TurnAppends;
  /**
   * Summaries read since their window last changed kind, opts or traces: every Visdom append reads
   * one, and a plain append to traces it has changes none of it.
   */
  private readonly summaries = new Map<string, WindowSummary>();
  /**
   * Envs seen to exist: every create asks (to tell env pickers of a new one), so it is
   * answered from memory. Only {@link deleteEnv} removes envs.
   */
  private readonly knownEnvs = new Set<string>();

  /** `limits` default to the server's defaults; `imageSegmentBytes` sizes the blob log's segments (tests make it small). */
  constructor(dataDir: string, limits: Partial<StoreLimits> = {}, opts: { imageSegmentBytes?: number } = {}) {
    super(createRunFiles(dataDir));
    this.limits = resolveStoreLimits(limits);
    this.db = openDatabase(dataDir);
    this.traces = new TraceTable(this.db);
    this.blobs = new BlobLog(dataDir, opts.imageSegmentBytes);
    this.images = new ImageTable(this.db, this.blobs);
    this.sql = sqliteRunner(this.db);
    this.runFiles.removeOrphans((runId) => this.sql(runs.hasRun(runId)));
    this.stmt = prepareWindowStatements(this.db);
    this.images.collect(true);
    // Made once: building a transaction function per call costs more than a small write.
    this.createTx = this.db.transaction((input: CreateWindowInput) => this.writeWindow(input));
    this.updateTx = this.db.transaction((env: string, win: string, op: UpdateOp) => this.applyOp(env, win, op));
    this.appends = new TurnAppends(this.db, this.sql, this.limits.maxPointsPerTrace);
    // Appends acknowledged before a crash may be ahead of their windows' rows.
    this.db.transaction(() => repairHeads(this.db))();
    this.commits = new CommitGroup(this.db, {
      beforeCommit: () => this.appends.flush(),
      onRollback: () => {
        this.appends.forget();
        this.db.transaction(() => repairHeads(this.db))();
        this.summaries.clear();
        this.knownEnvs.clear();
      },
    });
  }

  async listEnvs(): Promise<EnvSummary[]> {
    // An env's time is its windows' latest change, appends included.
    this.headsWritten();
    return this.stmt.envs.all() as EnvSummary[];
  }

  async hasEnv(env: string): Promise<boolean> {
    return this.envExists(env);
  }

  private envExists(env: string): boolean {
    if (this.knownEnvs.has(env)) return true;
    const found = this.stmt.hasEnv.get(env) !== undefined;
    // A row seen inside a write may still be undone with it; any other stays (a failed commit clears the cache).
    if (found && !this.commits.inWrite) {
      if (this.knownEnvs.size >= CACHED_SUMMARIES) this.knownEnvs.clear();
      this.knownEnvs.add(env);
    }
    return found;
  }

  async createEnv(env: string): Promise<boolean> {
    const now = Date.now();
    return this.commits.write(() => this.stmt.insertEnv.run(env, now, now).changes > 0);
  }

  async hasWindow(env: string, win: string): Promise<boolean> {
    // A window with a summary or an append view in memory exists: closing or deleting it forgets both.
    return this.summaries.has(summaryKey(env, win)) || this.appends.holds(env, win) || this.stmt.hasWindow.get(env, win) !== undefined;
  }

  async windowSummary(env: string, win: string): Promise<WindowSummary | undefined> {
    const key = summaryKey(env, win);
    const known = this.summaries.get(key);
    if (known !== undefined) return known;
    const row = this.stmt.summary.get(env, win) as { kind: Window['kind']; opts: string; names: string; firstType: string | null } | undefined;
    if (row === undefined) return undefined;
    const names = JSON.parse(row.names) as string[];
    const opts = JSON.parse(row.opts) as WindowOpts;
    const summary: WindowSummary =
      row.firstType === null ? { kind: row.kind, opts, traces: names.length, names } : { kind: row.kind, opts, traces: names.length, names, firstType: row.firstType };
    if (this.summaries.size >= CACHED_SUMMARIES) this.summaries.clear();
    this.summaries.set(key, summary);
    return summary;
  }

  async getEnv(env: string): Promise<EnvSummary | undefined> {
    return this.readEnv(env);
  }

  private readEnv(env: string): EnvSummary | undefined {
    this.headsWritten();
    return this.stmt.env.get(env) as EnvSummary | undefined;
  }

  createWindow(input: CreateWindowInput): Promise<Window>;
  createWindow(input: CreateWindowInput, ifAbsent: true): Promise<Window | undefined>;
  async createWindow(given: CreateWindowInput, ifAbsent = false): Promise<Window | undefined> {
    if (ifAbsent && (this.appends.holds(given.env, given.win) || this.stmt.hasWindow.get(given.env, given.win) !== undefined)) return undefined;
    const input = this.withKeptDataset(given);
    this.summaries.delete(summaryKey(input.env, input.win));
    const { result: row, committed } = this.dropContent(false, { env: input.env, win: input.win }, this.createTx, input);
    const window = this.written(input, row);
    await committed;
    return window;
  }

  /** The window just written, built from its input where reading back would cost more. */
  private written(input: CreateWindowInput, row: WrittenRow): Window {
    const { env, win, content, opts } = input;
    const layout = row.layout === null ? null : (JSON.parse(row.layout) as PaneLayout);
    const written = { env, id: win, opts, rev: row.rev, position: row.position, layout, updatedAt: row.updated_at };
    // Images and graphs are built from what was just written: reading back a graph would parse megabytes of JSON again.
    if (content.kind === 'image') return { ...written, kind: 'image', content: withImageUrls(imageMeta(content), env, win, row.rev) };
    if (content.kind !== 'graph') return this.mustGet(env, win);
    const { blobs, ...graph } = content;
    // Packed statistics (the run's layers without channels) are unpacked only if a browser reads them.
    if (graph.run !== null && blobs?.channels !== undefined) {
      const { channels } = blobs;
      const bare = graph.run.layers;
      graph.run = withLazyLayers(graph.run, () => unpackChannels({ layers: bare, ...readChannels(this.runFiles.pathOf(blobs.runId), channels) }));
    }
    const kept = this.sql(runs.listRuns(env, win));
    return { ...written, kind: 'graph', content: kept.length === 0 ? graph : { ...graph, runs: kept } };
  }

  /** A graph window given a new run of the model its dataset statistics are of keeps them. */
  private withKeptDataset(input: CreateWindowInput): CreateWindowInput {
    const c = input.content;
    if (c.kind !== 'graph' || c.blobs === undefined || c.dataset !== undefined) return input;
    const row = this.stmt.graphDataset.get(input.env, input.win, c.graph.modelId) as { dataset: string | null } | undefined;
    return row?.dataset == null ? input : { ...input, content: { ...c, dataset: JSON.parse(row.dataset) as GraphDataset } };
  }

  private writeWindow({ env, win, content, opts }: CreateWindowInput): WrittenRow {
    const old = this.stmt.place.get(env, win) as Pick<WindowRow, 'kind' | 'position' | 'layout' | 'rev'> | undefined;
    const now = Date.now();
    let position = old?.position ?? 0;
    if (old === undefined) {
      // One scan of the env's windows gives both the next position and the count to check.
      const { n, count } = this.stmt.nextPosition.get(env) as { n: number; count: number };
      if (count >= this.limits.maxWindowsPerEnv) throw tooManyWindows(env, this.limits.maxWindowsPerEnv);
      position = n;
      // Only a new window may be the first of its env. An env's time is its windows' latest change
      // (the envs query reads it from them), so a write leaves a known env's row, and its page, alone.
      this.stmt.insertEnv.run(env, now, now);
    }
    // A graph window given a run keeps the runs it had: the slider steps through them.
    // So does one given a run it keeps (only its dataset statistics changed).
    const keepRuns = content.kind === 'graph' && old?.kind === 'graph' && (content.blobs !== undefined || this.keepsRun(env, win, content.run));
    if (old !== undefined && !keepRuns) this.clearContent(env, win, old.kind);
    let run = content.kind === 'graph' ? content.run : null;
    // The run's per-channel statistics go to their own table, packed; its JSON keeps empty channels.
    if (content.kind === 'graph' && run !== null && content.blobs !== undefined) {
      run = this.sql(runs.writeRun(env, win, content.blobs, run, content.graph));
      this.dropped.push(...this.sql(runs.trimRuns(env, win, this.limits.maxRunsPerWindow, 0)));
    }
    const stored = rowContent(content, run, keepRuns || (content.kind === 'graph' && content.blobs !== undefined));
    this.stmt.upsert.run(env, win, content.kind, JSON.stringify(opts), stored, position, now);
    // What the upsert wrote, known from the row read above: SQLite builds a temporary table for every RETURNING.
    const row: WrittenRow = { rev: (old?.rev ?? 0) + 1, position, layout: old?.layout ?? null, updated_at: now };
    if (content.kind === 'plot') this.sql(createTraces(env, win, row.rev, content.traces, this.limits.maxPointsPerTrace));
    if (content.kind === 'image') this.images.write(env, win, content.images);
    return row;
  }

  private keepsRun(env: string, win: string, run: AnalysisRun | null): boolean {
    return run !== null && this.sql(runs.listRuns(env, win)).some((r) => r.runId === run.runId);
  }

  async updateWindow(env: string, win: string, op: UpdateOp): Promise<AppliedUpdate | undefined> {
    return this.commits.write(() => {
      const applied = this.appends.tryAppend(env, win, op) ?? this.settled({ env, win }, this.updateTx, env, win, op);
      // Any op but an append to traces the window has may change what a summary holds: opts, or trace names.
      const key = summaryKey(env, win);
      const known = this.summaries.get(key);
      const same = applied?.op.type === 'append' && applied.op.traces.every((t) => t.name !== undefined && known?.names.includes(t.name));
      if (known !== undefined && !same) this.summaries.delete(key);
      return applied;
    });
  }

  private applyOp(env: string, win: string, op: UpdateOp): AppliedUpdate | undefined {
    const head = this.stmt.head.get(env, win) as Pick<WindowRow, 'kind' | 'content'> | undefined;
    if (head === undefined) return undefined;
    assertOpFitsKind(op, head.kind);
    // Bump first: plot points are stored under the rev of the change that brought them.
    const { rev } = this.stmt.bump.get(Date.now(), env, win) as { rev: number };
    let applied = op;
    if (op.type === 'opts') {
      const row = this.stmt.getOpts.get(env, win) as { opts: string };
      this.stmt.setOpts.run(JSON.stringify({ ...(JSON.parse(row.opts) as WindowOpts), ...op.opts }), env, win);
    } else if (head.kind === 'plot') {
      const rows = this.sql(traceRows(env, win));
      applied = this.sql(applyTraces(env, win, rev, op, this.limits.maxPointsPerTrace, rows));
    } else {
      const next = applyUpdate(JSON.parse(head.content ?? 'null') as Content, op);
      this.stmt.setContent.run(JSON.stringify(next), env, win);
    }
    return { rev, op: applied };
  }

  async getWindow(env: string, win: string): Promise<Window | undefined> {
    return this.readWindow(env, win);
  }

  private readWindow(env: string, win: string): Window | undefined {
    this.headsWritten();
    const row = this.stmt.window.get(env, win) as WindowRow | undefined;
    return row === undefined ? undefined : this.toWindow(row);
  }

  async listWindows(env: string): Promise<Window[] | undefined> {
    this.headsWritten();
    if (!this.envExists(env)) return undefined;
    return (this.stmt.windows.all(env) as WindowRow[]).map((row) => this.toWindow(row));
  }

  async closeWindow(env: string, win: string): Promise<boolean> {
    this.summaries.delete(summaryKey(env, win));
    const tx = this.db.transaction(() => {
      const old = this.stmt.place.get(env, win) as Pick<WindowRow, 'kind'> | undefined;
      if (old === undefined) return false;
      this.clearContent(env, win, old.kind);
      return this.stmt.deleteWindow.run(env, win).changes > 0;
    });
    return this.dropContent(true, undefined, tx).committed;
  }

  async forkEnv(from: string, to: string): Promise<EnvSummary> {
    this.summaries.clear();
    const tx = this.db.transaction(() => {
      if (!this.envExists(from)) throw CnnvisError.notFound(`env '${from}' not found`);
      if (this.envExists(to)) throw new CnnvisError({ code: 'CONFLICT', message: `to: env '${to}' already exists` });
      const now = Date.now();
      this.stmt.insertEnv.run(to, now, now);
      // A forked graph window shares its run's blobs: only the `runs` row is copied.
      for (const table of ['windows', 'traces', 'chunks', 'images', 'runs']) {
        const cols = (this.db.pragma(`table_info(${table})`) as Array<{ name: string }>)
          .map((c) => c.name)
          .filter((c) => c !== 'env');
        const list = cols.join(', ');
        this.db.prepare(`INSERT INTO ${table} (env, ${list}) SELECT ?, ${list} FROM ${table} WHERE env = ?`).run(to, from);
      }
    });
    const committed = this.commits.write(() => this.settled(undefined, tx));
    const forked = this.readEnv(to) as EnvSummary;
    await committed;
    return forked;
  }

  async deleteEnv(env: string): Promise<boolean> {
    this.summaries.clear();
    this.knownEnvs.delete(env);
    const tx = this.db.transaction(() => {
      for (const table of ['traces', 'chunks', 'images']) this.db.prepare(`DELETE FROM ${table} WHERE env = ?`).run(env);
      this.dropped.push(...this.sql(runs.dropRuns(env, undefined, 0)));
      return this.stmt.deleteEnv.run(env).changes > 0;
    });
    return this.dropContent(true, undefined, tx).committed;
  }

  /** Rows that show every append: what a read sees, and what a closed store keeps. */
  private headsWritten(): void {
    this.appends.flush();
    if (this.appends.headsStale) void this.commits.write(() => this.appends.writeHeads());
  }

  /**
   * `tx(...args)` after the appends waiting in memory are written, so it sees them and comes
   * after them; their views are forgotten, since `tx` may change what they know: only the
   * view of `only` when `tx` changes that one window's rows alone, so a pane redrawn between
   * appends to other plots does not make each of them read its window again.
   */
  private settled<A extends unknown[], T>(only: WindowKey | undefined, tx: (...args: A) => T, ...args: A): T {
    this.appends.flush();
    this.appends.writeHeads();
    if (only === undefined) this.appends.forget();
    else this.appends.forgetWindow(only.env, only.win);
    return tx(...args);
  }

  /**
   * Runs `tx` (a transaction that may drop content) as one write and then, once it has committed,
   * removes the files of the runs it dropped and reclaims image segments: when one was sealed, or
   * always after a window or env was `deleted`.
   */
  private dropContent<A extends unknown[], T>(deleted: boolean, only: WindowKey | undefined, tx: (...args: A) => T, ...args: A): { result: T; committed: Promise<T> } {
    try {
      let result!: T;
      const committed = this.commits.write(() => (result = this.settled(only, tx, ...args)));
      const dropped = [...this.dropped];
      this.commits.whenCommitted(() => {
        for (const runId of dropped) this.runFiles.remove(runId);
        this.images.collect(deleted);
      });
      return { result, committed };
    } finally {
      this.dropped.length = 0;
    }
  }

  async saveLayout(env: string, items: readonly LayoutItem[]): Promise<void> {
    const tx = this.db.transaction(() => {
      if (!this.envExists(env)) throw CnnvisError.notFound(`env '${env}' not found`);
      for (const { win, ...layout } of items) {
        this.stmt.setLayout.run(JSON.stringify(layout satisfies PaneLayout), env, win);
      }
    });
    await this.commits.write(() => this.settled(undefined, tx));
  }

  async getImage(env: string, win: string, index: number): Promise<StoredImage | undefined> {
    return this.images.get(env, win, index);
  }

  protected async read<T>(steps: Steps<T>): Promise<T> {
    return this.sql(steps);
  }

  async saveModel(model: Omit<StoredModel, 'createdAt'>): Promise<void> {
    await this.commits.write(() => this.sql(runs.saveModel(model)));
  }

  async addAttribution(runId: string, attribution: NewAttribution): Promise<void> {
    // The run may have been dropped while its attribution ran: nothing to keep it with.
    if (!this.sql(runs.hasRun(runId))) throw CnnvisError.notFound(`run '${runId}' not found (it was replaced or its env deleted while the attribution ran)`);
    await this.commits.write(this.db.transaction(() => this.sql(runs.addAttribution(runId, attribution))));
  }

  async close(): Promise<void> {
    this.headsWritten();
    this.commits.flush();
    this.db.close();
    this.runFiles.dispose();
    this.blobs.close();
  }

  /** Delete the rows a window of `kind` keeps beside its own: a plot's points, an image pane's images, a graph's run. */
  private clearContent(env: string, win: string, kind: Window['kind']): void {
    if (kind === 'plot') {
      this.stmt.deleteTraces.run(env, win);
      this.stmt.deleteChunks.run(env, win);
    }
    if (kind === 'image') this.images.deleteWindow(env, win);
    if (kind === 'graph') this.dropped.push(...this.sql(runs.dropRuns(env, win, 0)));
  }

  private mustGet(env: string, win: string): Window {
    const w = this.readWindow(env, win);
    if (w === undefined) throw new UpdateRejection('NOT_FOUND', `window '${win}' vanished`);
    return w;
  }

  private toWindow(row: WindowRow): Window {
    const traces = row.kind === 'plot' ? this.traces.read(row.env, row.id, row.rev) : [];
    const content = this.sql(contentOf(row, traces, (runId, run) => this.lazyChannels(runId, run)));
    return { ...windowFields(row), kind: row.kind, content } as Window;
  }

  /** A run whose channels are read only if its layers are (a step function that yields nothing now). */
  private *lazyChannels(runId: string, run: AnalysisRun): Steps<AnalysisRun> {
    const { layers } = run;
    return withLazyLayers(run, () => this.sql(runs.withChannels(runId, layers, this.runFiles.pathOf(runId))));
  }
}

/** One window, as {@link SqliteStore.settled} names the only one a write changes. */
type WindowKey = { env: string; win: string };

