/**
 * How far behind one socket.io client is: the bytes queued for it that its
 * transport has not taken yet. A client that stops reading (a throttled tab,
 * a stalled network) leaves engine.io's write buffer growing with every
 * delta; this notices when it passes a bound, so the broadcaster can stop
 * feeding it (see broadcaster.ts).
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

/**
 * Count the bytes of packets created for `socket` since its last flush to the transport.
 * engine.io flushes the moment the transport is writable, so a client that keeps up
 * stays near zero; a stalled one accumulates. Callbacks run on the next tick, outside
 * the adapter's broadcast loop.
 * @example
 * watchBacklog(socket, 16 * 1024 * 1024, { overflow: () => resync(socket), stuck: () => socket.disconnect(true) });
 */
export function watchBacklog(socket: Socket, maxBytes: number, on: BacklogHandlers): void {
  let queued = 0;
  let scheduled = false;
  socket.conn.on('packetCreate', (packet: { data?: unknown }) => {
    queued += sizeOf(packet.data);
    if (queued <= maxBytes || scheduled) return;
    scheduled = true;
    process.nextTick(() => {
      scheduled = false;
      if (queued > DISCONNECT_FACTOR * maxBytes) on.stuck();
      else if (queued > maxBytes) on.overflow();
    });
  });
  socket.conn.on('flush', () => {
    queued = 0;
  });
}
