/**
 * Runs and models, the same on both stores (see sql-steps.ts). A graph window keeps its runs; a run
 * no window keeps goes with its rows, and its id is returned so the store removes its maps file
 * only once the drop has committed (a rolled-back drop keeps it).
 * @module
 */
import { MAX_KEPT_ATTRIBUTIONS, type AnalysisRun, type KeptAttribution, type LayerGraph, type RunInfo } from '@cnnvis/protocol';
import { isFileChannels, packChannels, readLayers, unpackChannels, type InputThumbnail } from '@cnnvis/worker/pool';
import type { NewAttribution, RunBlobs, StoredFilter, StoredMap, StoredModel, StoredRun, StoredRunInfo, StoredRunInput } from './analysis-store';
import { inputRefOf, mapIndexOf, readMapRanges, readRunInput, type MapIndexRow, type RunInputRow } from './run-file-tail';
import { createHash } from 'node:crypto';
import { exec, first, query, type Steps } from './sql-steps';

type InfoRow = { id: string; model: string; info: string; thumbed: boolean | number };
type RunRow = InfoRow & { env: string; win: string; graph: string; run: string };

/** A typed array's bytes, for a BLOB/BYTEA (little-endian, as every platform Node runs on). */
const bytesOf = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/** A column's bytes as a typed array, copied when the driver's buffer is not aligned for its elements. */
function arrayOf<A>(blob: Buffer, Typed: { new (buffer: ArrayBufferLike, offset: number, length: number): A; BYTES_PER_ELEMENT: number }): A {
  const b = blob.byteOffset % Typed.BYTES_PER_ELEMENT === 0 ? blob : Buffer.from(blob);
  return new Typed(b.buffer, b.byteOffset, b.byteLength / Typed.BYTES_PER_ELEMENT);
}

/** Map rows one INSERT takes (7 parameters each, within both databases' limits). */
const MAPS_PER_INSERT = 100;

/**
 * By graph object: a training loop's runs of one model hand the store the same graph object
 * (the worker pool sends a graph once), never changed: its JSON and hash are made once, not on every call.
 */
const graphRows = new WeakMap<LayerGraph, { hash: string; json: string }>();

/** A run's graph as its `run_graphs` row holds it: its JSON, and that JSON's SHA-256, the row's key. */
function graphRow(graph: LayerGraph): { hash: string; json: string } {
  let row = graphRows.get(graph);
  if (row === undefined) {
    const json = JSON.stringify(graph);
    row = { hash: createHash('sha256').update(json).digest('hex'), json };
    graphRows.set(graph, row);
  }
  return row;
}

/** The URL of a run's input thumbnail. */
export const thumbnailUrl = (runId: string) => `/api/runs/${encodeURIComponent(runId)}/thumbnail`;

function infoOf(row: InfoRow): RunInfo {
  return { runId: row.id, modelId: row.model, ...(JSON.parse(row.info) as StoredRunInfo), thumbnail: row.thumbed ? thumbnailUrl(row.id) : null };
}

export function* saveModel(model: Omit<StoredModel, 'createdAt'>): Steps<void> {
  yield* exec(
    `INSERT INTO models (id, bytes, graph, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET bytes = excluded.bytes, graph = excluded.graph, created_at = excluded.created_at`,
    model.id, model.bytes, JSON.stringify(model.graph), Date.now());
}

export function* getModel(id: string): Steps<StoredModel | undefined> {
  const row = yield* first<{ id: string; bytes: number; graph: string; created_at: number }>('SELECT id, bytes, graph, created_at FROM models WHERE id = ?', id);
  return row && { id: row.id, bytes: row.bytes, graph: JSON.parse(row.graph) as LayerGraph, createdAt: row.created_at };
}

/**
 * Keep a run in window (env, win): its blobs, its info, graph and layers, and its layers'
 * per-channel statistics (`blobs.channels` as they came, or packed from the layers; statistics
 * still in the run's maps file stay there, and only where they lie is written); returns the
 * run with empty channels, for the window's JSON. Runs inside the window's write.
 */
export function* writeRun(env: string, win: string, blobs: RunBlobs, run: AnalysisRun, graph: LayerGraph): Steps<AnalysisRun> {
  const packed = blobs.channels === undefined ? packChannels(run.layers) : { layers: run.layers, ...blobs.channels };
  const bare: AnalysisRun = { ...run, layers: packed.layers };
  const info: StoredRunInfo = blobs.info ?? { modelName: null, step: null, label: null, createdAt: Date.now(), inputShape: [] };
  const t = blobs.thumbnail;
  // The graph is kept once for all the runs that have it; touching used_at first locks its row, so that
  // another server's collectRuns cannot drop it under this run (see there).
  const g = graphRow(graph);
  yield* exec('INSERT INTO run_graphs (hash, used_at, graph) VALUES (?, ?, ?) ON CONFLICT (hash) DO UPDATE SET used_at = excluded.used_at', g.hash, Date.now(), g.json);
  yield* exec(
    `INSERT INTO runs (env, win, id, model, seq, info, graph, thumb_shape, run, thumb)
     VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM runs WHERE env = ? AND win = ?), ?, ?, ?, ?, ?)`,
    env, win, blobs.runId, blobs.modelId, env, win, JSON.stringify(info), g.hash,
    t === undefined ? null : JSON.stringify([t.channels, t.height, t.width]), JSON.stringify(bare), t === undefined ? null : bytesOf(t.data));
  const stats = isFileChannels(packed) ? [Buffer.alloc(0), packed.statsAt] : [bytesOf(packed.channelStats), null];
  yield* exec(
    `INSERT INTO run_channel_stats (run, counts, stats, stats_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (run) DO UPDATE SET counts = excluded.counts, stats = excluded.stats, stats_at = excluded.stats_at`,
    blobs.runId, bytesOf(packed.channelCounts), ...stats);
  const input = blobs.input;
  if (input !== undefined) {
    yield* exec(
      `INSERT INTO run_inputs (run, encoding, shape, at, length) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (run) DO UPDATE SET encoding = excluded.encoding, shape = excluded.shape, at = excluded.at, length = excluded.length`,
      blobs.runId, input.encoding, input.shape && JSON.stringify(input.shape), input.at, input.length);
  }
  // Many maps a statement: a DenseNet-121 run has 376.
  for (let i = 0; i < blobs.maps.length; i += MAPS_PER_INSERT) {
    const maps = blobs.maps.slice(i, i + MAPS_PER_INSERT);
    yield* exec(
      `INSERT INTO run_map_ranges (run, tensor, shape, channels, ranges_at, "offset", length) VALUES ${maps.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT (run, tensor) DO NOTHING`,
      ...maps.flatMap((m) => [blobs.runId, m.tensor, JSON.stringify(m.shape), m.channels, m.rangesAt, m.offset, m.length]));
  }
  for (const f of blobs.filters) {
    yield* exec(
      'INSERT INTO model_filters (model, node, shape, min, max, histogram, data) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      blobs.modelId, f.node, JSON.stringify(f.shape), f.min, f.max, JSON.stringify(f.histogram), bytesOf(f.data));
  }
  return bare;
}

/** Drop the runs of window (env, win) past its `keep` newest; returns those no window keeps now. */
export function* trimRuns(env: string, win: string, keep: number, graphGraceMs: number): Steps<string[]> {
  const old = yield* query<{ id: string }>(
    'DELETE FROM runs WHERE env = ? AND win = ? AND seq <= (SELECT MAX(seq) FROM runs WHERE env = ? AND win = ?) - ? RETURNING id', env, win, env, win, keep);
  return yield* collectRuns(old.map((r) => r.id), graphGraceMs);
}

/** Drop the runs of window (env, win), or with `win` undefined of the whole env; returns those no window keeps now. */
export function* dropRuns(env: string, win: string | undefined, graphGraceMs: number): Steps<string[]> {
  const gone = win === undefined
    ? yield* query<{ id: string }>('DELETE FROM runs WHERE env = ? RETURNING id', env)
    : yield* query<{ id: string }>('DELETE FROM runs WHERE env = ? AND win = ? RETURNING id', env, win);
  return yield* collectRuns(gone.map((r) => r.id), graphGraceMs);
}

/**
 * Drop the blobs of the runs no window keeps (their model's filters stay with the model), and the
 * graphs no run has that were last used over `graphGraceMs` ago; returns the runs' ids. SQLite's
 * one writer passes 0.
 */
function* collectRuns(ids: string[], graphGraceMs: number): Steps<string[]> {
  const dropped: string[] = [];
  for (const id of new Set(ids)) {
    if (yield* hasRun(id)) continue;
    for (const table of ['run_map_ranges', 'run_channel_stats', 'run_inputs', 'run_attributions']) yield* exec(`DELETE FROM ${table} WHERE run = ?`, id);
    dropped.push(id);
  }
  if (dropped.length > 0) {
    yield* exec('DELETE FROM run_graphs WHERE used_at <= ? AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.graph = run_graphs.hash)', Date.now() - graphGraceMs);
  }
  return dropped;
}

/** Whether any window keeps run `runId`. */
export function* hasRun(runId: string): Steps<boolean> {
  return (yield* first('SELECT 1 AS one FROM runs WHERE id = ? LIMIT 1', runId)) !== undefined;
}

/** The runs window (env, win) keeps, oldest first. */
export function* listRuns(env: string, win: string): Steps<RunInfo[]> {
  return (yield* query<InfoRow>('SELECT id, model, info, thumb_shape IS NOT NULL AS thumbed FROM runs WHERE env = ? AND win = ? ORDER BY seq', env, win)).map(infoOf);
}

/**
 * A run's layers with their per-channel statistics filled in (as {@link writeRun} stored them); as
 * given when none are stored, or when those left in the maps file at `mapsPath` cannot be read
 * (a window must still load without them).
 */
export function* withChannels(runId: string, layers: AnalysisRun['layers'], mapsPath: string): Steps<AnalysisRun['layers']> {
  const row = yield* first<{ counts: Buffer; stats: Buffer; stats_at: number | null }>('SELECT counts, stats, stats_at FROM run_channel_stats WHERE run = ?', runId);
  if (row === undefined) return layers;
  const channelCounts = arrayOf(row.counts, Uint32Array);
  if (row.stats_at === null) return unpackChannels({ layers, channelCounts, channelStats: arrayOf(row.stats, Float64Array) });
  try {
    return readLayers(mapsPath, layers, { channelCounts, statsAt: row.stats_at });
  } catch {
    return layers;
  }
}

/** A kept run's graph and its run with empty channels (see withChannels), as a window shows it. */
export function* shownRun(runId: string): Steps<{ graph: LayerGraph; run: AnalysisRun } | undefined> {
  const row = yield* first<{ graph: string; run: string }>('SELECT g.graph, r.run FROM runs r JOIN run_graphs g ON g.hash = r.graph WHERE r.id = ? LIMIT 1', runId);
  return row && { graph: JSON.parse(row.graph) as LayerGraph, run: JSON.parse(row.run) as AnalysisRun };
}

/** A kept run, its layers' channels filled in; undefined when no window keeps it. */
export function* getRun(runId: string, mapsPath: string): Steps<StoredRun | undefined> {
  const row = yield* first<RunRow>(
    `SELECT r.env, r.win, r.id, r.model, r.info, g.graph, r.run, r.thumb_shape IS NOT NULL AS thumbed
     FROM runs r JOIN run_graphs g ON g.hash = r.graph WHERE r.id = ? LIMIT 1`, runId);
  if (row === undefined) return undefined;
  const run = JSON.parse(row.run) as AnalysisRun;
  return { env: row.env, win: row.win, info: infoOf(row), graph: JSON.parse(row.graph) as LayerGraph, run: { ...run, layers: yield* withChannels(runId, run.layers, mapsPath) } };
}

export function* getThumbnail(runId: string): Steps<InputThumbnail | undefined> {
  const row = yield* first<{ thumb: Buffer; thumb_shape: string }>('SELECT thumb, thumb_shape FROM runs WHERE id = ? AND thumb IS NOT NULL LIMIT 1', runId);
  if (row === undefined) return undefined;
  const [channels, height, width] = JSON.parse(row.thumb_shape) as [1 | 3, number, number];
  return { width, height, channels, data: row.thumb };
}

export function* getMap(runId: string, tensor: string, mapsPath: string): Steps<StoredMap | undefined> {
  const row = yield* first<MapIndexRow>('SELECT tensor, shape, channels, ranges_at, "offset", length FROM run_map_ranges WHERE run = ? AND tensor = ?', runId, tensor);
  return row && readMapRanges(mapsPath, mapIndexOf(row));
}

export function* getFilter(runId: string, node: string): Steps<StoredFilter | undefined> {
  const row = yield* first<{ node: string; shape: string; min: number; max: number; histogram: string; data: Buffer }>(
    'SELECT f.node, f.shape, f.min, f.max, f.histogram, f.data FROM runs r JOIN model_filters f ON f.model = r.model WHERE r.id = ? AND f.node = ? LIMIT 1', runId, node);
  if (row === undefined) return undefined;
  return { node: row.node, shape: JSON.parse(row.shape) as number[], min: row.min, max: row.max, histogram: JSON.parse(row.histogram) as StoredFilter['histogram'], data: row.data };
}

/** The conv nodes of a model whose filters are stored. */
export function* filterNodes(modelId: string): Steps<Set<string>> {
  return new Set((yield* query<{ node: string }>('SELECT node FROM model_filters WHERE model = ?', modelId)).map((r) => r.node));
}

/** A kept run's input, read from its maps file at `mapsPath`; undefined for a run kept without it. */
export function* getRunInput(runId: string, mapsPath: string): Steps<StoredRunInput | undefined> {
  const row = yield* first<RunInputRow>('SELECT encoding, shape, at, length FROM run_inputs WHERE run = ?', runId);
  return row && readRunInput(mapsPath, inputRefOf(row));
}

/** Keep a heatmap with the run, dropping its oldest past {@link MAX_KEPT_ATTRIBUTIONS}. */
export function* addAttribution(runId: string, { heatmap, ...info }: NewAttribution): Steps<void> {
  yield* exec('INSERT INTO run_attributions (run, id, info, heatmap) VALUES (?, (SELECT COALESCE(MAX(id), 0) + 1 FROM run_attributions WHERE run = ?), ?, ?)',
    runId, runId, JSON.stringify({ ...info, createdAt: Date.now() }), bytesOf(heatmap));
  yield* exec('DELETE FROM run_attributions WHERE run = ? AND id <= (SELECT MAX(id) FROM run_attributions WHERE run = ?) - ?', runId, runId, MAX_KEPT_ATTRIBUTIONS);
}

/** The heatmaps kept with a run, oldest first. */
export function* listAttributions(runId: string): Steps<KeptAttribution[]> {
  const rows = yield* query<{ id: number; info: string; heatmap: Buffer }>('SELECT id, info, heatmap FROM run_attributions WHERE run = ? ORDER BY id', runId);
  return rows.map((row) => ({ id: row.id, ...(JSON.parse(row.info) as Omit<KeptAttribution, 'id' | 'heatmap'>), heatmap: Array.from(arrayOf(row.heatmap, Float32Array)) }));
}
