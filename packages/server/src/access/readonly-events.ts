/**
 * `--readonly` on the socket transports: the events that change something
 * are answered with FORBIDDEN; reads and subscriptions go on. Listed as the
 * events that stay allowed, so an event added later is refused until someone
 * decides it only reads.
 * @module
 */
import type { RequestEvent, RequestHandlers } from '../socket/request-handlers';
import { readonlyError } from './access-gate';

const READ_EVENTS: ReadonlySet<string> = new Set<RequestEvent>(['window:get', 'env:list', 'run:compare']);

export function guardWrites(handlers: RequestHandlers, readonly: boolean): RequestHandlers {
  if (!readonly) return handlers;
  const guarded = { ...handlers };
  for (const event of Object.keys(handlers) as RequestEvent[]) {
    if (!READ_EVENTS.has(event)) {
      guarded[event] = () => {
        throw readonlyError();
      };
    }
  }
  return guarded;
}
