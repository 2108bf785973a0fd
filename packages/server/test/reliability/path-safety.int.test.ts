/**
 * Path and injection safety of ids: env, window, model and run ids that look
 * like paths, encodings, NUL bytes or SQL, through the SDK, the HTTP API and
 * the Visdom routes. Each is refused with a 4xx that says why, or stored as an
 * inert id that reads back exactly; nothing lands outside the data dir.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnVis, isCnnvisClientError } from '@cnnvis/client';
import type { Window } from '@cnnvis/protocol';
import { startServer, type TestServer } from '../../../../test/support/start-server';

const HOSTILE = [
  '../../etc/passwd',
  '..\\x',
  '%2e%2e%2f',
  '..%2f..%2fx',
  'a/b',
  '/etc/passwd',
  '..',
  '.',
  'nul\u0000byte',
  "x'); DROP TABLE windows;--",
  "' OR '1'='1",
  'C:\\Windows\\win.ini',
  '~/.ssh',
];

let parent: string;
let server: TestServer;
let viz: CnnVis;
let before: string[];

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'cnnvis-paths-'));
  server = await startServer({ dataDir: join(parent, 'data') });
  viz = new CnnVis({ url: server.url, env: 'ps' });
  before = readdirSync(tmpdir()).sort();
});
afterAll(async () => {
  await viz.disconnect();
  await server.close();
  rmSync(parent, { recursive: true, force: true });
});

type Verdict = 'rejected' | 'stored';
const tally: Record<string, Verdict[]> = {};
const note = (route: string, v: Verdict): void => {
  (tally[route] ??= []).push(v);
};

const enc = encodeURIComponent;

async function readBack(env: string, win: string): Promise<Window> {
  const res = await fetch(`${server.url}/api/envs/${enc(env)}/windows/${enc(win)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Window;
}

/** Either a rejection with a message, or the write stored under exactly these ids. */
async function sdkWrite(env: string, win: string): Promise<void> {
  const text = `for ${JSON.stringify([env, win])}`;
  try {
    await viz.text(text, { env, win });
  } catch (err) {
    expect(isCnnvisClientError(err) && err.message.trim() !== '').toBe(true);
    return note('sdk', 'rejected');
  }
  const back = await viz.getWindow(win, { env });
  expect([back.env, back.id, back.content.kind === 'text' ? back.content.text : '']).toEqual([env, win, text]);
  note('sdk', 'stored');
}

test.each(HOSTILE)('SDK: env and window id %j', async (id) => {
  await sdkWrite(id, 'w');
  await sdkWrite('ps', id);
});

test.each(HOSTILE)('HTTP API: env and window id %j', async (id) => {
  for (const [env, win] of [
    [id, 'w'],
    ['ps-http', id],
  ] as const) {
    const text = `http ${JSON.stringify([env, win])}`;
    const res = await fetch(`${server.url}/api/envs/${enc(env)}/windows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ win, content: { kind: 'text', text } }),
    });
    if (res.status >= 400) {
      expect(res.status).toBeLessThan(500);
      expect(((await res.json()) as { error: { message: string } }).error.message).not.toBe('');
      note('http', 'rejected');
      continue;
    }
    expect(res.status).toBe(201);
    const back = await readBack(env, win);
    expect([back.env, back.id, back.content.kind === 'text' ? back.content.text : '']).toEqual([env, win, text]);
    note('http', 'stored');
  }
});

test.each(HOSTILE)('Visdom routes: eid and win %j', async (id) => {
  for (const [eid, win] of [
    [id, 'w'],
    ['ps-visdom', id],
  ] as const) {
    const res = await fetch(`${server.url}/events`, {
      method: 'POST',
      body: JSON.stringify({ eid, win, data: [{ type: 'text', content: `visdom ${id}` }] }),
    });
    const text = await res.text();
    if (res.status >= 400) {
      expect(res.status).toBeLessThan(500);
      expect(text.trim()).not.toBe('');
      note('visdom', 'rejected');
      continue;
    }
    expect(text).toBe(win);
    // Read back the way the Python client would, with the ids it sent.
    const exists = await fetch(`${server.url}/win_exists`, { method: 'POST', body: JSON.stringify({ eid, win }) });
    expect(await exists.text()).toBe('true');
    const data = await fetch(`${server.url}/win_data`, { method: 'POST', body: JSON.stringify({ eid, win }) });
    expect(JSON.parse(await data.text()).content).toBe(`visdom ${id}`);
    note('visdom', 'stored');
  }
});

test.each(HOSTILE)('model and run ids %j are refused with a message', async (id) => {
  for (const [method, path] of [
    ['PUT', `/api/models/${enc(id)}`],
    ['GET', `/api/models/${enc(id)}/graph`],
    ['GET', `/api/runs/${enc(id)}/maps/x`],
    ['GET', `/api/runs/${enc(id)}/filters/${enc(id)}/data`],
  ] as const) {
    const res = await fetch(server.url + path, { method, body: method === 'PUT' ? new Uint8Array(16) : undefined });
    expect([path, res.status >= 400 && res.status < 500]).toEqual([path, true]);
    expect(((await res.json()) as { error: { message: string } }).error.message).not.toBe('');
    note('model/run', 'rejected');
  }
  const head = await fetch(`${server.url}/api/models/${enc(id)}`, { method: 'HEAD' });
  expect(head.status === 400 || head.status === 404).toBe(true);
});

test('nothing was written outside the data dir, and the store still works', async () => {
  expect(readdirSync(parent)).toEqual(['data']);
  const added = readdirSync(tmpdir()).filter((f) => !before.includes(f) && !f.startsWith('cnnvis-') && !f.startsWith('jest'));
  // Other tests may run beside this one; only names our ids could produce count.
  expect(added.filter((f) => /passwd|DROP|nul|win\.ini|ssh|^x$|^b$/.test(f))).toEqual([]);
  // Inside the data dir, no file may be named after an id ('.' and '..' are in every path).
  const files = readdirSync(join(parent, 'data'), { recursive: true }) as string[];
  expect(files.filter((f) => HOSTILE.some((id) => id.length > 2 && f.includes(id)))).toEqual([]);
  await viz.line({ x: [1, 2], y: [3, 4] }, { win: 'after', env: 'ps' });
  const back = await viz.getWindow('after', { env: 'ps' });
  expect(back.content.kind === 'plot' && back.content.traces[0]?.y).toEqual([3, 4]);
  const envs = (await (await fetch(`${server.url}/api/envs`)).json()) as Array<{ id: string }>;
  expect(envs.map((e) => e.id)).toContain('ps');
  const summary = Object.entries(tally).map(([route, vs]) => `${route}: ${vs.filter((v) => v === 'stored').length} stored, ${vs.filter((v) => v === 'rejected').length} rejected`);
  console.log(`path safety: ${HOSTILE.length} hostile ids; ${summary.join('; ')}; 0 files outside the data dir`);
});
