/**
 * The default {@link WindowStore} and {@link AnalysisStore}: one SQLite file in the data dir. Every
 * write is whole or absent (a savepoint inside the open transaction), and committed before its
 * caller acknowledges it: at once, or with the rest of its event-loop turn's writes when made
 * inside {@link SqliteStore.grouped} (commit-group.ts). Plain appends wait in memory until the
 * transaction commits or something else touches the store (turn-appends.ts).
 * @module
 */
import type { Database } from 'better-sqlite3';
import {
  assertOpFitsKind,
  applyUpdate,
  UpdateRejection,
  type Content,
  type EnvSummary,
  type ImageRef,
  type LayoutItem,
  type PaneLayout,
  type PlotContent,
  type RunInfo,
  type UpdateOp,
  type Window,
  type WindowOpts,
} from '@cnnvis/protocol';
import { CnnvisError } from '../errors';
import { imageUrl } from '../images/image-url';
import { SERVER_DEFAULTS } from '../options';
import type { InputThumbnail } from '@cnnvis/worker/pool';
import type { AnalysisStore, StoredFilter, StoredMapRef, StoredModel, StoredRun } from './analysis-store';
import { BlobLog } from './blob-log';
import { CommitGroup } from './commit-group';
import { ImageTable } from './image-table';
import { ModelTable } from './model-table';
import { openDatabase } from './open-database';
import { createRunFiles, type RunFiles } from './run-files';
import { TraceTable } from './trace-table';
import { repairHeads, TurnAppends } from './turn-appends';
import { RunTable } from './run-table';
import { prepareWindowStatements, type WindowStatements } from './window-statements';
import { tooManyWindows } from './limit-errors';
import { withLazyChannels } from './lazy-channels';
import type { AppliedUpdate, CreateWindowInput, StoreLimits, StoredImage, WindowStore, WindowSummary } from './window-store';

interface WindowRow {
  env: string;
  id: string;
  kind: Window['kind'];
  opts: string;
  content: string | null;
  position: number;
  layout: string | null;
  rev: number;
  updated_at: number;
}

type WrittenRow = Pick<WindowRow, 'rev' | 'position' | 'layout' | 'updated_at'>;

type ImageMeta = { kind: 'image'; nrow: number; padding: number; selected?: number; images: Array<Omit<ImageRef, 'url'>> };

const MIME = { png: 'image/png', jpeg: 'image/jpeg', raw: 'image/png' } as const;

/** Window summaries kept in memory; past this many the cache starts again empty. */
const CACHED_SUMMARIES = 4096;

/** A window's key in the summary cache: the env's length first, so no two (env, win) pairs share one. */
const summaryKey = (env: string, win: string) => `${env.length}:${env}${win}`;

export class SqliteStore implements WindowStore, AnalysisStore {
  private readonly db: Database;
  private readonly traces: TraceTable;
  private readonly images: ImageTable;
  private readonly blobs: BlobLog;
  private readonly models: ModelTable;
  private readonly runs: RunTable;
  private readonly runFiles: RunFiles;
  private readonly stmt: WindowStatements;
  private readonly createTx: (input: CreateWindowInput) => WrittenRow;
  private readonly updateTx: (env: string, win: string, op: UpdateOp) => AppliedUpdate;
  private readonly limits: StoreLimits;
  private readonly commits: CommitGroup;
  private readonly appends: TurnAppends;
  /**
   * Summaries read since their window last changed kind, opts or traces: every Visdom append
   * reads one, and a plain append to traces it has changes none of it. Every other write
   * forgets its window's (or, for env-wide writes, all of them).
   */
  private readonly summaries = new Map<string, WindowSummary>();
  /**
   * Envs seen to exist: every create asks (to tell env pickers of a new one), so it is
   * answered from memory. Only {@link deleteEnv} removes envs.
   */
  private readonly knownEnvs = new Set<string>();

  /** `limits` default to the server's defaults; `imageSegmentBytes` sizes the blob log's segments (tests make it small). */
  constructor(dataDir: string, limits: Partial<StoreLimits> = {}, opts: { imageSegmentBytes?: number } = {}) {
    this.limits = {
      maxPointsPerTrace: limits.maxPointsPerTrace ?? SERVER_DEFAULTS.maxPointsPerTrace,
      maxWindowsPerEnv: limits.maxWindowsPerEnv ?? SERVER_DEFAULTS.maxWindowsPerEnv,
      maxRunsPerWindow: limits.maxRunsPerWindow ?? SERVER_DEFAULTS.maxRunsPerWindow,
    };
    this.db = openDatabase(dataDir);
    this.traces = new TraceTable(this.db, this.limits.maxPointsPerTrace);
    this.blobs = new BlobLog(dataDir, opts.imageSegmentBytes === undefined ? {} : { segmentBytes: opts.imageSegmentBytes });
    this.images = new ImageTable(this.db, this.blobs);
    this.models = new ModelTable(this.db);
    this.runFiles = createRunFiles(dataDir);
    this.runs = new RunTable(this.db, (runId) => this.runFiles.pathOf(runId));
    this.runFiles.removeOrphans((runId) => this.runs.has(runId));
    this.stmt = prepareWindowStatements(this.db);
    this.images.collect(true);
    // Made once: building a transaction function per call costs more than a small write.
    this.createTx = this.db.transaction((input: CreateWindowInput) => this.writeWindow(input));
    this.updateTx = this.db.transaction((env: string, win: string, op: UpdateOp) => this.applyOp(env, win, op));
    this.appends = new TurnAppends(this.db, this.traces, this.limits.maxPointsPerTrace);
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

  grouped<T>(fn: () => T): T | Promise<T> {
    return this.commits.grouped(fn);
  }

  listEnvs(): EnvSummary[] {
    // An env's time is its windows' latest change, appends included.
    this.headsWritten();
    return this.stmt.envs.all() as EnvSummary[];
  }

  hasEnv(env: string): boolean {
    if (this.knownEnvs.has(env)) return true;
    const found = this.stmt.hasEnv.get(env) !== undefined;
    // A row seen inside a write may still be undone with it; any other stays (a failed commit clears the cache).
    if (found && !this.commits.inWrite) {
      if (this.knownEnvs.size >= CACHED_SUMMARIES) this.knownEnvs.clear();
      this.knownEnvs.add(env);
    }
    return found;
  }

  createEnv(env: string): boolean {
    const now = Date.now();
    return this.commits.write(() => this.stmt.insertEnv.run(env, now, now).changes > 0);
  }

  hasWindow(env: string, win: string): boolean {
    // A window with a summary or an append view in memory exists: closing or deleting it forgets both.
    return this.summaries.has(summaryKey(env, win)) || this.appends.holds(env, win) || this.stmt.hasWindow.get(env, win) !== undefined;
  }

  windowSummary(env: string, win: string): WindowSummary | undefined {
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

  getEnv(env: string): EnvSummary | undefined {
    this.headsWritten();
    return this.stmt.env.get(env) as EnvSummary | undefined;
  }

  createWindow(input: CreateWindowInput): Window {
    this.summaries.delete(summaryKey(input.env, input.win));
    const row = this.dropContent(false, { env: input.env, win: input.win }, this.createTx, input);
    const { env, win, content, opts } = input;
    const layout = row.layout === null ? null : (JSON.parse(row.layout) as PaneLayout);
    const written = { env, id: win, opts, rev: row.rev, position: row.position, layout, updatedAt: row.updated_at };
    // Images and graphs are built from what was just written: reading back a graph would parse megabytes of JSON again.
    if (content.kind === 'image') {
      const meta = imageMeta(content);
      return { ...written, kind: 'image', content: { ...meta, images: meta.images.map((img, i) => ({ ...img, url: imageUrl(env, win, i, row.rev) })) } };
    }
    if (content.kind !== 'graph') return this.mustGet(env, win);
    const { blobs, ...graph } = content;
    // Packed statistics (the run's layers without channels) are unpacked only if a browser reads them.
    if (graph.run !== null && blobs?.channels !== undefined) {
      const channels = blobs.channels;
      graph.run = withLazyChannels(graph.run, () => this.runs.arraysOf(blobs.runId, channels));
    }
    const runs = this.runs.list(env, win);
    return { ...written, kind: 'graph', content: runs.length === 0 ? graph : { ...graph, runs } };
  }

  private writeWindow({ env, win, content, opts }: CreateWindowInput): WrittenRow {
    const old = this.stmt.place.get(env, win) as Pick<WindowRow, 'kind' | 'position'> | undefined;
    let position = old?.position ?? 0;
    if (old === undefined) {
      // One scan of the env's windows gives both the next position and the count to check.
      const { n, count } = this.stmt.nextPosition.get(env) as { n: number; count: number };
      if (count >= this.limits.maxWindowsPerEnv) throw tooManyWindows(env, this.limits.maxWindowsPerEnv);
      position = n;
    }
    const now = Date.now();
    this.stmt.touchEnv.run(env, now, now);
    // A graph window given a run keeps the runs it had: the slider steps through them.
    const keepRuns = content.kind === 'graph' && content.blobs !== undefined && old?.kind === 'graph';
    if (old !== undefined && !keepRuns) this.clearContent(env, win, old.kind);
    let stored: string | null = null;
    // Text, properties and network panes are small JSON documents, stored whole.
    if (content.kind === 'text' || content.kind === 'properties' || content.kind === 'network') stored = JSON.stringify(content);
    if (content.kind === 'graph') {
      let run = content.run;
      // The run's per-channel statistics go to their own table, packed; its JSON keeps empty channels.
      if (run !== null && content.blobs !== undefined) {
        run = this.runs.write(env, win, content.blobs, run, content.graph);
        this.runs.trim(env, win, this.limits.maxRunsPerWindow);
      }
      stored = JSON.stringify({ kind: 'graph', graph: content.graph, run });
    }
    if (content.kind === 'image') stored = JSON.stringify(imageMeta(content));
    // A plot's points live in traces/chunks; its row keeps only the plotly layout passed through, if any.
    if (content.kind === 'plot' && content.layout !== undefined) stored = JSON.stringify({ layout: content.layout });
    const row = this.stmt.upsert.get({ env, id: win, kind: content.kind, opts: JSON.stringify(opts), content: stored, position, now }) as WrittenRow;
    const { rev } = row;
    if (content.kind === 'plot') this.traces.create(env, win, rev, content.traces);
    if (content.kind === 'image') this.images.write(env, win, content.images);
    return row;
  }

  updateWindow(env: string, win: string, op: UpdateOp): AppliedUpdate {
    const applied = this.commits.write(() => this.appends.tryAppend(env, win, op) ?? this.settled({ env, win }, this.updateTx, env, win, op));
    // Any op but an append to traces the window has may change what a summary holds: opts, or trace names.
    const key = summaryKey(env, win);
    const known = this.summaries.get(key);
    const same = applied.op.type === 'append' && applied.op.traces.every((t) => t.name !== undefined && known?.names.includes(t.name));
    if (known !== undefined && !same) this.summaries.delete(key);
    return applied;
  }

  private applyOp(env: string, win: string, op: UpdateOp): AppliedUpdate {
    const head = this.stmt.head.get(env, win) as Pick<WindowRow, 'kind' | 'content'> | undefined;
    if (head === undefined) throw CnnvisError.notFound(`window '${win}' not found in env '${env}'`);
    assertOpFitsKind(op, head.kind);
    // Bump first: plot points are stored under the rev of the change that brought them.
    const { rev } = this.stmt.bump.get(Date.now(), env, win) as { rev: number };
    let applied = op;
    if (op.type === 'opts') {
      const row = this.stmt.getOpts.get(env, win) as { opts: string };
      this.stmt.setOpts.run(JSON.stringify({ ...(JSON.parse(row.opts) as WindowOpts), ...op.opts }), env, win);
    } else if (head.kind === 'plot') {
      applied = this.traces.apply(env, win, rev, op);
    } else {
      const next = applyUpdate(JSON.parse(head.content ?? 'null') as Content, op);
      this.stmt.setContent.run(JSON.stringify(next), env, win);
    }
    return { rev, op: applied };
  }

  getWindow(env: string, win: string): Window | undefined {
    this.headsWritten();
    const row = this.stmt.window.get(env, win) as WindowRow | undefined;
    return row === undefined ? undefined : this.toWindow(row);
  }

  listWindows(env: string): Window[] | undefined {
    this.headsWritten();
    if (!this.hasEnv(env)) return undefined;
    return (this.stmt.windows.all(env) as WindowRow[]).map((row) => this.toWindow(row));
  }

  closeWindow(env: string, win: string): boolean {
    this.summaries.delete(summaryKey(env, win));
    const tx = this.db.transaction(() => {
      const old = this.stmt.place.get(env, win) as Pick<WindowRow, 'kind'> | undefined;
      if (old === undefined) return false;
      this.clearContent(env, win, old.kind);
      return this.stmt.deleteWindow.run(env, win).changes > 0;
    });
    return this.dropContent(true, undefined, tx);
  }

  forkEnv(from: string, to: string): EnvSummary {
    this.summaries.clear();
    const tx = this.db.transaction(() => {
      if (!this.hasEnv(from)) throw CnnvisError.notFound(`env '${from}' not found`);
      if (this.hasEnv(to)) throw new CnnvisError({ code: 'CONFLICT', message: `to: env '${to}' already exists` });
      const now = Date.now();
      this.stmt.touchEnv.run(to, now, now);
      // A forked graph window shares its run's blobs: only the `runs` row is copied.
      for (const table of ['windows', 'traces', 'chunks', 'images', 'runs']) {
        const cols = (this.db.pragma(`table_info(${table})`) as Array<{ name: string }>)
          .map((c) => c.name)
          .filter((c) => c !== 'env');
        const list = cols.join(', ');
        this.db.prepare(`INSERT INTO ${table} (env, ${list}) SELECT ?, ${list} FROM ${table} WHERE env = ?`).run(to, from);
      }
    });
    this.commits.write(() => this.settled(undefined, tx));
    return this.getEnv(to) as EnvSummary;
  }

  deleteEnv(env: string): boolean {
    this.summaries.clear();
    this.knownEnvs.delete(env);
    const tx = this.db.transaction(() => {
      const runs = this.runs.runsOfEnv(env);
      for (const table of ['traces', 'chunks', 'images', 'runs']) {
        this.db.prepare(`DELETE FROM ${table} WHERE env = ?`).run(env);
      }
      for (const run of runs) this.runs.collect(run);
      return this.stmt.deleteEnv.run(env).changes > 0;
    });
    return this.dropContent(true, undefined, tx);
  }

  /** Rows that show every append: what a read sees, and what a closed store keeps. */
  private headsWritten(): void {
    this.appends.flush();
    if (this.appends.headsStale) this.commits.write(() => this.appends.writeHeads());
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
   * Runs `tx` (a transaction that may drop content) as one write and then, once
   * it has committed, removes the files of the runs it dropped and reclaims image
   * segments: when one was sealed, or always after a window or env was `deleted`.
   */
  private dropContent<A extends unknown[], T>(deleted: boolean, only: WindowKey | undefined, tx: (...args: A) => T, ...args: A): T {
    try {
      const result = this.commits.write(() => this.settled(only, tx, ...args));
      const dropped = [...this.runs.dropped];
      this.commits.whenCommitted(() => {
        for (const runId of dropped) this.runFiles.remove(runId);
        this.images.collect(deleted);
      });
      return result;
    } finally {
      this.runs.dropped.length = 0;
    }
  }

  saveLayout(env: string, items: readonly LayoutItem[]): void {
    const tx = this.db.transaction(() => {
      if (!this.hasEnv(env)) throw CnnvisError.notFound(`env '${env}' not found`);
      for (const { win, ...layout } of items) {
        this.stmt.setLayout.run(JSON.stringify(layout satisfies PaneLayout), env, win);
      }
    });
    this.commits.write(() => this.settled(undefined, tx));
  }

  getImage(env: string, win: string, index: number): StoredImage | undefined {
    return this.images.get(env, win, index);
  }

  saveModel(model: Omit<StoredModel, 'createdAt'>): void {
    this.commits.write(() => this.models.save(model));
  }

  getModel(id: string): StoredModel | undefined {
    return this.models.get(id);
  }

  hasRun(runId: string): boolean {
    return this.runs.has(runId);
  }

  getMap(runId: string, tensor: string): StoredMapRef | undefined {
    const map = this.runs.getMap(runId, tensor);
    return map === undefined ? undefined : { ...map, file: this.runFiles.pathOf(runId) };
  }

  getRun(runId: string): StoredRun | undefined {
    return this.runs.get(runId);
  }

  listRuns(env: string, win: string): RunInfo[] {
    return this.runs.list(env, win);
  }

  getThumbnail(runId: string): InputThumbnail | undefined {
    return this.runs.thumbnail(runId);
  }

  mapsPath(runId: string): string {
    return this.runFiles.pathOf(runId);
  }

  discardRun(runId: string): void {
    if (!this.runs.has(runId)) this.runFiles.remove(runId);
  }

  filterNodes(modelId: string): Set<string> {
    return this.runs.filterNodes(modelId);
  }

  getFilter(runId: string, node: string): StoredFilter | undefined {
    return this.runs.getFilter(runId, node);
  }

  close(): void {
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
    if (kind === 'graph') this.runs.deleteWindow(env, win);
  }

  private mustGet(env: string, win: string): Window {
    const w = this.getWindow(env, win);
    if (w === undefined) throw new UpdateRejection('NOT_FOUND', `window '${win}' vanished`);
    return w;
  }

  private toWindow(row: WindowRow): Window {
    return {
      env: row.env,
      id: row.id,
      kind: row.kind,
      opts: JSON.parse(row.opts) as WindowOpts,
      content: this.readContent(row),
      rev: row.rev,
      position: row.position,
      layout: row.layout === null ? null : (JSON.parse(row.layout) as PaneLayout),
      updatedAt: row.updated_at,
    };
  }

  private readContent(row: WindowRow): Content {
    if (row.kind === 'plot') {
      const plot: PlotContent = { kind: 'plot', traces: this.traces.read(row.env, row.id, row.rev) };
      if (row.content !== null) plot.layout = (JSON.parse(row.content) as Pick<PlotContent, 'layout'>).layout;
      return plot;
    }
    const stored = JSON.parse(row.content ?? 'null') as Content | ImageMeta;
    if (stored.kind === 'graph' && stored.run !== null) {
      const runs = this.runs.list(row.env, row.id);
      const run = { ...stored.run, layers: this.runs.withChannels(stored.run.runId, stored.run.layers) };
      return runs.length === 0 ? { ...stored, run } : { ...stored, run, runs };
    }
    if (stored.kind !== 'image') return stored;
    const images = stored.images.map((img, i) => ({ ...img, url: imageUrl(row.env, row.id, i, row.rev) }));
    return { ...stored, images };
  }
}

/** One window, as {@link SqliteStore.settled} names the only one a write changes. */
type WindowKey = { env: string; win: string };

type ImageInput = Extract<CreateWindowInput['content'], { kind: 'image' }>;

function imageMeta(content: ImageInput): ImageMeta {
  const meta: ImageMeta = {
    kind: 'image',
    nrow: content.nrow,
    padding: content.padding,
    images: content.images.map((img) => {
      const ref: Omit<ImageRef, 'url'> = { mime: MIME[img.encoding], width: img.width, height: img.height };
      if (img.caption !== undefined) ref.caption = img.caption;
      return ref;
    }),
  };
  if (content.selected !== undefined) meta.selected = content.selected;
  return meta;
}
