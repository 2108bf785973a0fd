/**
 * How far behind one socket.io client is: the bytes queued for it that its transport has not taken
 * yet. The broadcaster stops feeding a browser past a bound by it, and the reply gate stops reading
 * an SDK client's requests (socket-handlers.ts).
 * @module
 */
import type { Socket } from 'socket.io';

/** Past this many times the bound, the client is cut off: even without deltas it does not keep up. */
export const DISCONNECT_FACTOR = 4;

export interface BacklogHandlers {
  /** More than the bound is waiting: stop sending this client deltas. Called again on later packets while it stays over. */
  overflow(): void;
  /** More than {@link DISCONNECT_FACTOR} × the bound is waiting. */
  stuck(): void;
}

function sizeOf(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

const counters = new WeakMap<object, { bytes: number }>();

/**
 * The bytes of packets created for `socket` since its last flush to the transport,
 * counted once per connection however many watchers read it. engine.io flushes the
 * moment the transport is writable, so a client that keeps up stays near zero.
 */
function unflushed(socket: Socket): { bytes: number } {
  let counter = counters.get(socket.conn);
  if (counter === undefined) {
    const c = { bytes: 0 };
    socket.conn.on('packetCreate', (packet: { data?: unknown }) => {
      c.bytes += sizeOf(packet.data);
    });
    socket.conn.on('flush', () => {
      c.bytes = 0;
    });
    counters.set(socket.conn, (counter = c));
  }
  return counter;
}

/**
 * Call `on` when the bytes waiting for `socket` pass `maxBytes`. A stalled client accumulates;
 * callbacks run on the next tick, outside the adapter's broadcast loop.
 */
export function watchBacklog(socket: Socket, maxBytes: number, on: BacklogHandlers): void {
  const queued = unflushed(socket);
  let scheduled = false;
  // Added after the counter's own listener, so it reads the count with this packet in it.
  socket.conn.on('packetCreate', () => {
    if (queued.bytes <= maxBytes || scheduled) return;
    scheduled = true;
    process.nextTick(() => {
      scheduled = false;
      if (queued.bytes > DISCONNECT_FACTOR * maxBytes) on.stuck();
      else if (queued.bytes > maxBytes) on.overflow();
    });
  });
}

/** The part of `ws`'s WebSocket that engine.io's websocket transport keeps as `socket`. */
interface TransportWebSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  pause(): void;
  resume(): void;
}

/** `WebSocket.OPEN`. */
const OPEN = 1;

/** The WebSocket under an engine.io transport; undefined for HTTP long-polling, which has none. */
function webSocketOf(transport: unknown): TransportWebSocket | undefined {
  const ws = (transport as { socket?: Partial<TransportWebSocket> }).socket;
  return typeof ws?.pause === 'function' && typeof ws.resume === 'function' && typeof ws.bufferedAmount === 'number' && typeof ws.readyState === 'number'
    ? (ws as TransportWebSocket)
    : undefined;
}

/** One socket.io client's backlog, as the reply gate (reply-gate.ts) reads it; see {@link trackBacklog}. */
export interface SocketBacklog {
  /** Bytes waiting for the client: packets not flushed to the transport yet, plus what its WebSocket holds. */
  bytes(): number;
  /** Stop reading from the client's WebSocket; false on long-polling, which cannot. */
  pause(): boolean;
  resume(): void;
  /** The connection is open: not closing, even where its WebSocket still hands over what it had read. */
  isOpen(): boolean;
}

/**
 * Measure what `socket` has not taken, and call `drained` whenever its transport has written a
 * batch (engine.io's transport `drain`), including after an upgrade.
 */
export function trackBacklog(socket: Socket, drained: () => void): SocketBacklog {
  const queued = unflushed(socket);
  const watch = (transport: { on(event: 'drain', fn: () => void): unknown }) => transport.on('drain', drained);
  watch(socket.conn.transport);
  socket.conn.on('upgrade', watch);
  return {
    bytes: () => queued.bytes + (webSocketOf(socket.conn.transport)?.bufferedAmount ?? 0),
    pause() {
      const ws = webSocketOf(socket.conn.transport);
      ws?.pause();
      return ws !== undefined;
    },
    resume: () => webSocketOf(socket.conn.transport)?.resume(),
    isOpen: () => socket.conn.readyState === 'open' && (webSocketOf(socket.conn.transport)?.readyState ?? OPEN) === OPEN,
  };
}
