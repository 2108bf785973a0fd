/**
 * Images, keyed by window and position in the window: their metadata in
 * SQLite, their bytes in the blob log (rows from before schema 5 keep theirs
 * inline). Also the log's garbage collection, since only this table knows
 * which bytes are still pointed at.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import type { BlobLog, BlobRef } from './blob-log';
import type { StoredImage } from './window-store';

type Row = Omit<StoredImage, 'data'> & { data: Buffer; seg: number | null; off: number | null; len: number | null };
/** An image as its row holds it: where its bytes are in the log. */
export type ImageRef = Omit<StoredImage, 'data' | 'caption'> & BlobRef;
type Placed = { env: string; win: string; idx: number; off: number; len: number };

const EMPTY = Buffer.alloc(0);

export class ImageTable {
  private readonly insert: Statement<[string, string, number, string, number, number, number, Uint8Array, number, number, number]>;
  private readonly select: Statement<[string, string, number], Row>;
  private readonly remove: Statement<[string, string]>;
  private readonly reclaimable: Statement<[number, number], { seg: number; live: number }>;
  private readonly inSegment: Statement<[number], Placed>;
  private readonly move: Statement<[number, number, string, string, number]>;
  private readonly forget: Statement<[number]>;
  private readonly known: Statement<[], { seg: number }>;
  private readonly compact: (seg: number) => void;

  constructor(
    private readonly db: Database,
    private readonly log: BlobLog,
  ) {
    this.insert = db.prepare(
      'INSERT INTO images (env, win, idx, encoding, width, height, channels, data, seg, off, len) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.select = db.prepare('SELECT encoding, width, height, channels, data, seg, off, len FROM images WHERE env = ? AND win = ? AND idx = ?');
    this.remove = db.prepare('DELETE FROM images WHERE env = ? AND win = ?');
    // A sealed segment mostly dead (or all): at most one per call, so the cost per write stays bounded.
    this.reclaimable = db.prepare('SELECT seg, live FROM blob_segments WHERE seg <> ? AND live < ? ORDER BY live LIMIT 1');
    this.inSegment = db.prepare('SELECT env, win, idx, off, len FROM images WHERE seg = ?');
    this.move = db.prepare('UPDATE images SET seg = ?, off = ? WHERE env = ? AND win = ? AND idx = ?');
    this.forget = db.prepare('DELETE FROM blob_segments WHERE seg = ?');
    this.known = db.prepare('SELECT seg FROM blob_segments');
    this.compact = db.transaction((seg: number) => this.moveLiveBytes(seg));
  }

  /** Call inside the window's write transaction: the bytes go out before the row commits. */
  write(env: string, win: string, images: readonly StoredImage[]): void {
    this.writeRefs(env, win, this.appendBytes(images));
  }

  /** Write the images' bytes to the log; what their rows will hold. */
  appendBytes(images: readonly StoredImage[]): ImageRef[] {
    return images.map(({ encoding, width, height, channels, data }) => ({ encoding, width, height, channels, ...this.log.append(data) }));
  }

  /** Rows for images whose bytes are already in the log (the batched path wrote them). */
  writeRefs(env: string, win: string, images: readonly ImageRef[]): void {
    images.forEach((img, idx) => {
      this.insert.run(env, win, idx, img.encoding, img.width, img.height, img.channels, EMPTY, img.seg, img.off, img.len);
    });
  }

  get(env: string, win: string, idx: number): StoredImage | undefined {
    const row = this.select.get(env, win, idx);
    if (row === undefined) return undefined;
    const { seg, off, len, data, ...meta } = row;
    if (seg === null || off === null || len === null) return { ...meta, data };
    return { ...meta, data: this.log.read({ seg, off, len }) };
  }

  deleteWindow(env: string, win: string): void {
    this.remove.run(env, win);
  }

  /**
   * Reclaim space after images were replaced or deleted: a sealed segment no
   * row points into is deleted; one less than a quarter live is compacted
   * (its live bytes copied to the current segment) and then deleted. At most
   * one per call, so the cost per write stays bounded; true when it found one.
   */
  collect(): boolean {
    const found = this.reclaimable.get(this.log.current, this.log.segmentBytes / 4);
    if (found === undefined) return false;
    if (found.live > 0) this.compact(found.seg);
    this.forget.run(found.seg);
    this.log.remove(found.seg);
    return true;
  }

  private moveLiveBytes(seg: number): void {
    // Rows copied by an env fork share bytes: copy each range once.
    const moved = new Map<number, BlobRef>();
    for (const row of this.inSegment.all(seg)) {
      let ref = moved.get(row.off);
      if (ref === undefined) {
        ref = this.log.append(this.log.read({ seg, off: row.off, len: row.len }));
        moved.set(row.off, ref);
      }
      this.move.run(ref.seg, ref.off, row.env, row.win, row.idx);
    }
  }

  /**
   * At start-up, once every row is in (the write journal replayed): delete segments whose
   * rows never committed (the server stopped between the two) or were all deleted.
   */
  removeOrphanSegments(): void {
    const known = new Set(this.known.all().map((r) => r.seg));
    for (const seg of this.log.segments()) if (!known.has(seg) && seg !== this.log.current) this.log.remove(seg);
    while (this.reclaimable.get(this.log.current, 1) !== undefined) this.collect();
  }
}
