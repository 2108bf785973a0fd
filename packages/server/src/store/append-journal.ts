/**
 * The append journal: a plain file, `<dataDir>/appends.journal`, holding plot
 * appends that are acknowledged but not yet in SQLite. One `write()` of a JSON
 * line makes an append durable against the process being killed (the same
 * promise as SQLite's WAL at synchronous=NORMAL), at a fraction of the cost
 * of a transaction that touches four B-tree pages; SQLite then takes the
 * appends in batches (see append-batch.ts). After each batch commits the file
 * is emptied; records carry a sequence number, and the database keeps the last
 * one it took, so a crash between the commit and the emptying replays nothing
 * twice.
 * @module
 */
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** One trace's new points in an append. */
export interface JournalPart {
  part: number;
  /** The trace's row (names may repeat; appends go to the first one holding it). */
  idx: number;
  name: string;
  x: unknown[];
  y: unknown[];
}

/** One acknowledged append: the window's rev it made and the time it was made. */
export interface JournalRecord {
  seq: number;
  env: string;
  win: string;
  rev: number;
  at: number;
  parts: JournalPart[];
}

/** File name of the journal inside the data dir. */
export const JOURNAL_FILE = 'appends.journal';

type Line = [seq: number, env: string, win: string, rev: number, at: number, parts: Array<[number, number, string, unknown[], unknown[]]>];

export class AppendJournal {
  private readonly fd: number | undefined;

  /** `dataDir` ':memory:' keeps no file (an in-memory database does not outlive the process either). */
  constructor(dataDir: string) {
    this.fd = dataDir === ':memory:' ? undefined : openSync(join(dataDir, JOURNAL_FILE), 'a+');
  }

  /** Durable once this returns: the bytes are in the kernel's hands in one write. */
  write(record: JournalRecord): void {
    if (this.fd === undefined) return;
    const line: Line = [record.seq, record.env, record.win, record.rev, record.at, record.parts.map((p) => [p.part, p.idx, p.name, p.x, p.y])];
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }

  /**
   * Every record in the file, in order. A last line cut short (a write that a
   * crash interrupted, never acknowledged) is dropped; so is anything unreadable
   * after it, which only a damaged file would hold.
   */
  read(): JournalRecord[] {
    if (this.fd === undefined) return [];
    const text = readFileSync(this.fd, 'utf8');
    const records: JournalRecord[] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      let parsed: Line;
      try {
        parsed = JSON.parse(line) as Line;
      } catch {
        break;
      }
      const [seq, env, win, rev, at, parts] = parsed;
      records.push({ seq, env, win, rev, at, parts: parts.map(([part, idx, name, x, y]) => ({ part, idx, name, x, y })) });
    }
    return records;
  }

  /** Empty the file: everything in it is in SQLite now. Writes go on at the (new) end. */
  clear(): void {
    if (this.fd !== undefined) ftruncateSync(this.fd, 0);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
  }
}
