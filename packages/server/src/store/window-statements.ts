/**
 * The SQL of envs and windows, prepared once per database.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';

const SQL = {
  // An env changes when a window in it does (appends too): the UI opens the latest one.
  envs: `SELECT e.id, MAX(e.updated_at, COALESCE(MAX(w.updated_at), 0)) AS updatedAt, COUNT(w.id) AS windows
           FROM envs e LEFT JOIN windows w ON w.env = e.id GROUP BY e.id ORDER BY e.id`,
  env: `SELECT e.id, MAX(e.updated_at, COALESCE((SELECT MAX(updated_at) FROM windows WHERE env = e.id), 0)) AS updatedAt,
                (SELECT COUNT(*) FROM windows WHERE env = e.id) AS windows
          FROM envs e WHERE e.id = ?`,
  hasEnv: 'SELECT 1 FROM envs WHERE id = ?',
  hasWindow: 'SELECT 1 FROM windows WHERE env = ? AND id = ?',
  summary: `SELECT w.kind, w.opts,
              (SELECT json_group_array(name) FROM (SELECT t.name FROM traces t WHERE t.env = w.env AND t.win = w.id ORDER BY t.idx)) AS names,
              (SELECT json_extract(t.spec, '$.type') FROM traces t WHERE t.env = w.env AND t.win = w.id ORDER BY t.idx LIMIT 1) AS firstType
            FROM windows w WHERE w.env = ? AND w.id = ?`,
  insertEnv: 'INSERT OR IGNORE INTO envs (id, created_at, updated_at) VALUES (?, ?, ?)',
  window: 'SELECT * FROM windows WHERE env = ? AND id = ?',
  windows: 'SELECT * FROM windows WHERE env = ? ORDER BY position',
  head: 'SELECT kind, content FROM windows WHERE env = ? AND id = ?',
  place: 'SELECT kind, position, layout, rev FROM windows WHERE env = ? AND id = ?',
  graphDataset: `SELECT json_extract(content, '$.dataset') AS dataset FROM windows
                   WHERE env = ? AND id = ? AND kind = 'graph' AND json_extract(content, '$.dataset.modelId') = ?`,
  nextPosition: 'SELECT COALESCE(MAX(position), -1) + 1 AS n, COUNT(*) AS count FROM windows WHERE env = ?',
  upsert: `INSERT INTO windows (env, id, kind, opts, content, position, layout, rev, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, NULL, 1, ?)
             ON CONFLICT(env, id) DO UPDATE SET kind = excluded.kind, opts = excluded.opts,
               content = excluded.content, rev = windows.rev + 1, updated_at = excluded.updated_at`,
  bump: 'UPDATE windows SET rev = rev + 1, updated_at = ? WHERE env = ? AND id = ? RETURNING rev',
  setContent: 'UPDATE windows SET content = ? WHERE env = ? AND id = ?',
  setOpts: 'UPDATE windows SET opts = ? WHERE env = ? AND id = ?',
  getOpts: 'SELECT opts FROM windows WHERE env = ? AND id = ?',
  setLayout: 'UPDATE windows SET layout = ? WHERE env = ? AND id = ?',
  deleteWindow: 'DELETE FROM windows WHERE env = ? AND id = ?',
  deleteTraces: 'DELETE FROM traces WHERE env = ? AND win = ?',
  deleteChunks: 'DELETE FROM chunks WHERE env = ? AND win = ?',
  deleteEnv: 'DELETE FROM envs WHERE id = ?',
};

export type WindowStatements = { readonly [K in keyof typeof SQL]: Statement };

export function prepareWindowStatements(db: Database): WindowStatements {
  return Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, db.prepare(text)])) as unknown as WindowStatements;
}
