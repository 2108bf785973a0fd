/**
 * The SQLite schema. Plot points live in append-only chunks, one row per
 * append, so the cost of an append does not grow with the line; images
 * and filters live as binary blobs; feature maps live in one file per run,
 * indexed here.
 * @module
 */
export const SCHEMA_VERSION = 7;

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
) WITHOUT ROWID;

-- One row per plot trace: its plotly spec without x/y (a heatmap's z stays here), and
-- how many points its chunks hold, so --max-points-per-trace costs no read of them.
CREATE TABLE IF NOT EXISTS traces (
  env TEXT NOT NULL,
  win TEXT NOT NULL,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  spec TEXT NOT NULL,
  points INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (env, win, idx)
) WITHOUT ROWID;

-- Points of a trace: one row per trace touched by a create, append or replace,
-- keyed by the window's rev at that change, so rows read back in order straight from
-- the primary key (no second index to update on every append).
CREATE TABLE IF NOT EXISTS chunks (
  env TEXT NOT NULL,
  win TEXT NOT NULL,
  seq INTEGER NOT NULL,
  part INTEGER NOT NULL,
  trace TEXT NOT NULL,
  xs TEXT NOT NULL,
  ys TEXT NOT NULL,
  PRIMARY KEY (env, win, seq, part)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS images (
  env TEXT NOT NULL,
  win TEXT NOT NULL,
  idx INTEGER NOT NULL,
  encoding TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  channels INTEGER NOT NULL,
  data BLOB NOT NULL,      -- the bytes of rows written before schema 5; empty when in the blob log
  seg INTEGER,             -- where the bytes are in <dataDir>/images (blob-log.ts), from schema 5
  off INTEGER,
  len INTEGER,
  PRIMARY KEY (env, win, idx)
) WITHOUT ROWID;

-- The last append of the journal (append-journal.ts) that SQLite has taken: a crash
-- after a batch commits but before the journal is emptied replays nothing twice.
-- Schema 6: an older server would not read the journal, so it may not open this file.
CREATE TABLE IF NOT EXISTS journal_state (
  id INTEGER PRIMARY KEY CHECK (id = 0),
  seq INTEGER NOT NULL
);

-- Uploaded models, named by SHA-256; the bytes are files in <dataDir>/models.
CREATE TABLE IF NOT EXISTS models (
  id TEXT PRIMARY KEY,
  bytes INTEGER NOT NULL,
  graph TEXT NOT NULL,      -- the parsed LayerGraph, JSON
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The analysis run a graph window shows (one per window); a forked env shares
-- the run's blobs, which go when the last window showing the run does.
CREATE TABLE IF NOT EXISTS runs (
  env TEXT NOT NULL,
  win TEXT NOT NULL,
  id TEXT NOT NULL,
  model TEXT NOT NULL,
  PRIMARY KEY (env, win)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS runs_by_id ON runs (id);

-- Where each feature map of a run lies in its file <dataDir>/runs/<run>.maps
-- (the bytes stay out of the database: see run-files.ts). Schema 2 kept the
-- bytes here, in run_maps; those runs' maps are gone with the table.
DROP TABLE IF EXISTS run_maps;
CREATE TABLE IF NOT EXISTS run_map_ranges (
  run TEXT NOT NULL,
  tensor TEXT NOT NULL,
  shape TEXT NOT NULL,      -- JSON [C,H,W] or [N]
  channel_min BLOB NOT NULL, -- float32 little-endian, one per channel
  channel_max BLOB NOT NULL,
  offset INTEGER NOT NULL,  -- bytes into the run's file: uint8, quantised per channel
  length INTEGER NOT NULL,
  PRIMARY KEY (run, tensor)
) WITHOUT ROWID;

-- A run's per-channel statistics (11,200 for a ResNet-18), packed: as JSON in the
-- window's content they cost ~13 ms to write and as much to read. The window's
-- run.layers keep empty channels; reading the window fills them from here.
-- Schema 7: a pooled run's statistics stay in its maps file, after the maps (stats_at:
-- their offset there, stats empty); copying them into SQLite cost ~2 ms a ResNet-18 run.
CREATE TABLE IF NOT EXISTS run_channel_stats (
  run TEXT PRIMARY KEY,
  counts BLOB NOT NULL,     -- uint32 little-endian, channels per layer in layer order
  stats BLOB NOT NULL,      -- float64 little-endian, 7 per channel (min,max,mean,std,zeros,nan,inf; NaN = null)
  stats_at INTEGER          -- NULL: in stats; else those bytes lie in the run's maps file from here
) WITHOUT ROWID;

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

/**
 * Schema 3 → 4: traces gained \`points\`; count what the chunks hold. Runs once (the
 * column is then there); a fresh database gets the column from {@link SCHEMA_SQL}.
 */
export const ADD_TRACE_POINTS_SQL = `
ALTER TABLE traces ADD COLUMN points INTEGER NOT NULL DEFAULT 0;
UPDATE traces SET points = (
  SELECT COALESCE(SUM(MAX(json_array_length(c.xs), json_array_length(c.ys))), 0)
    FROM chunks c WHERE c.env = traces.env AND c.win = traces.win AND c.trace = traces.name
);
`;

/** Schema 4 → 5: images may live in the blob log. Runs once (the columns are then there). */
/** Schema 7 on a store made before it (its runs' statistics are all in `stats`). */
export const ADD_STATS_AT_SQL = `ALTER TABLE run_channel_stats ADD COLUMN stats_at INTEGER;`;

export const ADD_IMAGE_LOG_COLUMNS_SQL = `
ALTER TABLE images ADD COLUMN seg INTEGER;
ALTER TABLE images ADD COLUMN off INTEGER;
ALTER TABLE images ADD COLUMN len INTEGER;
`;

/**
 * The blob log's bookkeeping, kept by triggers so every path that deletes or
 * copies image rows (replace, close, env delete, fork) counts: \`live\` is the
 * bytes rows point at in a segment. A sealed segment at 0 is deleted.
 */
export const IMAGE_LOG_SQL = `
CREATE INDEX IF NOT EXISTS images_by_seg ON images(seg) WHERE seg IS NOT NULL;
CREATE TABLE IF NOT EXISTS blob_segments (
  seg INTEGER PRIMARY KEY,
  live INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS images_blob_added AFTER INSERT ON images WHEN new.seg IS NOT NULL BEGIN
  INSERT INTO blob_segments (seg, live) VALUES (new.seg, new.len)
    ON CONFLICT(seg) DO UPDATE SET live = live + excluded.live;
END;
CREATE TRIGGER IF NOT EXISTS images_blob_dropped AFTER DELETE ON images WHEN old.seg IS NOT NULL BEGIN
  UPDATE blob_segments SET live = live - old.len WHERE seg = old.seg;
END;
CREATE TRIGGER IF NOT EXISTS images_blob_moved AFTER UPDATE OF seg, off, len ON images
  WHEN old.seg IS NOT NULL AND new.seg IS NOT NULL BEGIN
  UPDATE blob_segments SET live = live - old.len WHERE seg = old.seg;
  INSERT INTO blob_segments (seg, live) VALUES (new.seg, new.len)
    ON CONFLICT(seg) DO UPDATE SET live = live + excluded.live;
END;
`;
