/**
 * Backpressure for request/reply clients such as the SDK (socket-handlers.ts wires it to
 * socket.io). A client that sends requests but never reads the replies would make the server hold
 * every reply it asked for; past `maxBytes` of unread replies the gate stops reading its requests
 * until it reads, so such a client costs about the bound plus one reply.
 * @module
 */

export interface ReplyGateOptions {
  /** Bytes of unread replies beyond which the client's requests wait. */
  maxBytes: number;
  /** Bytes queued to the client that it has not taken yet. */
  backlog(): number;
  /**
   * Stop reading the client's requests (called again while it stays over the bound).
   * @returns false where the transport cannot stop reading (HTTP long-polling)
   */
  pause(): boolean;
  /** Read the client's requests again. */
  resume(): void;
  /**
   * Whether the client is still there. A transport that is closing may still deliver the
   * requests it had read (and its backlog drops to nothing): those are dropped, not answered.
   * @default () => true
   */
  isOpen?(): boolean;
  /**
   * Requests held while the transport cannot stop reading, beyond which the client is
   * given up (see {@link overflow}). @default Infinity
   */
  maxHeld?: number;
  /** The client is over the bound, could not be paused and sent more than {@link maxHeld} requests since. */
  overflow?(): void;
  /**
   * Answers given as promises (the store answers asynchronously) that may be pending at once; past
   * it, requests wait as past the bound. @default Infinity
   */
  maxPending?: number;
}

export interface ReplyGate {
  /**
   * Answer now while the client's backlog is within the bound; else hold the answer until it drains.
   * An answer that returns a promise counts as pending until it settles (see {@link ReplyGateOptions.maxPending}).
   */
  submit(answer: () => void | Promise<unknown>): void;
  /**
   * The backlog changed (a reply was sent, or the client read some): pause past the bound,
   * or answer what is held and resume reading below it. Cheap when nothing waits.
   */
  check(): void;
  /** The client left: drop what is held, and ignore whatever comes later. */
  close(): void;
  /** Requests read but not answered yet. */
  readonly held: number;
}

export function createReplyGate(opts: ReplyGateOptions): ReplyGate {
  const held: Array<() => void | Promise<unknown>> = [];
  const maxHeld = opts.maxHeld ?? Infinity;
  const maxPending = opts.maxPending ?? Infinity;
  let pending = 0;
  let paused = false;
  let stopped = false;
  let closed = false;
  let answering = false;
  const over = () => pending >= maxPending || opts.backlog() > opts.maxBytes;
  const run = (answer: () => void | Promise<unknown>) => {
    const settled = answer();
    if (!(settled instanceof Promise)) return;
    pending++;
    const done = () => {
      pending--;
      check();
    };
    settled.then(done, done);
  };
  const gone = () => {
    if (!closed && opts.isOpen?.() === false) close();
    return closed;
  };

  function close(): void {
    closed = true;
    held.length = 0;
  }

  function check(): void {
    // An answer sends, and a send calls back here: the loop below goes on by itself.
    if (gone() || answering) return;
    answering = true;
    try {
      while (held.length > 0 && !over() && !gone()) run(held.shift() as () => void);
    } finally {
      answering = false;
    }
    if (closed) return;
    if (held.length > 0 || over()) {
      paused = true;
      stopped = opts.pause();
    } else if (paused) {
      paused = false;
      stopped = false;
      opts.resume();
    }
  }

  return {
    submit(answer) {
      if (gone()) return;
      if (held.length === 0 && !over()) {
        run(answer);
        check();
        return;
      }
      held.push(answer);
      check();
      if (!stopped && held.length > maxHeld) {
        held.length = 0;
        opts.overflow?.();
      }
    },
    check,
    close,
    get held() {
      return held.length;
    },
  };
}
