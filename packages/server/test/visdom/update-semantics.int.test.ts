/**
 * `/update` as visdom-protocol.md §4 describes it, sent as the stock client
 * sends it: per-point marker colours grow with the points (and reach browsers
 * in the live delta), non-null opts are copied and `opts.legend` renames the
 * traces, all-NaN traces are skipped, only some panes take data updates, heatmap
 * label rules, and an unknown name injects the trace as sent.
 */
import type { EnvSnapshot, ImageContent, PlotContent, TextContent, WindowDelta } from '@cnnvis/protocol';
import { callOk, connectSocket, record, type TestSocket } from '../../../../test/support/socket-client';
import { eventually } from '../../../../test/support/start-server';
import { layout, lineTrace, pngDataUri, useVisdomServer } from './visdom-client';

const server = useVisdomServer();
const { viz } = server;
let browser: TestSocket | undefined;
afterEach(async () => {
  browser?.close();
  browser = undefined;
});

const plot = async (win: string) => (await viz.window('e1', win)).content as PlotContent;
const colorsOf = (c: PlotContent) => c.traces.map((t) => (t.plotly?.['marker'] as { color?: unknown } | undefined)?.color);
const isClientError = (r: { status: number }) => r.status >= 400 && r.status < 500;

/** One scatter trace per label, as `scatter(X, Y, opts={'markercolor': …})` builds it: colours per point. */
const scatterTrace = (name: string, x: number[], y: number[], color: string[]) => ({
  x, y, name, type: 'scatter', mode: 'markers',
  marker: { size: 10, symbol: 'dot', color, line: { color: '#000000', width: 0.5 } },
});
const RED = 'rgb(255,0,0)';
const BLUE = 'rgb(0,0,255)';
const GREEN = 'rgb(0,255,0)';

test('an append to a missing window creates it in that one request, from the same body; a browser sees it created', async () => {
  browser = await connectSocket(server.url);
  await callOk<EnvSnapshot>(browser, 'env:subscribe', { env: 'e1' });
  const seen = record(browser, ['window:created', 'window:updated']);
  const marker = { size: 5, symbol: 'dot', color: [RED], line: { color: '#000000', width: 0.5 } };
  const body = { data: [{ ...scatterTrace('1', [0], [1], [RED]), marker }], win: 'fresh', eid: 'e1', name: '1', append: true, opts: { title: 'Fresh' } };
  expect(await viz.send('update', body)).toEqual({ status: 200, text: 'fresh' });
  await eventually(() => seen.length === 1);
  expect(seen[0]?.event).toBe('window:created');
  const win = await viz.window('e1', 'fresh');
  expect(win.opts).toMatchObject({ title: 'Fresh' });
  expect((win.content as PlotContent).traces).toEqual([expect.objectContaining({ name: '1', type: 'scatter', mode: 'markers', x: [0], y: [1] })]);
  // The next append changes the window it made.
  expect(await viz.send('update', { ...body, data: [scatterTrace('1', [1], [2], [BLUE])] })).toEqual({ status: 200, text: 'fresh' });
  await eventually(() => seen.length === 2);
  expect(seen[1]?.event).toBe('window:updated');
  expect(colorsOf(await plot('fresh'))).toEqual([[RED, BLUE]]);
  // Without append there is nothing to create from: Visdom's answer.
  expect(await viz.send('update', { ...body, win: 'nope', append: false })).toEqual({ status: 404, text: 'win does not exist' });
});

test('scatter append: marker.color grows with x and y, by name and in order; replace sets it', async () => {
  await viz.send('events', { data: [scatterTrace('1', [0], [0], [RED]), scatterTrace('2', [1], [1], [BLUE])], win: 'sc', eid: 'e1', layout: layout('S'), opts: { title: 'S' } });
  const byName = await viz.send('update', { data: [scatterTrace('1', [2, 3], [2, 3], [GREEN, RED])], win: 'sc', eid: 'e1', name: '1', append: true, layout: {}, opts: { title: 'S' } });
  expect(byName).toEqual({ status: 200, text: 'sc' });
  let c = await plot('sc');
  expect(c.traces[0]).toMatchObject({ x: [0, 2, 3], y: [0, 2, 3] });
  expect(colorsOf(c)).toEqual([[RED, GREEN, RED], [BLUE]]);
  // The other marker attributes stay.
  expect(c.traces[0]?.plotly?.['marker']).toMatchObject({ size: 10, symbol: 'dot', line: { color: '#000000', width: 0.5 } });

  // Without a name: one entry per trace, in order.
  await viz.send('update', { data: [scatterTrace('1', [4], [4], [BLUE]), scatterTrace('2', [5], [5], [GREEN])], win: 'sc', eid: 'e1', append: true, layout: {}, opts: {} });
  c = await plot('sc');
  expect(colorsOf(c)).toEqual([[RED, GREEN, RED, BLUE], [BLUE, GREEN]]);
  expect(c.traces[1]?.x).toEqual([1, 5]);

  // update='replace' swaps in the new points and their colours.
  await viz.send('update', { data: [scatterTrace('2', [7, 8], [7, 8], [RED, RED])], win: 'sc', eid: 'e1', name: '2', append: false, layout: {}, opts: {} });
  c = await plot('sc');
  expect(c.traces[1]).toMatchObject({ x: [7, 8], y: [7, 8] });
  expect(colorsOf(c)[1]).toEqual([RED, RED]);

  // A colour list that does not match the points is a 4xx, and changes nothing.
  const bad = await viz.send('update', { data: [scatterTrace('1', [9, 10], [9, 10], [RED])], win: 'sc', eid: 'e1', name: '1', append: true, layout: {}, opts: {} });
  expect(isClientError(bad)).toBe(true);
  expect(bad.text).toMatch(/marker\.color.*1 colours but x has 2/);
  expect(colorsOf(await plot('sc'))[0]).toEqual([RED, GREEN, RED, BLUE]);
});

test('a watching browser gets the appended colours in the append delta', async () => {
  await viz.send('events', { data: [scatterTrace('1', [0], [0], [RED])], win: 'sc', eid: 'e1', layout: {}, opts: {} });
  browser = await connectSocket(server.url);
  await callOk<EnvSnapshot>(browser, 'env:subscribe', { env: 'e1' });
  const seen = record(browser, ['window:updated', 'window:created']);
  await viz.send('update', { data: [scatterTrace('1', [1, 2], [1, 2], [BLUE, GREEN])], win: 'sc', eid: 'e1', name: '1', append: true, layout: {}, opts: {} });
  await eventually(() => seen.length === 1);
  expect(seen[0]).toEqual({
    event: 'window:updated',
    payload: { env: 'e1', win: 'sc', rev: expect.any(Number), op: { type: 'append', traces: [{ name: '1', x: [1, 2], y: [1, 2], color: [BLUE, GREEN] }] } } satisfies WindowDelta,
  });
});

test('a point whose x is NaN is dropped with its colour; a trace whose x are all NaN or None is skipped', async () => {
  await viz.send('events', { data: [scatterTrace('1', [0], [0], [RED]), scatterTrace('2', [0], [0], [RED])], win: 'nan', eid: 'e1', layout: {}, opts: {} });
  // json.dumps writes NaN bare; the second trace's x are all NaN, so Visdom leaves it alone.
  const raw =
    '{"data": [{"x": [1, NaN, 3], "y": [1, 2, 3], "name": "1", "type": "scatter", "mode": "markers", "marker": {"color": ["a", "b", "c"]}},' +
    ' {"x": [NaN, NaN], "y": [5, 6], "name": "2", "type": "scatter", "mode": "markers", "marker": {"color": ["d", "e"]}}],' +
    ' "win": "nan", "eid": "e1", "append": true, "layout": {}, "opts": {}}';
  const res = await fetch(`${server.url}/update`, { method: 'POST', body: new TextEncoder().encode(raw) });
  expect(await res.text()).toBe('nan');
  let c = await plot('nan');
  expect(c.traces.map((t) => [t.x, t.y])).toEqual([[[0, 1, 3], [0, 1, 3]], [[0], [0]]]);
  expect(colorsOf(c)).toEqual([[RED, 'a', 'c'], [RED]]);

  // All None (and an empty list) by name: skipped too, and no trace is injected for the unknown name.
  for (const x of [[null, null], []]) {
    const skip = await viz.send('update', { data: [{ x, y: x.map(() => 1), type: 'scatter' }], win: 'nan', eid: 'e1', name: 'ghost', append: true });
    expect(skip).toEqual({ status: 200, text: 'nan' });
  }
  c = await plot('nan');
  expect(c.traces.map((t) => t.name)).toEqual(['1', '2']);
});

test('update copies every non-null opt onto the window; a null one leaves it as it was', async () => {
  await viz.send('events', { data: [lineTrace('1', [0], [1])], win: 'o', eid: 'e1', layout: layout('Loss', 'step'), opts: { title: 'Loss', xlabel: 'step', ylabel: 'loss' } });
  const r = await viz.send('update', { data: [lineTrace('1', [1], [2])], win: 'o', eid: 'e1', name: '1', append: true, layout: {}, opts: { title: 'Loss (smoothed)', xlabel: null, ylabel: 'nll', width: 400, markers: true } });
  expect(r.text).toBe('o');
  const w = await viz.window('e1', 'o');
  expect(w.opts).toEqual({ title: 'Loss (smoothed)', xlabel: 'step', ylabel: 'nll', width: 400 });
  expect((w.content as PlotContent).traces[0]?.y).toEqual([1, 2]);
  // The Visdom pane shows them at its top level.
  const pane = JSON.parse((await viz.send('win_data', { win: 'o', eid: 'e1' })).text) as Record<string, unknown>;
  expect(pane).toMatchObject({ title: 'Loss (smoothed)', width: 400 });
});

test('opts.legend renames the traces in order, before the data applies', async () => {
  await viz.send('events', { data: [lineTrace('1', [0], [1]), lineTrace('2', [0], [2])], win: 'lg', eid: 'e1', layout: {}, opts: {} });
  // update_window_opts: no data, just the legend.
  expect((await viz.send('update', { win: 'lg', eid: 'e1', layout: {}, opts: { legend: ['train', 'val'] } })).text).toBe('lg');
  let c = await plot('lg');
  expect(c.traces.map((t) => [t.name, t.y])).toEqual([['train', [1]], ['val', [2]]]);
  expect((await viz.window('e1', 'lg')).opts.legend).toEqual(['train', 'val']);

  // The renamed traces are the ones a named append finds: nothing is injected.
  await viz.send('update', { data: [lineTrace('val', [1], [3])], win: 'lg', eid: 'e1', name: 'val', append: true, layout: {}, opts: { legend: ['train', 'val'] } });
  c = await plot('lg');
  expect(c.traces.map((t) => [t.name, t.y])).toEqual([['train', [1]], ['val', [2, 3]]]);

  // A legend sent with an append renames first, so the append's name already means the new trace name.
  await viz.send('update', { data: [lineTrace('b', [1], [9])], win: 'lg', eid: 'e1', name: 'b', append: true, layout: {}, opts: { legend: ['a', 'b'] } });
  c = await plot('lg');
  expect(c.traces.map((t) => [t.name, t.y])).toEqual([['a', [1]], ['b', [2, 3, 9]]]);

  // A shorter legend renames the traces it reaches (Visdom fails with an IndexError on the rest).
  await viz.send('update', { win: 'lg', eid: 'e1', opts: { legend: ['first'] } });
  expect((await plot('lg')).traces.map((t) => t.name)).toEqual(['first', 'b']);
});

test('an unknown name injects the trace as sent, attributes and all, holding just its points', async () => {
  await viz.send('events', { data: [lineTrace('train', [0, 1], [1, 0.5])], win: 'inj', eid: 'e1', layout: {}, opts: {} });
  const val = { ...lineTrace('val', [1], [0.7]), mode: 'lines+markers', line: { color: 'rgb(1,2,3)', dash: 'dot' } };
  expect((await viz.send('update', { data: [val], win: 'inj', eid: 'e1', name: 'val', append: true, layout: {}, opts: {} })).text).toBe('inj');
  const c = await plot('inj');
  expect(c.traces.map((t) => t.name)).toEqual(['train', 'val']);
  expect(c.traces[1]).toMatchObject({ type: 'scatter', mode: 'lines+markers', x: [1], y: [0.7] });
  expect(c.traces[1]?.plotly).toMatchObject({ line: { color: 'rgb(1,2,3)', dash: 'dot' }, marker: { size: 10 } });
  // Then appends go to it like any other trace.
  await viz.send('update', { data: [val], win: 'inj', eid: 'e1', name: 'val', append: true, layout: {}, opts: {} });
  expect((await plot('inj')).traces[1]?.y).toEqual([0.7, 0.7]);

  // A scatter label seen for the first time brings its colours.
  await viz.send('events', { data: [scatterTrace('1', [0], [0], [RED])], win: 'sc', eid: 'e1', layout: {}, opts: {} });
  await viz.send('update', { data: [scatterTrace('2', [1, 2], [1, 2], [BLUE, GREEN])], win: 'sc', eid: 'e1', name: '2', append: true, layout: {}, opts: {} });
  expect(colorsOf(await plot('sc'))).toEqual([[RED], [BLUE, GREEN]]);
});

test('only scatter, scattergl, custom and heatmap plots, text and image_history panes take data updates', async () => {
  await viz.send('events', { data: [{ x: ['a', 'b'], y: [1, 2], name: '1', type: 'bar' }], win: 'bar', eid: 'e1', layout: {}, opts: { title: 'Bars' } });
  for (const body of [
    { data: [lineTrace('1', [2], [3])], name: '1', append: true },
    { data: [lineTrace('1', [2], [3])], append: true },
    { data: [], name: '1', delete: true },
  ]) {
    const bad = await viz.send('update', { ...body, win: 'bar', eid: 'e1', layout: {}, opts: {} });
    expect(isClientError(bad)).toBe(true);
    expect(bad.text).toMatch(/'bar' is a bar plot, which takes no data updates/);
  }
  expect((await plot('bar')).traces.map((t) => [t.name, t.y])).toEqual([['1', [1, 2]]]);
  // Its opts still change (update_window_opts sends no data).
  expect((await viz.send('update', { win: 'bar', eid: 'e1', layout: {}, opts: { title: 'Counts' } })).text).toBe('bar');
  expect((await viz.window('e1', 'bar')).opts.title).toBe('Counts');

  for (const type of ['scattergl', 'custom']) {
    await viz.send('events', { data: [{ ...lineTrace('1', [0], [0]), type }], win: type, eid: 'e1', layout: {}, opts: {} });
    expect((await viz.send('update', { data: [{ ...lineTrace('1', [1], [1]), type }], win: type, eid: 'e1', name: '1', append: true, layout: {}, opts: {} })).text).toBe(type);
    expect((await plot(type)).traces[0]?.x).toEqual([0, 1]);
  }

  // Text: each append joins with <br>.
  await viz.send('events', { data: [{ content: 'a', type: 'text' }], win: 'log', eid: 'e1', opts: {} });
  for (const line of ['b', 'c']) await viz.send('update', { data: [{ content: line, type: 'text' }], win: 'log', eid: 'e1', opts: {} });
  expect(((await viz.window('e1', 'log')).content as TextContent).text).toBe('a<br>b<br>c');
});

test('image_history: an append selects the newest; image_update_selected moves the selection within bounds', async () => {
  const entry = (seed: number) => ({ content: { src: pngDataUri(4, 4, seed), caption: `s${seed}` }, type: 'image_history' });
  await viz.send('events', { data: [entry(1)], win: 'h', eid: 'e1', opts: {} });
  await viz.send('update', { data: [entry(2)], win: 'h', eid: 'e1', opts: {} });
  await viz.send('update', { data: [entry(3)], win: 'h', eid: 'e1', opts: {} });
  const selected = async () => ((await viz.window('e1', 'h')).content as ImageContent).selected;
  expect(await selected()).toBe(2);
  for (const [content, expected] of [[0, 0], [1, 1], [99, 2], [-5, 0]] as const) {
    await viz.send('update', { data: [{ type: 'image_update_selected', content }], win: 'h', eid: 'e1', opts: {} });
    expect(await selected()).toBe(expected);
  }
  expect(((await viz.window('e1', 'h')).content as ImageContent).images.map((i) => i.caption)).toEqual(['s1', 's2', 's3']);
});

test('heatmap edges: labels on both sides or neither, unique, one per new row or column', async () => {
  const trace = (z: number[][], x: string[] | null, y: string[] | null) => ({ z, x, y, zmin: 0, zmax: 9, type: 'heatmap', colorscale: 'Viridis' });
  const edge = (win: string, updateDir: string, t: ReturnType<typeof trace>) => viz.send('update', { data: [t], win, eid: 'e1', layout: {}, opts: {}, append: true, updateDir });
  await viz.send('events', { data: [trace([[1, 2]], ['c1', 'c2'], ['r1'])], win: 'lab', eid: 'e1', layout: {}, opts: {} });
  await viz.send('events', { data: [trace([[1, 2]], null, null)], win: 'bare', eid: 'e1', layout: {}, opts: {} });

  const cases: Array<[string, string, ReturnType<typeof trace>, RegExp]> = [
    ['lab', 'appendRow', trace([[3, 4]], null, null), /data\[0\]\.y: must name the new rows/],
    ['bare', 'appendRow', trace([[3, 4]], null, ['r2']), /data\[0\]\.y: names the new rows, but the heatmap's rows have no names/],
    ['lab', 'appendRow', trace([[3, 4]], null, ['r1']), /labels must stay unique/],
    ['lab', 'appendColumn', trace([[3, 4]], ['c3'], null), /data\[0\]\.x: has 1 names for 2 new columns/],
  ];
  for (const [win, dir, t, message] of cases) {
    const bad = await edge(win, dir, t);
    expect(isClientError(bad)).toBe(true);
    expect(bad.text).toMatch(message);
  }
  expect((await plot('lab')).traces[0]).toMatchObject({ z: [[1, 2]], x: ['c1', 'c2'], y: ['r1'] });
  expect((await plot('bare')).traces[0]?.z).toEqual([[1, 2]]);

  expect((await edge('lab', 'prependColumn', trace([[0]], ['c0'], null))).text).toBe('lab');
  expect((await edge('lab', 'appendRow', trace([[7, 8, 9]], null, ['r2']))).text).toBe('lab');
  expect((await plot('lab')).traces[0]).toMatchObject({ z: [[0, 1, 2], [7, 8, 9]], x: ['c0', 'c1', 'c2'], y: ['r1', 'r2'] });
});
