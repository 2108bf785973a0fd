/**
 * Opening the SQLite file with the settings durability depends on.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema';

/** File name of the database inside the data dir. */
export const DB_FILE = 'cnnvis.sqlite';

const PAGE_BYTES = 1024;
/** WAL frames between checkpoints (8 MiB): each checkpoint's two fsyncs are paid once per a few thousand commits. */
const CHECKPOINT_PAGES = 8192;

/**
 * Open (creating if needed) the database in `dataDir`, or an in-memory one for ':memory:'. WAL
 * with synchronous=NORMAL: a commit is in the OS's hands when COMMIT returns, so it survives the
 * process being killed (what an acknowledged change promises); only a power cut can lose it.
 */
export function openDatabase(dataDir: string): Database {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, DB_FILE);
  }
  const db = new BetterSqlite3(file);
  // A commit writes every page it touched to the WAL, and the checkpoint that follows every few
  // thousand frames waits for all of them to reach the disk: an append touches two pages (its
  // chunk's row and key), so small pages make its commit cheap.
  db.pragma(`page_size = ${PAGE_BYTES}`);
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
  db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version !== 0 && version !== SCHEMA_VERSION) {
    db.close();
    throw new Error(`${file} has schema ${version}; this cnnvis reads schema ${SCHEMA_VERSION} only (use another --data-dir)`);
  }
  db.transaction(() => {
    db.exec(SCHEMA_SQL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
  return db;
}
