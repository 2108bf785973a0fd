/**
 * The storage limit beside the image figures: a bare better-sqlite3 write of
 * the same bytes, with the server's journal settings (WAL, synchronous=NORMAL,
 * exclusive lock), replacing one blob per transaction as a replaced image
 * window does. No validation, no transport, no encoding.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/** Blob replacements per second for `bytes`-sized blobs, over `count` transactions. */
export function sqliteBlobRate(bytes: number, count: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'cnnvis-bench-sqlite-'));
  const db = new BetterSqlite3(join(dir, 'limit.sqlite'));
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE images (env TEXT, win TEXT, idx INTEGER, data BLOB, PRIMARY KEY (env, win, idx)) WITHOUT ROWID');
    const blobs = Array.from({ length: 4 }, () => Buffer.from(Uint8Array.from({ length: bytes }, () => Math.floor(Math.random() * 256))));
    const del = db.prepare('DELETE FROM images WHERE env = ? AND win = ?');
    const ins = db.prepare('INSERT INTO images VALUES (?, ?, ?, ?)');
    const replace = db.transaction((i: number) => {
      del.run('bench', 'img');
      ins.run('bench', 'img', 0, blobs[i % 4]);
    });
    for (let i = 0; i < 20; i++) replace(i);
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) replace(i);
    return count / (Number(process.hrtime.bigint() - start) / 1e9);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
