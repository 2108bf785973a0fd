/**
 * Runs' feature-map index, per-channel statistics and filters. A graph window
 * keeps its runs (`runs` rows keyed by env, window and run, in `seq` order,
 * with each run's info, graph and layers); forking an env copies those rows,
 * not the maps, and the maps go when no window keeps the run. The maps' bytes are in the run's file (see
 * run-files.ts): a dropped run is listed in {@link RunTable.dropped} for the
 * store to remove its file once the transaction has committed (a rolled-back
 * drop must keep it).
 * Filters are the model's weights, the same in every run: they are written
 * once per model and read through any run of it.
 * @module
 */
import type { Database } from 'better-sqlite3';
import type { AnalysisRun, LayerGraph, RunInfo } from '@cnnvis/protocol';
import { isFileChannels, packChannels, readChannels, readLayers, unpackChannels, type ChannelArrays, type FileChannels, type InputThumbnail } from '@cnnvis/worker/pool';
import type { RunBlobs, StoredFilter, StoredMap, StoredRun, StoredRunInfo } from './analysis-store';
import { prepareStatements, type Prepared } from './prepare-statements';

type MapRow = { tensor: string; shape: string; channel_min: Buffer; channel_max: Buffer; offset: number; length: number };
type InfoRow = { id: string; model: string; info: string; thumbed: number };
type RunRow = InfoRow & { env: string; win: string; graph: string; run: string };
type FilterRow = { node: string; shape: string; min: number; max: number; histogram: string; data: Buffer };

/** A typed array's bytes, for a BLOB (little-endian, as every platform Node runs on). */
function blobOf(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** A BLOB's bytes, copied when SQLite's buffer is not aligned for `size`-byte elements. */
function aligned(blob: Buffer, size: number): Buffer {
  return blob.byteOffset % size === 0 ? blob : Buffer.from(blob);
}

function floats(blob: Buffer): Float32Array {
  const b = aligned(blob, 4);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

/** The `stats` of a run whose statistics stay in its maps file (the column is NOT NULL). */
const EMPTY = new Uint8Array(0);

const SQL = {
  insertRun: `INSERT INTO runs (env, win, id, model, seq, info, graph, run, thumb, thumb_shape)
              VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM runs WHERE env = ? AND win = ?), ?, ?, ?, ?, ?)`,
  listRuns: 'SELECT id, model, info, thumb IS NOT NULL AS thumbed FROM runs WHERE env = ? AND win = ? ORDER BY seq',
  selectRun: 'SELECT env, win, id, model, info, graph, run, thumb IS NOT NULL AS thumbed FROM runs WHERE id = ? LIMIT 1',
  selectThumb: 'SELECT thumb, thumb_shape FROM runs WHERE id = ? AND thumb IS NOT NULL LIMIT 1',
  oldRuns: 'SELECT id FROM runs WHERE env = ? AND win = ? ORDER BY seq DESC LIMIT -1 OFFSET ?',
  deleteRun: 'DELETE FROM runs WHERE env = ? AND win = ? AND id = ?',
  insertMap: 'INSERT OR REPLACE INTO run_map_ranges (run, tensor, shape, channel_min, channel_max, offset, length) VALUES (?, ?, ?, ?, ?, ?, ?)',
  insertFilter: 'INSERT INTO model_filters (model, node, shape, min, max, histogram, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
  hasFilter: 'SELECT 1 FROM model_filters WHERE model = ? AND node = ?',
  filterNodes: 'SELECT node FROM model_filters WHERE model = ?',
  selectMap: 'SELECT tensor, shape, channel_min, channel_max, offset, length FROM run_map_ranges WHERE run = ? AND tensor = ?',
  selectFilter: `SELECT f.node, f.shape, f.min, f.max, f.histogram, f.data
                   FROM runs r JOIN model_filters f ON f.model = r.model WHERE r.id = ? AND f.node = ? LIMIT 1`,
  runsOf: 'SELECT id FROM runs WHERE env = ? AND win = ?',
  runsOfEnv: 'SELECT DISTINCT id FROM runs WHERE env = ?',
  hasRun: 'SELECT 1 FROM runs WHERE id = ? LIMIT 1',
  deleteRow: 'DELETE FROM runs WHERE env = ? AND win = ?',
  deleteMaps: 'DELETE FROM run_map_ranges WHERE run = ?',
  insertStats: 'INSERT OR REPLACE INTO run_channel_stats (run, counts, stats, stats_at) VALUES (?, ?, ?, ?)',
  selectStats: 'SELECT counts, stats, stats_at FROM run_channel_stats WHERE run = ?',
  deleteStats: 'DELETE FROM run_channel_stats WHERE run = ?',
};

export class RunTable {
  private readonly sql: Prepared<typeof SQL>;
  /** Runs dropped by the current transaction, whose files go when it commits. */
  readonly dropped: string[] = [];

  /** `mapsPath`: where a run's maps file is (statistics left there are read from it). */
  constructor(
    db: Database,
    private readonly mapsPath: (runId: string) => string,
  ) {
    this.sql = prepareStatements(db, SQL);
  }

  /** The conv nodes of a model whose filters are stored. */
  filterNodes(modelId: string): Set<string> {
    return new Set((this.sql.filterNodes.all(modelId) as Array<{ node: string }>).map((r) => r.node));
  }

  /**
   * Keep a run in window (env, win): its blobs, its info, graph and layers,
   * and its layers' per-channel statistics (`run.channels` as they came, or
   * packed from the layers; statistics still in the run's maps file stay
   * there, and only where they lie is written); returns the run with empty
   * channels, for the window's JSON. Call inside the window's transaction.
   */
  write(env: string, win: string, blobs: RunBlobs, run: AnalysisRun, graph: LayerGraph): AnalysisRun {
    const packed = blobs.channels === undefined ? packChannels(run.layers) : { layers: run.layers, ...blobs.channels };
    const bare: AnalysisRun = { ...run, layers: packed.layers };
    const info: StoredRunInfo = blobs.info ?? { modelName: null, step: null, label: null, createdAt: Date.now(), inputShape: [] };
    const t = blobs.thumbnail;
    const thumb = t === undefined ? [null, null] : [t.data, JSON.stringify([t.channels, t.height, t.width])];
    this.sql.insertRun.run(env, win, blobs.runId, blobs.modelId, env, win, JSON.stringify(info), JSON.stringify(graph), JSON.stringify(bare), ...thumb);
    if (isFileChannels(packed)) this.sql.insertStats.run(blobs.runId, blobOf(packed.channelCounts), EMPTY, packed.statsAt);
    else this.sql.insertStats.run(blobs.runId, blobOf(packed.channelCounts), blobOf(packed.channelStats), null);
    for (const m of blobs.maps) {
      this.sql.insertMap.run(blobs.runId, m.tensor, JSON.stringify(m.shape), blobOf(m.channelMin), blobOf(m.channelMax), m.offset, m.length);
    }
    for (const f of blobs.filters) {
      if (this.sql.hasFilter.get(blobs.modelId, f.node) !== undefined) continue;
      this.sql.insertFilter.run(blobs.modelId, f.node, JSON.stringify(f.shape), f.min, f.max, JSON.stringify(f.histogram), f.data);
    }
    return bare;
  }

  /** Drop the runs of window (env, win) past its `keep` newest (and their blobs, unless another window keeps them). */
  trim(env: string, win: string, keep: number): void {
    for (const { id } of this.sql.oldRuns.all(env, win, keep) as Array<{ id: string }>) {
      this.sql.deleteRun.run(env, win, id);
      this.collect(id);
    }
  }

  /** The runs window (env, win) keeps, oldest first. */
  list(env: string, win: string): RunInfo[] {
    return (this.sql.listRuns.all(env, win) as InfoRow[]).map(infoOf);
  }

  /** A kept run, its layers' channels filled in; undefined when no window keeps it. */
  get(runId: string): StoredRun | undefined {
    const row = this.sql.selectRun.get(runId) as RunRow | undefined;
    if (row === undefined) return undefined;
    const run = JSON.parse(row.run) as AnalysisRun;
    return { env: row.env, win: row.win, info: infoOf(row), graph: JSON.parse(row.graph) as LayerGraph, run: { ...run, layers: this.withChannels(runId, run.layers) } };
  }

  thumbnail(runId: string): InputThumbnail | undefined {
    const row = this.sql.selectThumb.get(runId) as { thumb: Buffer; thumb_shape: string } | undefined;
    if (row === undefined) return undefined;
    const [channels, height, width] = JSON.parse(row.thumb_shape) as [1 | 3, number, number];
    return { width, height, channels, data: row.thumb };
  }

  /**
   * A run's layers with their per-channel statistics filled in (as stored by
   * {@link write}); as given when none are stored, or when those left in the
   * run's maps file cannot be read (a window must still load without them).
   */
  withChannels(runId: string, layers: AnalysisRun['layers']): AnalysisRun['layers'] {
    const row = this.sql.selectStats.get(runId) as { counts: Buffer; stats: Buffer; stats_at: number | null } | undefined;
    if (row === undefined) return layers;
    const c = aligned(row.counts, 4);
    const channelCounts = new Uint32Array(c.buffer, c.byteOffset, c.byteLength / 4);
    if (row.stats_at !== null) {
      try {
        return readLayers(this.mapsPath(runId), layers, { channelCounts, statsAt: row.stats_at });
      } catch {
        return layers;
      }
    }
    const s = aligned(row.stats, 8);
    const channelStats = new Float64Array(s.buffer, s.byteOffset, s.byteLength / 8);
    return unpackChannels({ layers, channelCounts, channelStats });
  }

  /** Statistics as given to {@link write}, as arrays: read from run `runId`'s maps file where they lie there. */
  arraysOf(runId: string, channels: ChannelArrays | FileChannels): ChannelArrays {
    return readChannels(this.mapsPath(runId), channels);
  }

  has(runId: string): boolean {
    return this.sql.hasRun.get(runId) !== undefined;
  }

  getMap(runId: string, tensor: string): StoredMap | undefined {
    const row = this.sql.selectMap.get(runId, tensor) as MapRow | undefined;
    if (row === undefined) return undefined;
    const shape = JSON.parse(row.shape) as number[];
    return { tensor: row.tensor, shape, channelMin: floats(row.channel_min), channelMax: floats(row.channel_max), offset: row.offset, length: row.length };
  }

  getFilter(runId: string, node: string): StoredFilter | undefined {
    const row = this.sql.selectFilter.get(runId, node) as FilterRow | undefined;
    if (row === undefined) return undefined;
    const histogram = JSON.parse(row.histogram) as StoredFilter['histogram'];
    return { node: row.node, shape: JSON.parse(row.shape) as number[], min: row.min, max: row.max, histogram, data: row.data };
  }

  /** The window keeps no runs any more; drop their blobs where no other window keeps them. */
  deleteWindow(env: string, win: string): void {
    const rows = this.sql.runsOf.all(env, win) as Array<{ id: string }>;
    if (rows.length === 0) return;
    this.sql.deleteRow.run(env, win);
    for (const { id } of rows) this.collect(id);
  }

  /** The runs an env's windows show (read before deleting the env's rows, then {@link collect} each). */
  runsOfEnv(env: string): string[] {
    return (this.sql.runsOfEnv.all(env) as Array<{ id: string }>).map((r) => r.id);
  }

  /** Drop a run's maps unless a window still shows it (its model's filters stay with the model). */
  collect(runId: string): void {
    if (this.has(runId)) return;
    this.sql.deleteMaps.run(runId);
    this.sql.deleteStats.run(runId);
    this.dropped.push(runId);
  }
}

/** The URL of a run's input thumbnail. */
export const thumbnailUrl = (runId: string) => `/api/runs/${encodeURIComponent(runId)}/thumbnail`;

function infoOf(row: InfoRow): RunInfo {
  const info = JSON.parse(row.info) as StoredRunInfo;
  return { runId: row.id, modelId: row.model, ...info, thumbnail: row.thumbed ? thumbnailUrl(row.id) : null };
}
