/**
 * Who made a request, as the handlers see it. Its own module because both
 * the transports' request handlers (socket/) and the services they call
 * (analysis/) name it, and neither should import the other for a type.
 * @module
 */
import type { JobProgress } from '@cnnvis/protocol';

/**
 * Who asked: lets a long request push progress to its requester.
 * @example
 * const ctx: RequestContext = { push: (event, p) => channel.send(event, p) };
 * await analysis.run(payload, ctx);
 */
export interface RequestContext {
  /** The requester's socket.io id (so a room broadcast can include it once); absent on the SDK channel. */
  socketId?: string;
  /** Send an event to the requester alone (the SDK channel's way; socket.io uses {@link socketId}). */
  push?(event: 'job:progress', payload: JobProgress): void;
}
