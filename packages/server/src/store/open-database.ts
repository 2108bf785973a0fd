/**
 * Opening the SQLite file with the settings durability depends on.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { ADD_IMAGE_LOG_COLUMNS_SQL, ADD_STATS_AT_SQL, ADD_TRACE_POINTS_SQL, IMAGE_LOG_SQL, SCHEMA_SQL, SCHEMA_VERSION } from './schema';

/** File name of the database inside the data dir. */
export const DB_FILE = 'cnnvis.sqlite';

/**
 * Open (creating if needed) the database in `dataDir`, or an in-memory one for ':memory:'.
 * WAL with synchronous=NORMAL: a committed transaction survives the process being
 * killed (even with SIGKILL), which is what an acknowledged change promises; only a
 * power cut can lose the last commits, and it costs no fsync per write.
 */
export function openDatabase(dataDir: string): Database {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, DB_FILE);
  }
  const db = new BetterSqlite3(file);
  // One server owns its data dir: an exclusive lock keeps a second server (or a stray
  // tool) from writing under it, and spares the lock calls on every transaction.
  db.pragma('locking_mode = EXCLUSIVE');
  try {
    db.pragma('journal_mode = WAL'); // the first access takes the lock
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new Error(`the data dir ${dataDir} is in use by another cnnvis-server (pick another with --data-dir)`);
    }
    throw err;
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(`${file} was written by a newer cnnvis (schema ${version} > ${SCHEMA_VERSION})`);
  }
  db.transaction(() => {
    db.exec(SCHEMA_SQL);
    const columns = db.pragma('table_info(traces)') as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'points')) db.exec(ADD_TRACE_POINTS_SQL);
    const imageColumns = db.pragma('table_info(images)') as Array<{ name: string }>;
    if (!imageColumns.some((c) => c.name === 'seg')) db.exec(ADD_IMAGE_LOG_COLUMNS_SQL);
    const statsColumns = db.pragma('table_info(run_channel_stats)') as Array<{ name: string }>;
    if (!statsColumns.some((c) => c.name === 'stats_at')) db.exec(ADD_STATS_AT_SQL);
    db.exec(IMAGE_LOG_SQL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
  return db;
}
