/**
 * Image panes replaced on the batched path (write-batch.ts): a training loop
 * showing this step's images in the same pane, again and again. The bytes go
 * to the blob log at once; the rows follow in the batch, and only the last
 * replacement of a pane in a batch is written, since it hides the others.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ImageRecord } from './write-journal';

const EMPTY = Buffer.alloc(0);

export class ImageRows {
  private readonly touchEnv: Statement<[string, number, number]>;
  private readonly removeImages: Statement<[string, string]>;
  private readonly setWindow: Statement<[string, string, number, number, string, string]>;
  private readonly insertImage: Statement<[string, string, number, string, number, number, number, Uint8Array, number, number, number]>;
  private readonly knowSegment: Statement<[number]>;

  constructor(db: Database) {
    this.touchEnv = db.prepare(`INSERT INTO envs (id, created_at, updated_at) VALUES (?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at`);
    this.removeImages = db.prepare('DELETE FROM images WHERE env = ? AND win = ?');
    this.setWindow = db.prepare(`UPDATE windows SET kind = 'image', opts = ?, content = ?, rev = max(rev, ?), updated_at = ?
      WHERE env = ? AND id = ?`);
    this.insertImage = db.prepare(
      'INSERT INTO images (env, win, idx, encoding, width, height, channels, data, seg, off, len) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // A segment holding only replaced images gets no row from the triggers; this one lets it be collected.
    this.knowSegment = db.prepare('INSERT OR IGNORE INTO blob_segments (seg, live) VALUES (?, 0)');
  }

  /** One pane's replacements from a batch, in order: the last one is written. */
  write(records: readonly ImageRecord[]): void {
    for (const r of records) for (const img of r.images) this.knowSegment.run(img.seg);
    const last = records.at(-1);
    if (last === undefined) return;
    const { env, win } = last;
    // A window gone since cannot happen (closing settles first); its bytes are then dead space.
    if (this.setWindow.run(last.opts, last.content, last.rev, last.at, env, win).changes === 0) return;
    this.touchEnv.run(env, last.at, last.at);
    this.removeImages.run(env, win);
    last.images.forEach((img, idx) => {
      this.insertImage.run(env, win, idx, img.encoding, img.width, img.height, img.channels, EMPTY, img.seg, img.off, img.len);
    });
  }
}
