/**
 * Who made a request, as the handlers see it. Its own module because both
 * the transports' request handlers (socket/) and the services they call
 * (analysis/) name it, and neither should import the other for a type.
 * @module
 */
import type { JobProgress } from '@cnnvis/protocol';

/** Who asked: lets a long request push progress to its requester. */
export interface RequestContext {
  /** A viewer's socket.io id (so a room broadcast can include it once); absent for the SDK. */
  socketId?: string;
  /** Send an event to the SDK that asked alone (a viewer hears through {@link socketId}). */
  push?(event: 'job:progress', payload: JobProgress): void;
}
