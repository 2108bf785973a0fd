/**
 * The write journal's entries on disk: small images' bytes follow their JSON
 * line raw; entries of the earlier format (base64 in the line) still replay;
 * an entry cut short is dropped; a write the disk cut short is taken back.
 */
import fs, { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnVis } from '@cnnvis/client';
import { spawnServer } from '../../../test/support/spawn-server';
import { SqliteStore } from '../src/store/sqlite-store';
import { JOURNAL_FILE, WriteJournal, type ImageRecord, type JournalRecord } from '../src/store/write-journal';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cnnvis-entries-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const journal = () => join(dir, JOURNAL_FILE);
const frames = Array.from({ length: 6 }, (_, k) => Uint8Array.from({ length: 3 * 16 * 16 }, (_, i) => (i * 7 + k * 13) % 256));

/** Six acknowledged replacements of one small image pane, then SIGKILL before SQLite took them. */
async function killedAfterImages(): Promise<void> {
  const server = await spawnServer(['--port', '0', '--data-dir', dir]);
  const viz = new CnnVis({ url: server.url, env: 'e' });
  for (const data of frames) await viz.image({ data, shape: [3, 16, 16] }, { win: 'img' });
  server.child.kill('SIGKILL');
  await server.exited;
  await viz.disconnect();
}

function readBack(): { rev: number | undefined; bytes: Buffer } {
  const store = new SqliteStore(dir);
  try {
    return { rev: store.getWindow('e', 'img')?.rev, bytes: Buffer.from(store.getImage('e', 'img', 0)?.data ?? []) };
  } finally {
    store.close();
  }
}

test('small images follow their JSON line as raw bytes, and replay after SIGKILL', async () => {
  await killedAfterImages();
  const text = readFileSync(journal());
  expect(text.includes(Buffer.from(frames[5] as Uint8Array))).toBe(true);
  expect(text.toString('latin1')).not.toContain('b64');
  expect(readBack()).toEqual({ rev: 6, bytes: Buffer.from(frames[5] as Uint8Array) });
});

test('a journal of the earlier format (base64 in the line) replays', async () => {
  await killedAfterImages();
  const old = new WriteJournal(dir);
  const records = old.read();
  old.close();
  expect(records.filter((r) => r.type === 'image').length).toBeGreaterThan(0);
  const lines = records.map((r: JournalRecord) => {
    if (r.type !== 'image' || !('inline' in r)) return JSON.stringify(r);
    const { inline, ...head } = r;
    return JSON.stringify({ ...head, inline: inline.map(({ data, ...meta }) => ({ ...meta, b64: Buffer.from(data).toString('base64') })) });
  });
  writeFileSync(journal(), `${lines.join('\n')}\n`);
  expect(readBack()).toEqual({ rev: 6, bytes: Buffer.from(frames[5] as Uint8Array) });
});

test('an image entry cut short is dropped, and the acknowledged ones before it kept', async () => {
  await killedAfterImages();
  const head = { type: 'image', seq: 1e9, env: 'e', win: 'img', rev: 99, at: 1, opts: '{}', content: '{}' };
  const torn = JSON.stringify({ ...head, inline: [{ encoding: 'raw', width: 16, height: 16, channels: 3 }], bytes: [768] });
  appendFileSync(journal(), Buffer.concat([Buffer.from(`${torn}\n`), Buffer.alloc(100, 9)]));
  expect(readBack()).toEqual({ rev: 6, bytes: Buffer.from(frames[5] as Uint8Array) });
});

test('a write the disk cuts short is taken back and throws, so later entries still replay', () => {
  const j = new WriteJournal(dir);
  const image = (seq: number): ImageRecord => ({
    type: 'image', seq, env: 'e', win: 'img', rev: seq, at: seq, opts: '{}', content: '{}',
    inline: [{ encoding: 'raw', width: 2, height: 2, channels: 1, data: new Uint8Array([seq, 2, 3, 4]) }],
  });
  j.write(image(1));
  const size = statSync(journal()).size;
  const writev = fs.writevSync;
  // A full disk: only the JSON line gets written.
  jest.spyOn(fs, 'writevSync').mockImplementationOnce((fd, buffers) => writev(fd, buffers.slice(0, 1)));
  expect(() => j.write(image(2))).toThrow(/write journal took \d+ of \d+ bytes \(is the disk full\?\)/);
  expect(statSync(journal()).size).toBe(size);
  j.write(image(3));
  const read = j.read();
  j.close();
  expect(read.map((r) => r.seq)).toEqual([1, 3]);
  expect([...((read[1] as ImageRecord & { inline: Array<{ data: Uint8Array }> }).inline[0]?.data ?? [])]).toEqual([3, 2, 3, 4]);
});
