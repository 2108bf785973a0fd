/**
 * Test helpers shared by every package's integration tests: a real server on
 * port 0 with its own data dir, and small waiting utilities.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import { createServer, type ServerOptions } from 'cnnvis-server';
import { createTestSchema, TEST_STORE } from './pg-schema';

export { TEST_STORE } from './pg-schema';

export interface TestServer {
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Start the real server on 127.0.0.1:0 with a fresh temporary data dir. With
 * CNNVIS_TEST_STORE=postgres its store is a fresh schema of the test database
 * (so the whole suite can run against PostgreSQL).
 */
export async function startServer(opts: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'cnnvis-test-'));
  // A caller's own data dir keeps its schema (a restart on it finds the data); a temporary one's goes with it.
  const schema = TEST_STORE === 'postgres' && opts.databaseUrl === undefined ? await createTestSchema(undefined, opts.dataDir) : undefined;
  const server = await createServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...opts, dataDir, ...(schema === undefined ? {} : { databaseUrl: schema.url }) });
  return {
    url: server.url,
    dataDir,
    async close() {
      await server.close();
      if (opts.dataDir === undefined) {
        await schema?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Resolve with the first payload of `event`. */
export function waitFor<T = unknown>(emitter: Pick<EventEmitter, 'once'>, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (value: T) => resolve(value)));
}

/** Poll `check` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() - start > timeoutMs) throw last ?? new Error('eventually: timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}
