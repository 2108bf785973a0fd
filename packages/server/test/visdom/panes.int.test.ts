/**
 * Visdom's non-plot panes (image, images, image_history, text, properties,
 * network) and update_window_opts, as the stock client sends them.
 */
import type { ImageContent, NetworkContent, PropertiesContent, TextContent } from '@cnnvis/protocol';
import { jpegDataUri, layout, lineTrace, pngDataUri, useVisdomServer } from './visdom-client';

const server = useVisdomServer();
const { viz } = server;

const bytesOf = (uri: string) => Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64');

async function fetchImage(url: string) {
  const res = await fetch(server.url + url);
  expect(res.status).toBe(200);
  return { type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

test('image: a PNG data URI is stored as its PNG bytes; a JPEG too', async () => {
  const src = pngDataUri(224, 224);
  const reply = await viz.send('events', {
    data: [{ content: { src, caption: 'epoch 1' }, type: 'image' }],
    win: 'img', eid: 'e1', opts: { caption: 'epoch 1', width: 224, height: 224 },
  });
  expect(reply).toEqual({ status: 200, text: 'img' });
  const w = await viz.window('e1', 'img');
  expect(w.opts).toEqual({ caption: 'epoch 1', width: 224, height: 224 });
  const c = w.content as ImageContent;
  expect(c.images).toHaveLength(1);
  expect(c.images[0]).toMatchObject({ mime: 'image/png', width: 224, height: 224, caption: 'epoch 1' });
  expect(c.selected).toBeUndefined();
  const got = await fetchImage(c.images[0]?.url ?? '');
  expect(got.type).toBe('image/png');
  expect(got.bytes.equals(bytesOf(src))).toBe(true);

  // jpgquality set: the client sends a JPEG; a 28-pixel width is below the pane minimum and is raised.
  const jpeg = jpegDataUri(28, 28);
  expect((await viz.send('events', { data: [{ content: { src: jpeg, caption: null }, type: 'image' }], win: 'jpg', eid: 'e1', opts: { jpgquality: 90, width: 28, height: 28 } })).text).toBe('jpg');
  const j = await viz.window('e1', 'jpg');
  expect(j.opts).toEqual({ width: 50, height: 50 });
  expect((j.content as ImageContent).images[0]).toMatchObject({ mime: 'image/jpeg', width: 28, height: 28 });
  expect((await fetchImage((j.content as ImageContent).images[0]?.url ?? '')).bytes.equals(bytesOf(jpeg))).toBe(true);

  const bad = await viz.send('events', { data: [{ content: { src: 'data:image/png;base64,AAAA' }, type: 'image' }], win: 'bad', eid: 'e1', opts: {} });
  expect(bad.status).toBe(400);
  expect(bad.text).toMatch(/not a valid PNG/);
});

test('images: the client tiles the grid and sends one image', async () => {
  // images(B=4, nrow=2, padding=2) of 8×8 tiles: one (2*8+3*2)² = 22×22 PNG.
  const src = pngDataUri(22, 22, 3);
  expect((await viz.send('events', { data: [{ content: { src, caption: 'batch' }, type: 'image' }], win: 'grid', eid: 'e1', opts: { caption: 'batch' } })).text).toBe('grid');
  const c = (await viz.window('e1', 'grid')).content as ImageContent;
  expect(c.images.map((i) => [i.width, i.height])).toEqual([[22, 22]]);
});

test('image_history (store_history): create, then each update appends and selects the newest', async () => {
  const send = (endpoint: string, seed: number) =>
    viz.send(endpoint, { data: [{ content: { src: pngDataUri(8, 8, seed), caption: `step ${seed}` }, type: 'image_history' }], win: 'hist', eid: 'e1', opts: { store_history: true, caption: `step ${seed}` } });
  expect((await send('events', 1)).text).toBe('hist');
  let c = (await viz.window('e1', 'hist')).content as ImageContent;
  expect([c.images.length, c.selected]).toEqual([1, 0]);
  expect((await viz.send('win_exists', { win: 'hist', eid: 'e1' })).text).toBe('true');
  expect((await send('update', 2)).text).toBe('hist');
  expect((await send('update', 3)).text).toBe('hist');
  c = (await viz.window('e1', 'hist')).content as ImageContent;
  expect(c.images.map((i) => i.caption)).toEqual(['step 1', 'step 2', 'step 3']);
  expect(c.selected).toBe(2);
  expect((await fetchImage(c.images[1]?.url ?? '')).bytes.equals(bytesOf(pngDataUri(8, 8, 2)))).toBe(true);

  // A plain image takes no updates: a 4xx that says so.
  await viz.send('events', { data: [{ content: { src: pngDataUri(8, 8) }, type: 'image' }], win: 'plain', eid: 'e1', opts: {} });
  const bad = await viz.send('update', { data: [{ content: { src: pngDataUri(8, 8) }, type: 'image_history' }], win: 'plain', eid: 'e1', opts: {} });
  expect(bad.status).toBe(400);
  expect(bad.text).toMatch(/not an image history/);
});

test('text: create, then append joins with <br>', async () => {
  expect((await viz.send('events', { data: [{ content: '<b>hello</b>', type: 'text' }], win: 'log', eid: 'e1', opts: { title: 'Log' } })).text).toBe('log');
  expect((await viz.send('update', { data: [{ content: 'epoch 1 done', type: 'text' }], win: 'log', eid: 'e1', opts: { title: 'Log' } })).text).toBe('log');
  const w = await viz.window('e1', 'log');
  expect(w.content as TextContent).toEqual({ kind: 'text', text: '<b>hello</b><br>epoch 1 done' });
  expect(w.opts).toEqual({ title: 'Log' });
});

test('properties and network panes', async () => {
  const properties = [
    { type: 'text', name: 'Text input', value: 'initial' },
    { type: 'number', name: 'Number input', value: '12' },
    { type: 'button', name: 'Button', value: 'Start' },
    { type: 'checkbox', name: 'Checkbox', value: true },
    { type: 'select', name: 'Select', value: 1, values: ['Red', 'Green', 'Blue'] },
  ];
  expect((await viz.send('events', { data: [{ content: properties, type: 'properties' }], win: 'props', eid: 'e1', opts: {} })).text).toBe('props');
  expect((await viz.window('e1', 'props')).content as PropertiesContent).toEqual({ kind: 'properties', properties });

  const network = {
    content: { nodes: [{ name: '0', label: 'a', club: 0 }, { name: '1', label: 'b', club: 1 }], edges: [{ source: 0, target: 1, label: '0-1' }] },
    type: 'network', directed: true, showEdgeLabels: true, showVertexLabels: true,
  };
  expect((await viz.send('events', { data: [network], win: 'net', eid: 'e1', opts: { title: 'Graph' } })).text).toBe('net');
  expect((await viz.window('e1', 'net')).content as NetworkContent).toEqual({ kind: 'network', ...network.content, directed: true, showEdgeLabels: true, showVertexLabels: true });

  // Properties take no data updates (the client re-sends the pane); the reply says so.
  const bad = await viz.send('update', { data: [{ content: properties, type: 'properties' }], win: 'props', eid: 'e1', opts: {} });
  expect(bad.status).toBe(400);
  expect(bad.text).toMatch(/properties pane/);
});

test('update_window_opts changes only the opts', async () => {
  await viz.send('events', { data: [lineTrace('1', [0, 1], [1, 2])], win: 'w', eid: 'e1', layout: layout('Old'), opts: { title: 'Old' } });
  const reply = await viz.send('update', { win: 'w', eid: 'e1', layout: layout('New', 'epoch'), opts: { title: 'New', xlabel: 'epoch', width: 400 } });
  expect(reply).toEqual({ status: 200, text: 'w' });
  const w = await viz.window('e1', 'w');
  expect(w.opts).toEqual({ title: 'New', xlabel: 'epoch', width: 400 });
  expect(w.content).toMatchObject({ traces: [{ x: [0, 1], y: [1, 2] }], layout: { title: 'New', xaxis: { title: 'epoch' } } });
});
