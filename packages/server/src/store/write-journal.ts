/**
 * The write journal: a plain file, `<dataDir>/writes.journal`, holding the
 * hot-path writes (plot appends, image panes replaced) that are acknowledged
 * but not yet in SQLite. One `write()` of an entry makes such a write
 * durable against the process being killed (the same promise as SQLite's WAL
 * at synchronous=NORMAL), at a fraction of the cost of a transaction that
 * touches several B-tree pages; SQLite then takes them in batches (see
 * write-batch.ts). After each batch commits the file is emptied; records carry
 * a sequence number, and the database keeps the last one it took, so a crash
 * between the commit and the emptying replays nothing twice.
 *
 * An entry is a JSON line. One that carries small images' bytes names their
 * lengths in `bytes`, and the bytes follow the line raw, then a newline: as
 * base64 inside the JSON they cost the hot path an encode and a JSON pass
 * over a third more text. Lines with base64 `b64` images (the earlier format)
 * still replay.
 * @module
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import { CnnvisError } from '../errors';
import type { ImageRef } from './image-table';
import type { StoredImage } from './window-store';

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

/** A small image carried in its journal entry, bytes and all. */
export type InlineImage = Omit<StoredImage, 'caption'>;

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

const NEWLINE = Buffer.from('\n');

/**
 * The JSON line of an entry that carries images: the bytes' lengths in place
 * of the bytes. A literal, not a spread of the record: JSON.stringify takes
 * its fast path only for objects of a known shape (the spread cost the live
 * server ~5 µs an image).
 */
function imageLine({ type, seq, env, win, rev, at, opts, content, inline }: ImageRecord & { inline: InlineImage[] }): string {
  const images = inline.map(({ encoding, width, height, channels }) => ({ encoding, width, height, channels }));
  const bytes = inline.map((img) => img.data.byteLength);
  return `${JSON.stringify({ type, seq, env, win, rev, at, opts, content, inline: images, bytes })}\n`;
}

const isLength = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/**
 * The record of one JSON line, its image bytes taken from `buf` at `at`, and
 * where the next entry starts; undefined for an entry cut short or damaged.
 */
function decodeEntry(text: string, buf: Buffer, at: number): { record: JournalRecord; next: number } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const record = parsed as JournalRecord & { bytes?: unknown; inline?: Array<InlineImage & { b64?: string }> };
  if (typeof record?.seq !== 'number' || (record.type !== 'image' && record.type !== 'append')) return undefined;
  if (record.bytes === undefined) {
    // The earlier format: base64 in the line.
    for (const img of record.inline ?? []) if (typeof img.b64 === 'string') img.data = Buffer.from(img.b64, 'base64');
    return { record, next: at };
  }
  const lengths = record.bytes;
  if (!Array.isArray(lengths) || !lengths.every(isLength) || record.inline?.length !== lengths.length) return undefined;
  const end = at + lengths.reduce((n: number, len: number) => n + len, 0);
  if (end >= buf.length || buf[end] !== 0x0a) return undefined;
  let from = at;
  record.inline.forEach((img, i) => {
    img.data = buf.subarray(from, (from += lengths[i] as number));
  });
  delete record.bytes;
  return { record, next: end + 1 };
}

export class WriteJournal {
  private readonly fd: number | undefined;
  private readonly path: string;
  /** The file's length: where the next entry goes, and where a short write is cut back to. */
  private size = 0;
  /** Where image entries' JSON lines are encoded: no allocation per write. */
  private readonly scratch = Buffer.allocUnsafeSlow(16 * 1024);

  /** `dataDir` ':memory:' keeps no file (an in-memory database does not outlive the process either). */
  constructor(dataDir: string) {
    this.path = join(dataDir, JOURNAL_FILE);
    this.fd = dataDir === ':memory:' ? undefined : openSync(this.path, 'a+');
    if (this.fd !== undefined) this.size = fstatSync(this.fd).size;
  }

  /**
   * Durable once this returns: the bytes are in the kernel's hands in one write.
   * A write cut short (a full disk) is taken back and throws, so no torn entry
   * sits before later ones (replay stops at the first it cannot read).
   */
  write(record: JournalRecord): void {
    if (this.fd === undefined) return;
    let length: number;
    let written: number;
    if (record.type === 'image' && 'inline' in record) {
      // The line goes through a buffer kept for it; the bytes follow it in the same write.
      const line = imageLine(record);
      const head = line.length * 3 <= this.scratch.length ? this.scratch.subarray(0, this.scratch.write(line)) : Buffer.from(line);
      const parts = [head, ...record.inline.map((img) => img.data), NEWLINE];
      length = parts.reduce((n, p) => n + p.byteLength, 0);
      written = writevSync(this.fd, parts);
    } else {
      const line = `${JSON.stringify(record)}\n`;
      length = Buffer.byteLength(line);
      written = writeSync(this.fd, line);
    }
    if (written === length) {
      this.size += length;
      return;
    }
    ftruncateSync(this.fd, this.size);
    throw new CnnvisError({ code: 'INTERNAL', message: `the write journal took ${written} of ${length} bytes (is the disk full?)` });
  }

  /**
   * Every record in the file, in order. A last entry cut short (a write that a
   * crash interrupted, never acknowledged) is dropped; so is anything unreadable
   * after it, which only a damaged file would hold.
   */
  read(): JournalRecord[] {
    if (this.fd === undefined) return [];
    // By path: the descriptor's own position is wherever the last write left it.
    const buf = readFileSync(this.path);
    const records: JournalRecord[] = [];
    let at = 0;
    while (at < buf.length) {
      const eol = buf.indexOf(0x0a, at);
      if (eol < 0) break;
      if (eol === at) {
        at++;
        continue;
      }
      const entry = decodeEntry(buf.toString('utf8', at, eol), buf, eol + 1);
      if (entry === undefined) break;
      records.push(entry.record);
      at = entry.next;
    }
    return records;
  }

  /** Empty the file: everything in it is in SQLite now. Writes go on at the (new) end. */
  clear(): void {
    if (this.fd === undefined) return;
    ftruncateSync(this.fd, 0);
    this.size = 0;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
  }
}
