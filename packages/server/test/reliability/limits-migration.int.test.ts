/**
 * The point count behind --max-points-per-trace lives in the store; a database
 * written before it existed (schema 3) gets its counts from the chunks on open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DB_FILE } from '../../src/store/open-database';
import { SqliteStore } from '../../src/store/sqlite-store';
import { toCnnvisError } from '../../src/errors';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cnnvis-migrate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const appendOp = (n: number) => ({ type: 'append' as const, traces: [{ name: 'train', x: Array.from({ length: n }, (_, i) => i), y: Array.from({ length: n }, () => 0) }] });

test('a schema-3 database gets its point counts on open, and the limit holds across a restart', () => {
  const store = new SqliteStore(dir);
  store.createWindow({ env: 'e', win: 'w', opts: {}, content: { kind: 'plot', traces: [{ name: 'train', type: 'scatter', x: [0, 1, 2], y: [0, 1, 2] }] } });
  for (let i = 0; i < 7; i++) store.updateWindow('e', 'w', appendOp(1));
  store.close();

  // Make it what a schema-3 server left: no points column.
  const db = new BetterSqlite3(join(dir, DB_FILE));
  db.exec('ALTER TABLE traces DROP COLUMN points');
  db.pragma('user_version = 3');
  db.close();

  const reopened = new SqliteStore(dir, { maxPointsPerTrace: 10 });
  try {
    const refused = (() => {
      try {
        reopened.updateWindow('e', 'w', appendOp(1));
        return undefined;
      } catch (err) {
        return toCnnvisError(err);
      }
    })();
    console.log(`after migration, the 11th point: ${refused?.code} ${refused?.message}`);
    expect(refused?.code).toBe('CONFLICT');
    expect(refused?.message).toMatch(/holds 10 points/);
    const win = reopened.getWindow('e', 'w');
    expect(win?.content.kind === 'plot' && win.content.traces[0]?.x).toHaveLength(10);
  } finally {
    reopened.close();
  }
});
