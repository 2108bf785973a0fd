/**
 * The default {@link WindowStore} and {@link AnalysisStore}: one SQLite file in the data dir. Every
 * method runs in one transaction, so a change is either whole or absent, and
 * is on disk before the caller acknowledges it. The hot path of a training
 * loop is the exception: plain appends to a plot's traces and image panes
 * replaced are made durable by one line in the write journal and reach SQLite
 * in batches (write-batch.ts); every other method settles the batch first, so
 * it sees them.
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
  type UpdateOp,
  type Window,
  type WindowOpts,
} from '@cnnvis/protocol';
import { CnnvisError } from '../errors';
import { imageUrl } from '../images/image-url';
import { SERVER_DEFAULTS } from '../options';
import type { AnalysisStore, StoredFilter, StoredMapRef, StoredModel } from './analysis-store';
import { BlobLog } from './blob-log';
import { ImageTable } from './image-table';
import { ModelTable } from './model-table';
import { openDatabase } from './open-database';
import { createRunFiles, type RunFiles } from './run-files';
import { TraceTable } from './trace-table';
import { RunTable } from './run-table';
import { prepareWindowStatements, type WindowStatements } from './window-statements';
import { tooManyWindows } from './limit-errors';
import { withLazyChannels } from './lazy-channels';
import type { AppliedUpdate, CreateWindowInput, StoreLimits, StoredImage, WindowStore, WindowSummary } from './window-store';
import { WriteBatch } from './write-batch';
import { WriteJournal } from './write-journal';

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
  private readonly journal: WriteJournal;
  private readonly batch: WriteBatch;
  /**
   * Summaries read since their window last changed kind, opts or traces: every Visdom append
   * reads one, and a plain append (the batched path) changes none of it. Every other write
   * forgets its window's (or, for env-wide writes, all of them).
   */
  private readonly summaries = new Map<string, WindowSummary>();
  /**
   * Envs seen to exist: every create asks (to tell env pickers of a new one), and the
   * row query was ~8 µs of a 28×28 image's ~130 µs. Only {@link deleteEnv} removes envs.
   */
  private readonly knownEnvs = new Set<string>();

  /** `limits` default to the server's defaults; `imageSegmentBytes` sizes the blob log's segments (tests make it small). */
  constructor(dataDir: string, limits: Partial<StoreLimits> = {}, opts: { imageSegmentBytes?: number } = {}) {
    this.limits = {
      maxPointsPerTrace: limits.maxPointsPerTrace ?? SERVER_DEFAULTS.maxPointsPerTrace,
      maxWindowsPerEnv: limits.maxWindowsPerEnv ?? SERVER_DEFAULTS.maxWindowsPerEnv,
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
    this.journal = new WriteJournal(dataDir);
    this.batch = new WriteBatch(this.db, this.journal, { traces: this.traces, images: this.images, stmt: this.stmt }, this.limits.maxPointsPerTrace);
    // Only now, with the journal replayed: it may point into segments no committed row does yet.
    this.images.removeOrphanSegments();
    // Made once: building a transaction function per call costs more than a small write.
    this.createTx = this.db.transaction((input: CreateWindowInput) => this.writeWindow(input));
    this.updateTx = this.db.transaction((env: string, win: string, op: UpdateOp) => this.applyOp(env, win, op));
    // Image segments are collected only with nothing pending (a pending pane's bytes have no row
    // yet), and a batch of replaced panes may have filled several.
    this.batch.afterFlush = () => {
      while (this.images.collect());
    };
  }

  listEnvs(): EnvSummary[] {
    this.batch.settle();
    return this.stmt.envs.all() as EnvSummary[];
  }

  hasEnv(env: string): boolean {
    if (this.knownEnvs.has(env)) return true;
    const found = this.stmt.hasEnv.get(env) !== undefined;
    // Only a row outside a transaction is known to stay: a transaction's own insert may still roll back.
    if (found && !this.db.inTransaction) {
      if (this.knownEnvs.size >= CACHED_SUMMARIES) this.knownEnvs.clear();
      this.knownEnvs.add(env);
    }
    return found;
  }

  createEnv(env: string): boolean {
    const now = Date.now();
    return this.stmt.insertEnv.run(env, now, now).changes > 0;
  }

  hasWindow(env: string, win: string): boolean {
    // A window with a summary in memory exists: closing or deleting it forgets the summary.
    return this.summaries.has(summaryKey(env, win)) || this.stmt.hasWindow.get(env, win) !== undefined;
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
    this.batch.settle();
    return this.stmt.env.get(env) as EnvSummary | undefined;
  }

  createWindow(input: CreateWindowInput): Window {
    this.summaries.delete(summaryKey(input.env, input.win));
    if (input.content.kind === 'image') {
      const replaced = this.replaceImages(input.env, input.win, input.opts, input.content);
      if (replaced !== undefined) return replaced;
    }
    this.batch.settle();
    const row = this.dropRunFiles(() => this.createTx(input));
    if (input.content.kind !== 'graph') return this.mustGet(input.env, input.win);
    // Built from what was just written: reading it back would parse megabytes of graph JSON again.
    const { blobs, ...content } = input.content;
    // Packed statistics (the run's layers without channels) are unpacked only if a browser reads them.
    if (content.run !== null && blobs?.channels !== undefined) {
      const channels = blobs.channels;
      content.run = withLazyChannels(content.run, () => this.runs.arraysOf(blobs.runId, channels));
    }
    const layout = row.layout === null ? null : (JSON.parse(row.layout) as PaneLayout);
    return { env: input.env, id: input.win, kind: 'graph', opts: input.opts, content, rev: row.rev, position: row.position, layout, updatedAt: row.updated_at };
  }

  /** An image pane replaced on the batched path; undefined when it is not an image pane yet. */
  private replaceImages(env: string, win: string, opts: WindowOpts, content: ImageInput): Window | undefined {
    const meta = imageMeta(content);
    const put = this.batch.tryImage({
      env,
      win,
      opts: JSON.stringify(opts),
      content: JSON.stringify(meta),
      images: content.images,
    });
    if (put === undefined) return undefined;
    const images = meta.images.map((img, i) => ({ ...img, url: imageUrl(env, win, i, put.rev) }));
    return { env, id: win, kind: 'image', opts, content: { ...meta, images }, ...put };
  }

  private writeWindow({ env, win, content, opts }: CreateWindowInput): WrittenRow {
    // One scan of the env's windows gives both the next position and the count to check.
    const { n, count } = this.stmt.nextPosition.get(env) as { n: number; count: number };
    if (count >= this.limits.maxWindowsPerEnv && !this.hasWindow(env, win)) throw tooManyWindows(env, this.limits.maxWindowsPerEnv);
    const now = Date.now();
    this.stmt.touchEnv.run(env, now, now);
    this.clearContent(env, win);
    let stored: string | null = null;
    // Text, properties and network panes are small JSON documents, stored whole.
    if (content.kind === 'text' || content.kind === 'properties' || content.kind === 'network') stored = JSON.stringify(content);
    if (content.kind === 'graph') {
      let run = content.run;
      // The run's per-channel statistics go to their own table, packed; its JSON keeps empty channels.
      if (run !== null && content.blobs !== undefined) run = { ...run, layers: this.runs.write(env, win, content.blobs, run.layers) };
      stored = JSON.stringify({ kind: 'graph', graph: content.graph, run });
    }
    if (content.kind === 'image') stored = JSON.stringify(imageMeta(content));
    // A plot's points live in traces/chunks; its row keeps only the plotly layout passed through, if any.
    if (content.kind === 'plot' && content.layout !== undefined) stored = JSON.stringify({ layout: content.layout });
    const row = this.stmt.upsert.get({ env, id: win, kind: content.kind, opts: JSON.stringify(opts), content: stored, position: n, now }) as WrittenRow;
    const { rev } = row;
    if (content.kind === 'plot') this.traces.create(env, win, rev, content.traces);
    if (content.kind === 'image') this.images.write(env, win, content.images);
    return row;
  }

  updateWindow(env: string, win: string, op: UpdateOp): AppliedUpdate {
    const batched = this.batch.tryAppend(env, win, op);
    if (batched !== undefined) return batched;
    // Any other op may change what a summary holds: opts, or trace names (remove, replace, append to a new name).
    this.summaries.delete(summaryKey(env, win));
    this.batch.settle();
    return this.updateTx(env, win, op);
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
    this.batch.settle();
    const row = this.stmt.window.get(env, win) as WindowRow | undefined;
    return row === undefined ? undefined : this.toWindow(row);
  }

  listWindows(env: string): Window[] | undefined {
    this.batch.settle();
    if (!this.hasEnv(env)) return undefined;
    return (this.stmt.windows.all(env) as WindowRow[]).map((row) => this.toWindow(row));
  }

  closeWindow(env: string, win: string): boolean {
    this.summaries.delete(summaryKey(env, win));
    this.batch.settle();
    const tx = this.db.transaction(() => {
      this.clearContent(env, win);
      return this.stmt.deleteWindow.run(env, win).changes > 0;
    });
    return this.dropRunFiles(tx);
  }

  forkEnv(from: string, to: string): EnvSummary {
    this.summaries.clear();
    this.batch.settle();
    this.db.transaction(() => {
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
    })();
    return this.getEnv(to) as EnvSummary;
  }

  deleteEnv(env: string): boolean {
    this.summaries.clear();
    this.knownEnvs.delete(env);
    this.batch.settle();
    const tx = this.db.transaction(() => {
      const runs = this.runs.runsOfEnv(env);
      for (const table of ['traces', 'chunks', 'images', 'runs']) {
        this.db.prepare(`DELETE FROM ${table} WHERE env = ?`).run(env);
      }
      for (const run of runs) this.runs.collect(run);
      return this.stmt.deleteEnv.run(env).changes > 0;
    });
    return this.dropRunFiles(tx);
  }

  /**
   * Runs `tx` (a transaction that may drop content) and then, only if it committed,
   * removes the files of the runs it dropped and reclaims image segments.
   */
  private dropRunFiles<T>(tx: () => T): T {
    try {
      const result = tx();
      for (const runId of this.runs.dropped) this.runFiles.remove(runId);
      this.images.collect();
      return result;
    } finally {
      this.runs.dropped.length = 0;
    }
  }

  saveLayout(env: string, items: readonly LayoutItem[]): void {
    this.batch.settle();
    this.db.transaction(() => {
      if (!this.hasEnv(env)) throw CnnvisError.notFound(`env '${env}' not found`);
      for (const { win, ...layout } of items) {
        this.stmt.setLayout.run(JSON.stringify(layout satisfies PaneLayout), env, win);
      }
    })();
  }

  getImage(env: string, win: string, index: number): StoredImage | undefined {
    this.batch.settle();
    return this.images.get(env, win, index);
  }

  saveModel(model: Omit<StoredModel, 'createdAt'>): void {
    this.models.save(model);
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
    this.batch.flush();
    this.journal.close();
    this.db.close();
    this.runFiles.dispose();
    this.blobs.close();
  }

  private clearContent(env: string, win: string): void {
    this.stmt.deleteTraces.run(env, win);
    this.stmt.deleteChunks.run(env, win);
    this.images.deleteWindow(env, win);
    this.runs.deleteWindow(env, win);
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
      return { ...stored, run: { ...stored.run, layers: this.runs.withChannels(stored.run.runId, stored.run.layers) } };
    }
    if (stored.kind !== 'image') return stored;
    const images = stored.images.map((img, i) => ({ ...img, url: imageUrl(row.env, row.id, i, row.rev) }));
    return { ...stored, images };
  }
}

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
