/**
 * Image panes replaced on the batched path (write-batch.ts): a training loop
 * showing this step's images in the same pane, again and again. Big images'
 * bytes go to the blob log at once, small ones ride in the journal line; the
 * rows follow in the batch, and only the last replacement of a pane in a batch
 * is written, since it hides the others.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ImageTable } from './image-table';
import type { WindowStatements } from './window-statements';
import type { ImageRecord } from './write-journal';

export class ImageRows {
  private readonly setWindow: Statement<[string, string, number, number, string, string]>;
  private readonly knowSegment: Statement<[number]>;

  constructor(
    db: Database,
    private readonly images: ImageTable,
    private readonly stmt: WindowStatements,
  ) {
    this.setWindow = db.prepare(`UPDATE windows SET kind = 'image', opts = ?, content = ?, rev = max(rev, ?), updated_at = ?
      WHERE env = ? AND id = ?`);
    // A segment holding only replaced images gets no row from the triggers; this one lets it be collected.
    this.knowSegment = db.prepare('INSERT OR IGNORE INTO blob_segments (seg, live) VALUES (?, 0)');
  }

  /** One pane's replacements from a batch, in order: the last one is written. */
  write(records: readonly ImageRecord[]): void {
    for (const r of records) if ('images' in r) for (const img of r.images) this.knowSegment.run(img.seg);
    const last = records.at(-1);
    if (last === undefined) return;
    const { env, win } = last;
    // A window gone since cannot happen (closing settles first); its bytes are then dead space.
    if (this.setWindow.run(last.opts, last.content, last.rev, last.at, env, win).changes === 0) return;
    this.stmt.touchEnv.run(env, last.at, last.at);
    this.images.deleteWindow(env, win);
    // Inline bytes go to the log now, inside the transaction: before the rows that point at them commit.
    const refs = 'images' in last ? last.images : this.images.appendBytes(last.inline);
    this.images.writeRefs(env, win, refs);
  }
}
