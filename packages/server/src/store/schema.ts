/**
 * The SQLite schema. Plot points live in append-only chunks, a row per transaction that adds some,
 * so an append's cost does not grow with the line; image bytes live in segment files (blob-log.ts)
 * and feature maps in one file per run, both indexed here. Tables whose rows may be large keep
 * their rowid: in a WITHOUT ROWID table, one big row slowed every key comparison that met it.
 * @module
 */

/** Kept in `user_version`; a file of any other version is refused, never migrated. */
export const SCHEMA_VERSION = 3;

/**
 * Tables whose rows may be large (content and spec JSON, points, blobs) keep their rowid: in a
 * WITHOUT ROWID table every key comparison that meets a row spilling onto overflow pages reads the
 * whole row, so one big chunk slowed every insert beside it.
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS envs (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS windows (
  env TEXT NOT NULL REFERENCES envs(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  opts TEXT NOT NULL,
  content TEXT,            -- JSON for text and image windows; NULL for plots (see traces)
  position INTEGER NOT NULL,
  layout TEXT,             -- JSON {x,y,w,h} or NULL
  rev INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (env, id)
);

-- One row per plot trace: its plotly spec without x/y (a heatmap's z stays here), and
-- how many points its chunks hold, so --max-points-per-trace costs no read of them.
CREATE TABLE IF NOT EXISTS traces (
  env TEXT NOT NULL,
  win TEXT NOT NULL,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  spec TEXT NOT NULL,
  points INTEGER NOT NULL,
  PRIMARY KEY (env, win, idx)
);

-- Points of a trace: one row per trace touched by a create, append or replace (the
-- appends of one transaction share one), keyed by the window's rev at that change, so
-- rows read back in order straight from the key's index.
CREATE TABLE IF NOT EXISTS chunks (
  env TEXT NOT NULL,
  win TEXT NOT NULL,
  seq INTEGER NOT NULL,
  part INTEGER NOT NULL,
  trace TEXT NOT NULL,
  xs TEXT NOT NULL,
  ys TEXT NOT NULL,
  PRIMARY KEY (env, win, seq, part)
);

CREATE TABLE IF NOT EXISTS images (
  env TEXT NOT NULL,
  win TEXT NOT NULL,
  idx INTEGER NOT NULL,
  encoding TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  channels INTEGER NOT NULL,
  seg INTEGER NOT NULL,     -- where the bytes are in <dataDir>/images (blob-log.ts)
  off INTEGER NOT NULL,
  len INTEGER NOT NULL,
  PRIMARY KEY (env, win, idx)
) WITHOUT ROWID;

-- Uploaded models, named by SHA-256; the bytes are files in <dataDir>/models.
CREATE TABLE IF NOT EXISTS models (
  id TEXT PRIMARY KEY,
  bytes INTEGER NOT NULL,
  graph TEXT NOT NULL,      -- the parsed LayerGraph, JSON
  created_at INTEGER NOT NULL
);

-- The analysis runs a graph window keeps (--max-runs-per-window; the oldest go first), in
-- seq order, the last being the one the window shows; a forked env shares the runs' blobs,
-- which go when the last window keeping a run does. The small columns come before the large
-- ones, since SQLite walks a row's overflow pages to reach a column after them.
CREATE TABLE IF NOT EXISTS runs (
  env TEXT NOT NULL,
  win TEXT NOT NULL,
  id TEXT NOT NULL,
  model TEXT NOT NULL,
  seq INTEGER NOT NULL,
  info TEXT NOT NULL,       -- JSON: step, label, modelName, createdAt, inputShape
  graph TEXT NOT NULL,      -- the run_graphs row of the LayerGraph with the shapes this run observed
  thumb_shape TEXT,         -- JSON [channels, height, width], or NULL
  run TEXT NOT NULL,        -- JSON AnalysisRun, layers without channels (see run_channel_stats)
  thumb BLOB,               -- the input's thumbnail: uint8 planar pixels
  PRIMARY KEY (env, win, id)
);
CREATE INDEX IF NOT EXISTS runs_by_id ON runs (id);
CREATE INDEX IF NOT EXISTS runs_by_graph ON runs (graph);

-- Runs' graphs, each once by the SHA-256 of its JSON: a training loop's runs of one model
-- share one (a DenseNet-121's is 390 KB).
CREATE TABLE IF NOT EXISTS run_graphs (
  hash TEXT PRIMARY KEY,
  used_at INTEGER NOT NULL, -- when a run last had it (see runs.ts's collectRuns)
  graph TEXT NOT NULL
);

-- Where each feature map of a run lies in its file <dataDir>/runs/<run>.maps
-- (the bytes stay out of the database: see run-files.ts).
CREATE TABLE IF NOT EXISTS run_map_ranges (
  run TEXT NOT NULL,
  tensor TEXT NOT NULL,
  shape TEXT NOT NULL,      -- JSON [C,H,W] or [N]
  channels INTEGER NOT NULL,
  ranges_at INTEGER NOT NULL, -- in the run's file: float32 minima of the channels, then their maxima
  offset INTEGER NOT NULL,  -- bytes into the run's file: uint8, quantised per channel
  length INTEGER NOT NULL,
  PRIMARY KEY (run, tensor)
);

-- A run's per-channel statistics (11,200 for a ResNet-18), packed: as JSON in the
-- window's content they were slow to write and to read. The window's run.layers
-- keep empty channels; reading the window fills them from here.
-- A pooled run's statistics stay in its maps file, after the maps (stats_at: their
-- offset there, stats empty), so they are not copied a second time.
CREATE TABLE IF NOT EXISTS run_channel_stats (
  run TEXT PRIMARY KEY,
  counts BLOB NOT NULL,     -- uint32 little-endian, channels per layer in layer order
  stats BLOB NOT NULL,      -- float64 little-endian, 7 per channel (min,max,mean,std,zeros,nan,inf; NaN = null)
  stats_at INTEGER          -- NULL: in stats; else those bytes lie in the run's maps file from here
);

-- Where a run's input as its request gave it (a float32 tensor, or a PNG/JPEG it preprocessed)
-- lies in the run's maps file, so an attribution of the run replays it exactly.
CREATE TABLE IF NOT EXISTS run_inputs (
  run TEXT PRIMARY KEY,
  encoding TEXT NOT NULL,   -- 'float32', 'png' or 'jpeg'
  shape TEXT,               -- JSON, for a tensor
  at INTEGER NOT NULL,      -- byte offset in the maps file
  length INTEGER NOT NULL
);

-- The heatmaps of a run's attributions (the newest MAX_KEPT_ATTRIBUTIONS), oldest first.
CREATE TABLE IF NOT EXISTS run_attributions (
  run TEXT NOT NULL,
  id INTEGER NOT NULL,
  info TEXT NOT NULL,       -- JSON KeptAttribution without its id and heatmap
  heatmap BLOB NOT NULL,    -- float32 little-endian, H·W row-major
  PRIMARY KEY (run, id)
);

-- A conv layer's weights belong to the model, not to a run: stored once per model,
-- read through any run of it.
CREATE TABLE IF NOT EXISTS model_filters (
  model TEXT NOT NULL,
  node TEXT NOT NULL,
  shape TEXT NOT NULL,      -- JSON [O,I,kh,kw]
  min REAL NOT NULL,
  max REAL NOT NULL,
  histogram TEXT NOT NULL,  -- JSON {edges,counts}
  data BLOB NOT NULL,       -- uint8, quantised over the whole tensor
  PRIMARY KEY (model, node)
);
`;
