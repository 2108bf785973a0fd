/**
 * The write journal: a plain file, `<dataDir>/writes.journal`, holding the
 * hot-path writes (plot appends, image panes replaced) that are acknowledged
 * but not yet in SQLite. One `write()` of a JSON line makes such a write
 * durable against the process being killed (the same promise as SQLite's WAL
 * at synchronous=NORMAL), at a fraction of the cost of a transaction that
 * touches several B-tree pages; SQLite then takes them in batches (see
 * write-batch.ts). After each batch commits the file is emptied; records carry
 * a sequence number, and the database keeps the last one it took, so a crash
 * between the commit and the emptying replays nothing twice.
 * @module
 */
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageRef } from './image-table';

/** One trace's new points in an append. */
export interface JournalPart {
  part: number;
  /** The trace's row (names may repeat; appends go to the first one holding it). */
  idx: number;
  name: string;
  x: unknown[];
  y: unknown[];
}


interface RecordHead {
  seq: number;
  env: string;
  win: string;
  /** The window's rev this write made. */
  rev: number;
  /** When it was made (the window's updated_at). */
  at: number;
}

/** Points appended to traces a plot window has. */
export interface AppendRecord extends RecordHead {
  type: 'append';
  parts: JournalPart[];
}

/** A small image carried in its journal line: its metadata, and its bytes as base64. */
export type InlineImage = Omit<ImageRef, 'seg' | 'off' | 'len'> & { b64: string };

/**
 * An image window's content and options replaced; `opts` and `content` as the
 * windows row stores them. The bytes are either in the blob log already
 * (`images`) or, for small images, in the record itself (`inline`): then the
 * journal's one write makes them durable, and only the replacement a batch
 * keeps reaches the blob log.
 */
export type ImageRecord = RecordHead & {
  type: 'image';
  opts: string;
  content: string;
} & ({ images: ImageRef[] } | { inline: InlineImage[] });

export type JournalRecord = AppendRecord | ImageRecord;

/** File name of the journal inside the data dir. */
export const JOURNAL_FILE = 'writes.journal';

export class WriteJournal {
  private readonly fd: number | undefined;

  /** `dataDir` ':memory:' keeps no file (an in-memory database does not outlive the process either). */
  constructor(dataDir: string) {
    this.fd = dataDir === ':memory:' ? undefined : openSync(join(dataDir, JOURNAL_FILE), 'a+');
  }

  /** Durable once this returns: the bytes are in the kernel's hands in one write. */
  write(record: JournalRecord): void {
    if (this.fd !== undefined) writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  /**
   * Every record in the file, in order. A last line cut short (a write that a
   * crash interrupted, never acknowledged) is dropped; so is anything unreadable
   * after it, which only a damaged file would hold.
   */
  read(): JournalRecord[] {
    if (this.fd === undefined) return [];
    const records: JournalRecord[] = [];
    for (const line of readFileSync(this.fd, 'utf8').split('\n')) {
      if (line === '') continue;
      let record: JournalRecord;
      try {
        record = JSON.parse(line) as JournalRecord;
      } catch {
        break;
      }
      if (typeof record.seq !== 'number' || (record.type !== 'append' && record.type !== 'image')) break;
      records.push(record);
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
