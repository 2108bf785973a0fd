/**
 * Visdom's window and env endpoints: close, win_exists, win_data, env_state,
 * /env/<eid>, save, fork_env, delete_env; malformed bodies; --base-url.
 */
import WebSocket from 'ws';
import type { Window } from '@cnnvis/protocol';
import { startServer } from '../../../../test/support/start-server';
import { layout, lineTrace, pngDataUri, postRaw, useVisdomServer, visdom } from './visdom-client';

const server = useVisdomServer();
const { viz } = server;

const line = (win: string, eid = 'e1') => viz.send('events', { data: [lineTrace('train', [0, 1], [1, 2])], win, eid, layout: layout('T'), opts: { title: 'T' } });
const status = async (env: string, win: string) => (await fetch(`${server.url}/api/envs/${env}/windows/${win}`)).status;

test('close one window, then all; win_exists follows', async () => {
  await line('a');
  await line('b');
  await line('c');
  expect((await viz.send('win_exists', { win: 'a', eid: 'e1' })).text).toBe('true');
  expect(await viz.send('close', { win: 'a', eid: 'e1' })).toEqual({ status: 200, text: '' });
  expect((await viz.send('win_exists', { win: 'a', eid: 'e1' })).text).toBe('false');
  expect(await status('e1', 'a')).toBe(404);
  expect(await status('e1', 'b')).toBe(200);
  expect(await viz.send('close', { win: null, eid: 'e1' })).toEqual({ status: 200, text: '' });
  expect(await status('e1', 'b')).toBe(404);
  expect(await status('e1', 'c')).toBe(404);
  expect((await viz.send('win_exists', { win: 'zzz', eid: 'nowhere' })).text).toBe('false');
});

test('win_data: get one and all as Visdom panes; set from what get returned', async () => {
  await line('loss');
  await viz.send('events', { data: [{ content: { src: pngDataUri(4, 4), caption: 'c' }, type: 'image' }], win: 'img', eid: 'e1', opts: {} });
  const one = await viz.send('win_data', { win: 'loss', eid: 'e1' });
  expect(one.status).toBe(200);
  const pane = JSON.parse(one.text) as { id: string; type: string; title: string; content: { data: Array<Record<string, unknown>> } };
  expect(pane).toMatchObject({ command: 'window', id: 'loss', type: 'plot', title: 'T' });
  expect(pane.content.data[0]).toMatchObject({ name: 'train', type: 'scatter', mode: 'lines', x: [0, 1], y: [1, 2], marker: { size: 10 } });

  const all = JSON.parse((await viz.send('win_data', { win: null, eid: 'e1' })).text) as Record<string, { type: string; content: { src?: string } }>;
  expect(Object.keys(all).sort()).toEqual(['img', 'loss']);
  expect(all['img']?.type).toBe('image');
  expect(all['img']?.content.src).toBe(pngDataUri(4, 4));

  // set_window_data(json.dumps(edited)) overwrites the window.
  (pane.content.data[0] as { y: number[] }).y = [5, 6];
  expect((await viz.send('win_data', { win: 'loss', eid: 'e1', data: JSON.stringify(pane) })).status).toBe(200);
  const w = await viz.window('e1', 'loss');
  expect(w.content).toMatchObject({ traces: [{ name: 'train', y: [5, 6] }] });
  expect(w.opts.title).toBe('T');

  // Setting the whole env: windows not in the map go.
  const { img } = all;
  expect((await viz.send('win_data', { win: null, eid: 'e1', data: JSON.stringify({ img }) })).status).toBe(200);
  expect(await status('e1', 'loss')).toBe(404);
  expect(await status('e1', 'img')).toBe(200);

  const missing = await viz.send('win_data', { win: 'nope', eid: 'e1' });
  expect(missing.status).toBe(404);
  expect(missing.text).toMatch(/window 'nope' not found/);
});

test('env_state, /env/<eid>, save, fork_env, delete_env', async () => {
  await line('loss', 'train');
  // Visdom(env='fresh') first posts /env/fresh {"eid": "fresh"}: an empty env appears.
  expect(await viz.send('env/fresh', { eid: 'fresh' })).toEqual({ status: 200, text: '' });
  expect(JSON.parse((await viz.send('env_state', {})).text)).toEqual(expect.arrayContaining(['train', 'fresh']));
  const summary = (await (await fetch(`${server.url}/api/envs/fresh`)).json()) as { windows: number };
  expect(summary.windows).toBe(0);
  // eid with '/' becomes '_', as in Visdom.
  await viz.send('env/a_b', { eid: 'a/b' });
  expect(JSON.parse((await viz.send('env_state', {})).text)).toContain('a_b');

  // Everything already persists: save replies the envs that exist.
  expect(await viz.send('save', { data: ['train', 'ghost'] })).toEqual({ status: 200, text: '["train"]' });

  expect(await viz.send('fork_env', { prev_eid: 'train', eid: 'train_copy' })).toEqual({ status: 200, text: 'train_copy' });
  expect((await viz.window('train_copy', 'loss')).content).toMatchObject({ traces: [{ y: [1, 2] }] });
  const clash = await viz.send('fork_env', { prev_eid: 'train', eid: 'train_copy' });
  expect(clash.status).toBe(409);
  expect(clash.text).toMatch(/already exists/);

  expect(await viz.send('delete_env', { eid: 'train_copy' })).toEqual({ status: 200, text: 'train_copy' });
  expect((await fetch(`${server.url}/api/envs/train_copy`)).status).toBe(404);
  // Visdom answers an env it never saved with an empty 500; here, a 404 naming it.
  const never = await viz.send('delete_env', { eid: 'never_saved' });
  expect(never.status).toBe(404);
  expect(never.text).toMatch(/env 'never_saved' not found/);
});

test('malformed bodies are a 4xx with a message, never an empty 500', async () => {
  for (const [endpoint, text] of [
    ['events', '{"data": [1, 2'],
    ['update', 'not json'],
    ['events', '[1, 2]'],
    ['win_exists', '"win"'],
  ] as const) {
    const r = await postRaw(`${server.url}/${endpoint}`, text);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/^body: /);
  }
  const noData = await viz.send('events', { win: 'x', eid: 'e1' });
  expect(noData.status).toBe(400);
  expect(noData.text).toMatch(/^data: /);
  const lua = await viz.send('events', { func: 'plot', win: 'x' });
  expect(lua.status).toBe(400);
  expect(lua.text).toMatch(/Lua/);
  const badTrace = await viz.send('events', { data: [{ type: 'Not A Type', x: [1] }], win: 'x', eid: 'e1' });
  expect(badTrace.status).toBe(400);
  const badProp = await viz.send('events', { data: [{ type: 'properties', content: [{ type: 'slider', name: 'n', value: 1 }] }], win: 'x', eid: 'e1' });
  expect(badProp.status).toBe(400);
  expect(badProp.text).toMatch(/content\.properties\.0\.type|properties/);
  // A JSON content type changes nothing.
  const res = await fetch(`${server.url}/win_exists`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"win": "x", "eid": "e1"}' });
  expect(await res.text()).toBe('false');
});

test('--base-url prefixes the Visdom routes', async () => {
  const based = await startServer({ baseUrl: '/visdom/' });
  try {
    const v = visdom(based.url, '/visdom');
    expect((await v.send('events', { data: [{ content: 'hi', type: 'text' }], win: 't', eid: 'e1', opts: {} })).text).toBe('t');
    expect((await v.send('win_exists', { win: 't', eid: 'e1' })).text).toBe('true');
    expect(((await v.window('e1', 't')) as Window).kind).toBe('text');
    expect((await postRaw(`${based.url}/events`, '{}')).status).toBe(404);
    const ws = new WebSocket(`${based.url.replace('http', 'ws')}/visdom/vis_socket`);
    const first = await new Promise<string>((resolve, reject) => {
      ws.once('message', (data) => resolve(String(data)));
      ws.once('error', reject);
    });
    ws.close();
    expect(JSON.parse(first)).toEqual({ command: 'alive', data: 'vis_alive' });
  } finally {
    await based.close();
  }
});
