/**
 * Image bytes live in append-only segment files beside the database: they
 * read back exactly, survive SIGKILL, are shared by forks, and the space of
 * replaced or deleted images comes back (empty segments deleted, mostly dead
 * ones compacted).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CnnVis } from '@cnnvis/client';
import { createTestSchema, TEST_STORE } from '../../../test/support/pg-schema';
import { spawnServer, storeArgs } from '../../../test/support/spawn-server';
import { DB_FILE } from '../src/store/open-database';
import { PgStore } from '../src/store/pg-store';
import { SqliteStore } from '../src/store/sqlite-store';
import type { StoredImage, WindowStore } from '../src/store/window-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cnnvis-image-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SEGMENT = 64 * 1024;

function noise(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 97) % 251);
}
function raw(data: Uint8Array): StoredImage {
  return { encoding: 'raw', width: data.length / 100, height: 100, channels: 1, data };
}
async function putImage(store: SqliteStore, env: string, win: string, data: Uint8Array): Promise<void> {
  await store.createWindow({ env, win, opts: {}, content: { kind: 'image', images: [raw(data)], nrow: 1, padding: 0 } });
}
const segments = () => readdirSync(join(dir, 'images')).filter((n) => n.endsWith('.blobs'));
const segmentBytes = () => segments().reduce((sum, n) => sum + statSync(join(dir, 'images', n)).size, 0);
const bytesOf = async (store: Pick<WindowStore, 'getImage'>, env: string, win: string) => Buffer.from((await store.getImage(env, win, 0))?.data ?? []);

test('bytes go to the log, not the database, and read back exactly', async () => {
  const store = new SqliteStore(dir);
  const data = noise(30_000, 1);
  await putImage(store, 'e', 'img', data);
  expect((await bytesOf(store, 'e', 'img')).equals(Buffer.from(data))).toBe(true);
  await store.close();
  const db = new BetterSqlite3(join(dir, DB_FILE), { readonly: true });
  const row = db.prepare('SELECT len FROM images').get() as { len: number };
  db.close();
  expect(row).toEqual({ len: 30_000 });
  expect(segmentBytes()).toBe(30_000);
});

test('replacing an image over and over keeps the space bounded', async () => {
  const store = new SqliteStore(dir, {}, { imageSegmentBytes: SEGMENT });
  let last = noise(10_000, 0);
  for (let i = 0; i < 200; i++) await putImage(store, 'e', 'img', (last = noise(10_000, i)));
  expect((await bytesOf(store, 'e', 'img')).equals(Buffer.from(last))).toBe(true);
  // 2 MB written; what stays is the current segment and at most one sealed one.
  expect(segments().length).toBeLessThanOrEqual(2);
  expect(segmentBytes()).toBeLessThanOrEqual(2 * SEGMENT);
  await store.close();
});

test('a few live images in old segments are compacted forward, still exact', async () => {
  const store = new SqliteStore(dir, {}, { imageSegmentBytes: SEGMENT });
  const keep = Array.from({ length: 5 }, (_, i) => noise(6_000, 100 + i));
  for (const [i, data] of keep.entries()) await putImage(store, 'e', `keep${i}`, data);
  for (let i = 0; i < 100; i++) await putImage(store, 'e', 'churn', noise(10_000, i));
  for (const [i, data] of keep.entries()) expect((await bytesOf(store, 'e', `keep${i}`)).equals(Buffer.from(data))).toBe(true);
  expect(segments().length).toBeLessThanOrEqual(2);
  await store.close();
  // And after a restart.
  const reopened = new SqliteStore(dir, {}, { imageSegmentBytes: SEGMENT });
  for (const [i, data] of keep.entries()) expect((await bytesOf(reopened, 'e', `keep${i}`)).equals(Buffer.from(data))).toBe(true);
  await reopened.close();
});

test('a fork shares the bytes; deleting both envs frees every segment', async () => {
  const store = new SqliteStore(dir, {}, { imageSegmentBytes: SEGMENT });
  const data = noise(40_000, 7);
  await putImage(store, 'a', 'img', data);
  await store.forkEnv('a', 'b');
  expect(segmentBytes()).toBe(40_000); // not copied
  await store.deleteEnv('a');
  expect((await bytesOf(store, 'b', 'img')).equals(Buffer.from(data))).toBe(true);
  for (let i = 0; i < 3; i++) await putImage(store, 'c', 'filler', noise(40_000, i)); // roll past the first segment
  await store.deleteEnv('b');
  await store.deleteEnv('c');
  await putImage(store, 'd', 'tiny', noise(100, 1)); // any write collects
  expect(segmentBytes()).toBeLessThanOrEqual(SEGMENT);
  await store.close();
});

// On either store the suite runs on (spawnServer gives the folder its PostgreSQL schema).
test('acknowledged images survive SIGKILL', async () => {
  const server = await spawnServer(['--port', '0', ...(await storeArgs(dir))]);
  const viz = new CnnVis({ url: server.url, env: 'e' });
  const images = Array.from({ length: 20 }, (_, i) => noise(3 * 64 * 64, i));
  for (const [i, data] of images.entries()) await viz.image({ data, shape: [3, 64, 64] }, { win: `img${i % 7}` });
  server.child.kill('SIGKILL');
  await server.exited;
  await viz.disconnect();
  const store = TEST_STORE === 'postgres' ? await PgStore.open((await createTestSchema(undefined, dir)).url, dir) : new SqliteStore(dir);
  for (let w = 0; w < 7; w++) {
    const lastWritten = Math.max(...images.map((_, i) => i).filter((i) => i % 7 === w));
    expect((await bytesOf(store, 'e', `img${w}`)).equals(Buffer.from(images[lastWritten] as Uint8Array))).toBe(true);
  }
  await store.close();
});
