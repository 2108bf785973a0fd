/**
 * Runs' feature-map index, per-channel statistics and filters. A run belongs
 * to the graph window that shows it (`runs` row keyed by env and window);
 * forking an env copies that row, not the maps, and the maps go when no
 * window shows the run. The maps' bytes are in the run's file (see
 * run-files.ts): a dropped run is listed in {@link RunTable.dropped} for the
 * store to remove its file once the transaction has committed (a rolled-back
 * drop must keep it).
 * Filters are the model's weights, the same in every run: they are written
 * once per model and read through any run of it.
 * @module
 */
import type { Database } from 'better-sqlite3';
import type { LayerResult } from '@cnnvis/protocol';
import { isFileChannels, packChannels, readChannels, readLayers, unpackChannels, type ChannelArrays, type FileChannels } from '@cnnvis/worker/pool';
import type { RunBlobs, StoredFilter, StoredMap } from './analysis-store';
import { prepareStatements, type Prepared } from './prepare-statements';

type MapRow = { tensor: string; shape: string; channel_min: Buffer; channel_max: Buffer; offset: number; length: number };
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
  insertRun: 'INSERT INTO runs (env, win, id, model) VALUES (?, ?, ?, ?)',
  insertMap: 'INSERT OR REPLACE INTO run_map_ranges (run, tensor, shape, channel_min, channel_max, offset, length) VALUES (?, ?, ?, ?, ?, ?, ?)',
  insertFilter: 'INSERT INTO model_filters (model, node, shape, min, max, histogram, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
  hasFilter: 'SELECT 1 FROM model_filters WHERE model = ? AND node = ?',
  filterNodes: 'SELECT node FROM model_filters WHERE model = ?',
  selectMap: 'SELECT tensor, shape, channel_min, channel_max, offset, length FROM run_map_ranges WHERE run = ? AND tensor = ?',
  selectFilter: `SELECT f.node, f.shape, f.min, f.max, f.histogram, f.data
                   FROM runs r JOIN model_filters f ON f.model = r.model WHERE r.id = ? AND f.node = ? LIMIT 1`,
  runOf: 'SELECT id FROM runs WHERE env = ? AND win = ?',
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
   * Write a run's blobs as shown by window (env, win), and its layers'
   * per-channel statistics (`run.channels` as they came, or packed from
   * `layers`; statistics still in the run's maps file stay there, and only
   * where they lie is written); returns the layers with empty channels, for
   * the window's JSON. Call inside the window's transaction.
   */
  write(env: string, win: string, run: RunBlobs, layers: LayerResult[]): LayerResult[] {
    this.sql.insertRun.run(env, win, run.runId, run.modelId);
    const packed = run.channels === undefined ? packChannels(layers) : { layers, ...run.channels };
    if (isFileChannels(packed)) this.sql.insertStats.run(run.runId, blobOf(packed.channelCounts), EMPTY, packed.statsAt);
    else this.sql.insertStats.run(run.runId, blobOf(packed.channelCounts), blobOf(packed.channelStats), null);
    for (const m of run.maps) {
      this.sql.insertMap.run(run.runId, m.tensor, JSON.stringify(m.shape), blobOf(m.channelMin), blobOf(m.channelMax), m.offset, m.length);
    }
    for (const f of run.filters) {
      if (this.sql.hasFilter.get(run.modelId, f.node) !== undefined) continue;
      this.sql.insertFilter.run(run.modelId, f.node, JSON.stringify(f.shape), f.min, f.max, JSON.stringify(f.histogram), f.data);
    }
    return packed.layers;
  }

  /**
   * A run's layers with their per-channel statistics filled in (as stored by
   * {@link write}); as given when none are stored, or when those left in the
   * run's maps file cannot be read (a window must still load without them).
   */
  withChannels(runId: string, layers: LayerResult[]): LayerResult[] {
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

  /** The window no longer shows its run; drop the blobs if no other window does. */
  deleteWindow(env: string, win: string): void {
    const row = this.sql.runOf.get(env, win) as { id: string } | undefined;
    if (row === undefined) return;
    this.sql.deleteRow.run(env, win);
    this.collect(row.id);
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
