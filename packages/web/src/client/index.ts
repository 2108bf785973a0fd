/**
 * The one way the UI talks to the server. Two implementations share this
 * interface: the live socket.io client and a static, read-only client built
 * on the REST read API (for viewing when live updates are not wanted).
 * Rendering code never imports these; it reads the store.
 * @module
 */
import { createSocketClient } from './socket';
import { createStaticClient } from './static';
import type { ClientOptions, CnnvisClient } from './types';

export * from './types';

/**
 * Pick the implementation and start it.
 * @example
 * const client = createClient({ basePath: '/', static: false, listener: { connection: console.log } });
 */
export function createClient(opts: ClientOptions): CnnvisClient {
  return opts.static ? createStaticClient(opts) : createSocketClient(opts);
}
