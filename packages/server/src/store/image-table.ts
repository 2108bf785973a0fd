/**
 * Images, keyed by window and position in the window: their metadata in
 * SQLite, their bytes in the blob log. Also the log's garbage collection,
 * since only this table knows which bytes are still pointed at.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import type { BlobLog, BlobRef } from './blob-log';
import type { StoredImage } from './window-store';

type Row = Omit<StoredImage, 'data' | 'caption'> & BlobRef;
type Placed = { env: string; win: string; idx: number; off: number; len: number };

export class ImageTable {
  private readonly insert: Statement<[string, string, number, string, number, number, number, number, number, number]>;
  private readonly select: Statement<[string, string, number], Row>;
  private readonly remove: Statement<[string, string]>;
  private readonly liveBytes: Statement<[], { seg: number; live: number }>;
  private readonly inSegment: Statement<[number], Placed>;
  private readonly move: Statement<[number, number, string, string, number]>;
  private readonly compact: (seg: number) => void;
  /** The log's roll count when space was last reclaimed. */
  private collectedAt = -1;

  constructor(
    db: Database,
    private readonly log: BlobLog,
  ) {
    this.insert = db.prepare(
      'INSERT INTO images (env, win, idx, encoding, width, height, channels, seg, off, len) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.select = db.prepare('SELECT encoding, width, height, channels, seg, off, len FROM images WHERE env = ? AND win = ? AND idx = ?');
    this.remove = db.prepare('DELETE FROM images WHERE env = ? AND win = ?');
    // Counted when space is reclaimed, not kept up to date on every write: that would cost each image written a page.
    this.liveBytes = db.prepare('SELECT seg, SUM(len) AS live FROM images GROUP BY seg');
    this.inSegment = db.prepare('SELECT env, win, idx, off, len FROM images WHERE seg = ?');
    this.move = db.prepare('UPDATE images SET seg = ?, off = ? WHERE env = ? AND win = ? AND idx = ?');
    this.compact = db.transaction((seg: number) => this.moveLiveBytes(seg));
  }

  /** Call inside the window's write transaction: the bytes go out before the row commits. */
  write(env: string, win: string, images: readonly StoredImage[]): void {
    images.forEach(({ encoding, width, height, channels, data }, idx) => {
      const { seg, off, len } = this.log.append(data);
      this.insert.run(env, win, idx, encoding, width, height, channels, seg, off, len);
    });
  }

  get(env: string, win: string, idx: number): StoredImage | undefined {
    const row = this.select.get(env, win, idx);
    if (row === undefined) return undefined;
    const { seg, off, len, ...meta } = row;
    return { ...meta, data: this.log.read({ seg, off, len }) };
  }

  deleteWindow(env: string, win: string): void {
    this.remove.run(env, win);
  }

  /**
   * Reclaim space: a sealed segment no committed row points into is deleted (the rows of bytes
   * written before a crash never committed); one less than a quarter live is compacted (its live
   * bytes copied to the current segment) and then deleted.
   */
  collect(always = false): void {
    if ((!always && this.log.rolls === this.collectedAt) || this.log.sealed().length === 0) return;
    this.collectedAt = this.log.rolls;
    const live = new Map(this.liveBytes.all().map((r) => [r.seg, r.live]));
    for (const seg of this.log.sealed()) {
      const bytes = live.get(seg) ?? 0;
      if (bytes >= this.log.segmentBytes / 4) continue;
      if (bytes > 0) this.compact(seg);
      this.log.remove(seg);
    }
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
}
