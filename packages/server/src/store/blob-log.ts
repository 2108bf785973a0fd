/**
 * Image bytes in append-only segment files, `<dataDir>/images/<n>.blobs`, with only their place
 * (segment, offset, length) in SQLite: big blobs through SQLite's WAL halve the image rate (bench).
 * Bytes are written before the row that points at them commits, so an acknowledged image survives
 * a kill; bytes whose row never committed are dead space, reclaimed when a sealed segment is
 * deleted or compacted (image-table.ts).
 * @module
 */
import { closeSync, fstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SUFFIX = '.blobs';

/** Where one blob lives. */
export interface BlobRef {
  seg: number;
  off: number;
  len: number;
}

export class BlobLog {
  readonly dir: string;
  /** A segment is sealed once it holds this many bytes. */
  readonly segmentBytes: number;
  private readonly temporary: boolean;
  private seg: number;
  private fd: number;
  private size: number;
  /** Segments no longer written to, on disk. */
  private readonly sealedSegments: Set<number>;
  /** How many times a segment was sealed: the owner reclaims space after each. */
  rolls = 0;
  /** Read descriptors, opened on first read; sealed segments never change, so they stay valid. */
  private readonly readers = new Map<number, number>();

  /** `':memory:'` keeps the segments in a temporary folder, removed on close. */
  constructor(dataDir: string, segmentBytes = 64 * 1024 * 1024) {
    this.segmentBytes = segmentBytes;
    this.temporary = dataDir === ':memory:';
    this.dir = this.temporary ? mkdtempSync(join(tmpdir(), 'cnnvis-images-')) : join(dataDir, 'images');
    mkdirSync(this.dir, { recursive: true });
    const existing = this.segments();
    this.seg = existing.length === 0 ? 1 : Math.max(...existing);
    this.sealedSegments = new Set(existing.filter((seg) => seg !== this.seg));
    this.fd = openSync(this.pathOf(this.seg), 'a+');
    this.size = fstatSync(this.fd).size;
  }

  /** The segment new blobs go to; never deleted or compacted. */
  get current(): number {
    return this.seg;
  }

  /** Segments on disk that are no longer written to: only those are ever reclaimed. */
  sealed(): number[] {
    return [...this.sealedSegments];
  }

  private segments(): number[] {
    return readdirSync(this.dir)
      .filter((name) => /^\d+\.blobs$/.test(name))
      .map((name) => Number(name.slice(0, -SUFFIX.length)));
  }

  /** Write `bytes` at the end of the current segment (rolling to a new one when full). */
  append(bytes: Uint8Array): BlobRef {
    if (this.size > 0 && this.size + bytes.byteLength > this.segmentBytes) this.roll();
    const off = this.size;
    let done = 0;
    while (done < bytes.byteLength) done += writeSync(this.fd, bytes, done, bytes.byteLength - done);
    this.size += bytes.byteLength;
    return { seg: this.seg, off, len: bytes.byteLength };
  }

  read(ref: BlobRef): Buffer {
    const fd = ref.seg === this.seg ? this.fd : this.reader(ref.seg);
    const out = Buffer.allocUnsafe(ref.len);
    let done = 0;
    while (done < ref.len) {
      const n = readSync(fd, out, done, ref.len - done, ref.off + done);
      if (n === 0) throw new Error(`image bytes missing: segment ${ref.seg} ends before ${ref.off + ref.len}`);
      done += n;
    }
    return out;
  }

  /** Delete a sealed segment (the caller knows nothing points into it). */
  remove(seg: number): void {
    if (seg === this.seg) return;
    this.sealedSegments.delete(seg);
    const fd = this.readers.get(seg);
    if (fd !== undefined) closeSync(fd);
    this.readers.delete(seg);
    rmSync(this.pathOf(seg), { force: true });
  }

  close(): void {
    for (const fd of this.readers.values()) closeSync(fd);
    this.readers.clear();
    closeSync(this.fd);
    if (this.temporary) rmSync(this.dir, { recursive: true, force: true });
  }

  private roll(): void {
    closeSync(this.fd);
    this.sealedSegments.add(this.seg);
    this.rolls++;
    this.seg += 1;
    this.fd = openSync(this.pathOf(this.seg), 'a+');
    this.size = fstatSync(this.fd).size;
  }

  private reader(seg: number): number {
    let fd = this.readers.get(seg);
    if (fd === undefined) {
      fd = openSync(this.pathOf(seg), 'r');
      this.readers.set(seg, fd);
    }
    return fd;
  }

  private pathOf(seg: number): string {
    return join(this.dir, `${seg}${SUFFIX}`);
  }
}
