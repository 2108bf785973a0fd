/**
 * A server whose Redis or PostgreSQL cannot be reached does not start: it says
 * which and why, closes what it had opened, and leaves no promise unhandled.
 */
import { execFileSync } from 'node:child_process';
import { createServer as listen } from 'node:net';
import { createServer } from 'cnnvis-server';
import { createTestSchema } from '../../../../test/support/pg-schema';
import { startPrivateRedis } from '../support/redis';

/** A local port nothing listens on. */
async function deadPort(): Promise<number> {
  const probe = listen().listen(0, '127.0.0.1');
  await new Promise((r) => probe.once('listening', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});
/** Let whatever a failed start left behind fail now, where the listener sees it. */
const settle = () => new Promise((r) => setTimeout(r, 500));

test('an unreachable --redis-url: a clear error naming it and the cause, the store closed', async () => {
  const port = await deadPort();
  const schema = await createTestSchema();
  try {
    const start = createServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', dataDir: ':memory:', databaseUrl: schema.url, redisUrl: `redis://127.0.0.1:${port}` });
    await expect(start).rejects.toThrow(`cannot reach Redis at redis://127.0.0.1:${port} (--redis-url): connect ECONNREFUSED 127.0.0.1:${port}`);
    await settle();
    expect(unhandled).toEqual([]);
  } finally {
    await schema.drop();
  }
});

test('an unreachable --database-url beside a reachable Redis: a clear error, no connection left to Redis', async () => {
  const port = await deadPort();
  const redis = await startPrivateRedis();
  try {
    const start = createServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', dataDir: ':memory:', databaseUrl: `postgres://postgres@127.0.0.1:${port}/test`, redisUrl: redis.url });
    await expect(start).rejects.toThrow(`cannot open the PostgreSQL store at 127.0.0.1:${port}/test: connect ECONNREFUSED`);
    await settle();
    expect(unhandled).toEqual([]);
    // The one client left is the one asking.
    const cli = execFileSync('redis-cli', ['-u', redis.url, 'client', 'list'], { encoding: 'utf8' });
    expect(cli.trim().split('\n')).toHaveLength(1);
  } finally {
    await redis.stop();
  }
});
