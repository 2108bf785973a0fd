/**
 * Images as binary blobs, keyed by window and position in the window.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import type { StoredImage } from './window-store';

type Row = { encoding: StoredImage['encoding']; width: number; height: number; channels: number; data: Buffer };

export class ImageTable {
  private readonly insert: Statement<[string, string, number, string, number, number, number, Uint8Array]>;
  private readonly select: Statement<[string, string, number], Row>;
  private readonly remove: Statement<[string, string]>;

  constructor(db: Database) {
    this.insert = db.prepare(
      'INSERT INTO images (env, win, idx, encoding, width, height, channels, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.select = db.prepare(
      'SELECT encoding, width, height, channels, data FROM images WHERE env = ? AND win = ? AND idx = ?',
    );
    this.remove = db.prepare('DELETE FROM images WHERE env = ? AND win = ?');
  }

  write(env: string, win: string, images: readonly StoredImage[]): void {
    images.forEach((img, idx) => {
      this.insert.run(env, win, idx, img.encoding, img.width, img.height, img.channels, img.data);
    });
  }

  get(env: string, win: string, idx: number): StoredImage | undefined {
    return this.select.get(env, win, idx);
  }

  deleteWindow(env: string, win: string): void {
    this.remove.run(env, win);
  }
}
