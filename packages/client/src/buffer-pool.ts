/**
 * Reused buffers for an image's converted bytes, free again once its write is acknowledged:
 * each new one is external memory to V8, and one per 3×224×224 image made V8 run a full
 * mark-compact every few dozen images. Small buffers are cheap and huge ones are not kept.
 * @module
 */

const MIN_POOLED_BYTES = 16 * 1024;
const MAX_POOLED_BYTES = 16 * 2 ** 20;
/** At most this much memory waits in the pool. */
const MAX_IDLE_BYTES = 64 * 2 ** 20;

export class BufferPool {
  private readonly idle: ArrayBuffer[] = [];
  private idleBytes = 0;
  /** Buffers handed out and not yet given back: a second give of one is ignored, never a double lend. */
  private readonly lent = new WeakSet<ArrayBuffer>();

  /**
   * `bytes` bytes, not zeroed when they come from the pool: the caller writes every one.
   * @example
   * const pixels = pool.take(3 * 224 * 224);
   */
  take = (bytes: number): Uint8Array => {
    if (bytes < MIN_POOLED_BYTES || bytes > MAX_POOLED_BYTES) return new Uint8Array(bytes);
    // The smallest idle buffer that fits, if it is not more than twice too big.
    let best = -1;
    for (let i = 0; i < this.idle.length; i++) {
      const size = (this.idle[i] as ArrayBuffer).byteLength;
      if (size >= bytes && size <= 2 * bytes && (best < 0 || size < (this.idle[best] as ArrayBuffer).byteLength)) best = i;
    }
    let buffer: ArrayBuffer;
    if (best >= 0) {
      buffer = this.idle.splice(best, 1)[0] as ArrayBuffer;
      this.idleBytes -= buffer.byteLength;
    } else {
      // Rounded up so that sizes that vary by a few header bytes share buffers.
      buffer = new ArrayBuffer(Math.ceil(bytes / 4096) * 4096);
    }
    this.lent.add(buffer);
    return new Uint8Array(buffer, 0, bytes);
  };

  /** Whether `view` is a pooled buffer still lent out (one that {@link give} would take back). */
  lends(view: Uint8Array): boolean {
    return view.buffer instanceof ArrayBuffer && this.lent.has(view.buffer);
  }

  /** Hand back what {@link take} gave, once nothing reads it; anything else is ignored. */
  give = (view: Uint8Array): void => {
    if (!this.lends(view)) return;
    const buffer = view.buffer as ArrayBuffer;
    this.lent.delete(buffer);
    // Drop the oldest idle buffers: the new one is the likeliest to be asked for again.
    while (this.idle.length > 0 && this.idleBytes + buffer.byteLength > MAX_IDLE_BYTES) {
      this.idleBytes -= (this.idle.shift() as ArrayBuffer).byteLength;
    }
    this.idle.push(buffer);
    this.idleBytes += buffer.byteLength;
  };

  /**
   * A lease: buffers taken through it are all given back by one `release`.
   * @example
   * const lease = pool.lease();
   * const bytes = lease.take(n);
   * send(bytes).finally(lease.release);
   */
  lease(): { take: (bytes: number) => Uint8Array; release: () => void } {
    const taken: Uint8Array[] = [];
    return {
      take: (bytes) => {
        const view = this.take(bytes);
        taken.push(view);
        return view;
      },
      release: () => {
        for (const view of taken.splice(0)) this.give(view);
      },
    };
  }
}

/** The pool every SDK client in this process shares (JavaScript runs one thing at a time). */
export const sharedBufferPool = new BufferPool();
