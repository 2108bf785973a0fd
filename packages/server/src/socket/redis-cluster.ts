/**
 * Several servers, one live view: socket.io's Redis Streams adapter carries every room broadcast to
 * the other servers, and keeps the stream that connection-state recovery replays a reconnecting
 * browser's missed updates from. Redis failing never stops a server, as the store is the source of
 * truth: once Redis is back, every browser is told to resync (`env:resync`).
 * @module
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import { resyncLocalBrowsers } from '../broadcaster';
import type { Logger } from '../logger';

/** Longest wait between reconnect attempts; a broadcast made while Redis is away waits for the next one. */
const MAX_RETRY_MS = 1000;
/** The server-side event with which a server back on Redis asks the others to resync their browsers. */
const RESYNC = 'cnnvis:resync';

export interface RedisCluster {
  /** socket.io's `adapter` option. */
  readonly adapter: ReturnType<typeof createAdapter>;
  /** Start watching Redis for `io`, whose adapter is {@link RedisCluster.adapter}. */
  watch(io: Server): void;
  /** Disconnect, after what socket.io queued (sessions of closing sockets) is sent. */
  close(): Promise<void>;
}

/** `url` without its password, for messages. */
function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** Connect to Redis at `url`; rejects with a plain message when it cannot be reached. */
export async function connectRedisCluster(url: string, prefix: string, logger: Logger): Promise<RedisCluster> {
  const redis = new Redis(url, {
    lazyConnect: true,
    // A command waits for one reconnect attempt, not twenty: broadcasts to this server's browsers go on while Redis is away.
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RETRY_MS),
  });
  // `down` from a lost connection to the next `ready`; the log says so once per outage (the first connect's failure is thrown).
  let down = false;
  let logged = true;
  // Why the first connect failed: ioredis rejects it with "Connection is closed." and tells the cause as an error event.
  let cause: Error | undefined;
  redis.on('close', () => (down = true));
  redis.on('error', (err: Error) => {
    cause ??= err;
    if (logged) return;
    logged = true;
    logger.error(`Redis at ${redact(url)} unreachable (${err.message}): live updates from other servers pause; browsers resync when it is back`);
  });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${redact(url)} (--redis-url): ${(cause ?? (err as Error)).message}`, { cause: cause ?? err });
  }
  down = logged = false;
  // The adapter reads the stream and hears other servers on copies of this client; closing
  // them with it ends a read blocked in Redis now rather than when its wait times out.
  const copies: Redis[] = [];
  const duplicate = redis.duplicate.bind(redis);
  redis.duplicate = (override) => {
    const copy = duplicate(override);
    copies.push(copy);
    return copy;
  };
  const adapter = createAdapter(redis, { streamName: `${prefix}:socket.io`, channelPrefix: `${prefix}:socket.io`, sessionKeyPrefix: `${prefix}:session:` });
  return {
    adapter,
    watch(io) {
      // Not in the typed server-side events: this module alone sends and hears it.
      const peers = io as unknown as { on(e: string, fn: () => void): void; serverSideEmit(e: string): void };
      peers.on(RESYNC, () => resyncLocalBrowsers(io, 'another server lost Redis for a while'));
      redis.on('ready', () => {
        if (!down) return;
        down = logged = false;
        logger.info(`Redis at ${redact(url)} is back: browsers resync`);
        resyncLocalBrowsers(io, 'this server lost Redis for a while');
        peers.serverSideEmit(RESYNC);
      });
    },
    async close() {
      for (const copy of copies) copy.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
