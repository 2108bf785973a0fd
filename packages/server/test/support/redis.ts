/**
 * Redis for the cluster tests: the shared one on 127.0.0.1:6379 (each test
 * under its own key prefix, so parallel jest workers never meet), or a private
 * redis-server on a free port that a test may stop and start again.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { eventually } from '../../../../test/support/start-server';

/** The Redis `.ci/run` starts. */
export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

/** A key prefix no other test uses. */
export function uniquePrefix(): string {
  return `cnnvis-test-${randomBytes(6).toString('hex')}`;
}

/** Delete every key under `prefix` (its stream and sessions). */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

export interface PrivateRedis {
  url: string;
  /** Shut it down (its data goes: it keeps none on disk). */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Start a redis-server of this test's own, without persistence. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const cli = (...args: string[]) => execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const pong = () => {
    try {
      return cli('ping').trim() === 'PONG';
    } catch {
      return false;
    }
  };
  const redis: PrivateRedis = {
    url,
    async start() {
      execFileSync('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes']);
      await eventually(pong, 5000);
    },
    async stop() {
      cli('shutdown', 'nosave');
      await eventually(() => !pong(), 5000);
    },
  };
  await redis.start();
  return redis;
}
