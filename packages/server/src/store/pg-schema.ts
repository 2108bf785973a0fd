/**
 * PostgreSQL's schema, as plain SQL migrations run in order at start: the tables of schema.ts
 * (SQLite's), with image bytes in `images.data` (there is no blob log: several servers write). A
 * server whose code knows fewer migrations than the database holds refuses to start.
 * @module
 */
import type { Pool } from 'pg';

/** Each entry runs once, in its own transaction; append new ones, never edit old ones. */
export const MIGRATIONS: readonly string[] = [
  `
CREATE TABLE envs (id TEXT PRIMARY KEY, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE windows (
  env TEXT NOT NULL REFERENCES envs(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  opts TEXT NOT NULL,
  content TEXT,
  position INTEGER NOT NULL,
  layout TEXT,
  rev INTEGER NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (env, id)
);
CREATE TABLE traces (
  env TEXT NOT NULL, win TEXT NOT NULL, idx INTEGER NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL, points INTEGER NOT NULL,
  PRIMARY KEY (env, win, idx)
);
CREATE TABLE chunks (
  env TEXT NOT NULL, win TEXT NOT NULL, seq INTEGER NOT NULL, part INTEGER NOT NULL, trace TEXT NOT NULL, xs TEXT NOT NULL, ys TEXT NOT NULL,
  PRIMARY KEY (env, win, seq, part)
);
CREATE TABLE images (
  env TEXT NOT NULL, win TEXT NOT NULL, idx INTEGER NOT NULL,
  encoding TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, channels INTEGER NOT NULL, data BYTEA NOT NULL,
  PRIMARY KEY (env, win, idx)
);
CREATE TABLE models (id TEXT PRIMARY KEY, bytes BIGINT NOT NULL, graph TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE runs (
  env TEXT NOT NULL, win TEXT NOT NULL, id TEXT NOT NULL, model TEXT NOT NULL, seq INTEGER NOT NULL,
  info TEXT NOT NULL, graph TEXT NOT NULL, run TEXT NOT NULL, thumb BYTEA, thumb_shape TEXT,
  PRIMARY KEY (env, win, id)
);
CREATE INDEX runs_by_id ON runs (id);
CREATE TABLE run_map_ranges (
  run TEXT NOT NULL, tensor TEXT NOT NULL, shape TEXT NOT NULL, channels INTEGER NOT NULL, ranges_at BIGINT NOT NULL,
  "offset" BIGINT NOT NULL, length BIGINT NOT NULL,
  PRIMARY KEY (run, tensor)
);
CREATE TABLE run_channel_stats (run TEXT PRIMARY KEY, counts BYTEA NOT NULL, stats BYTEA NOT NULL, stats_at BIGINT);
CREATE TABLE run_inputs (run TEXT PRIMARY KEY, encoding TEXT NOT NULL, shape TEXT, at BIGINT NOT NULL, length BIGINT NOT NULL);
CREATE TABLE run_attributions (run TEXT NOT NULL, id INTEGER NOT NULL, info TEXT NOT NULL, heatmap BYTEA NOT NULL, PRIMARY KEY (run, id));
CREATE TABLE model_filters (
  model TEXT NOT NULL, node TEXT NOT NULL, shape TEXT NOT NULL, min DOUBLE PRECISION NOT NULL, max DOUBLE PRECISION NOT NULL,
  histogram TEXT NOT NULL, data BYTEA NOT NULL,
  PRIMARY KEY (model, node)
);
`,
  // Runs' graphs once each, by the SHA-256 of their JSON (see schema.ts's run_graphs).
  `
CREATE TABLE run_graphs (hash TEXT PRIMARY KEY, graph TEXT NOT NULL, used_at BIGINT NOT NULL);
INSERT INTO run_graphs (hash, graph, used_at)
  SELECT DISTINCT encode(sha256(convert_to(graph, 'UTF8')), 'hex'), graph, (extract(epoch FROM now()) * 1000)::bigint FROM runs;
UPDATE runs SET graph = encode(sha256(convert_to(graph, 'UTF8')), 'hex');
CREATE INDEX runs_by_graph ON runs (graph);
`,
];

/** Any key: two servers starting at once take turns at the migrations. */
const MIGRATION_LOCK = 0x636e6e76;

/** Run the migrations this database has not had yet. */
export async function migrate(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS cnnvis_migrations (id INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const { rows } = await client.query<{ n: number }>('SELECT COALESCE(MAX(id), 0) AS n FROM cnnvis_migrations');
    const done = rows[0]?.n ?? 0;
    if (done > MIGRATIONS.length) {
      throw new Error(`the database has ${done} cnnvis migrations, this server knows ${MIGRATIONS.length}: run a newer cnnvis-server`);
    }
    for (let id = done + 1; id <= MIGRATIONS.length; id++) {
      await client.query(MIGRATIONS[id - 1] as string);
      await client.query('INSERT INTO cnnvis_migrations (id, applied_at) VALUES ($1, $2)', [id, Date.now()]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}
