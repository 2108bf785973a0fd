/**
 * Visdom plot calls (line, scatter, bar, histogram, heatmap) sent as the stock
 * client sends them; each reply text and the resulting window via the native read API.
 */
import type { PlotContent } from '@cnnvis/protocol';
import { layout, lineTrace, useVisdomServer } from './visdom-client';

const server = useVisdomServer();
const { viz } = server;

const plot = async (win: string, env = 'e1') => {
  const w = await viz.window(env, win);
  expect(w.kind).toBe('plot');
  return w.content as PlotContent;
};

/** viz.line(Y, X, win='loss', env='e1', update='append', name=…): /win_exists, then /update. */
async function appendLine(win: string, name: string | undefined, traces: ReturnType<typeof lineTrace>[]) {
  expect(await viz.send('win_exists', { win, eid: 'e1' })).toEqual({ status: 200, text: 'true' });
  return viz.send('update', { data: traces, win, eid: 'e1', name, append: true, layout: {}, opts: { title: 'Loss', xlabel: 'step' } });
}

test('line: create, append by name, inject a new trace, replace, remove', async () => {
  const create = await viz.send('events', {
    data: [lineTrace('train', [0, 1], [1, 0.9])],
    win: 'loss',
    eid: 'e1',
    layout: layout('Loss', 'step'),
    opts: { title: 'Loss', xlabel: 'step', markers: false, webgl: false },
  });
  expect(create).toEqual({ status: 200, text: 'loss' });
  const created = await viz.window('e1', 'loss');
  expect(created.opts).toEqual({ title: 'Loss', xlabel: 'step' });
  const c0 = created.content as PlotContent;
  expect(c0.traces[0]).toMatchObject({ name: 'train', type: 'scatter', mode: 'lines', x: [0, 1], y: [1, 0.9] });
  expect(c0.traces[0]?.plotly).toEqual({ marker: { size: 10, symbol: 'dot', line: { color: '#000000', width: 0.5 } } });
  expect(c0.layout).toMatchObject({ title: 'Loss', margin: { l: 60, r: 60, t: 60, b: 60 } });

  expect(await appendLine('loss', 'train', [lineTrace('train', [2], [0.8])])).toEqual({ status: 200, text: 'loss' });
  expect((await plot('loss')).traces[0]).toMatchObject({ x: [0, 1, 2], y: [1, 0.9, 0.8] });

  // An unknown name injects a trace holding just the new points.
  expect(await appendLine('loss', 'val', [lineTrace('val', [2], [0.95])])).toEqual({ status: 200, text: 'loss' });
  let c = await plot('loss');
  expect(c.traces.map((t) => [t.name, t.x, t.y])).toEqual([['train', [0, 1, 2], [1, 0.9, 0.8]], ['val', [2], [0.95]]]);

  // update='replace' swaps in the new points.
  const replace = await viz.send('update', { data: [lineTrace('val', [0, 1], [2, 1])], win: 'loss', eid: 'e1', name: 'val', append: false, opts: {} });
  expect(replace.text).toBe('loss');
  c = await plot('loss');
  expect(c.traces[1]).toMatchObject({ name: 'val', x: [0, 1], y: [2, 1] });

  // update='remove' drops the trace.
  expect(await viz.send('update', { data: [], win: 'loss', eid: 'e1', name: 'val', delete: true })).toEqual({ status: 200, text: 'loss' });
  expect((await plot('loss')).traces.map((t) => t.name)).toEqual(['train']);
});

test('line: an append without name goes to every trace in order; one trace for two is a 4xx with a message', async () => {
  await viz.send('events', { data: [lineTrace('1', [0], [1]), lineTrace('2', [0], [2])], win: 'two', eid: 'e1', layout: layout(''), opts: {} });
  const ok = await appendLine('two', undefined, [lineTrace('1', [1], [1.5]), lineTrace('2', [1], [2.5])]);
  expect(ok).toEqual({ status: 200, text: 'two' });
  expect((await plot('two')).traces.map((t) => t.y)).toEqual([[1, 1.5], [2, 2.5]]);

  // Visdom answers this with an empty 500 (IndexError); cnnvis says what is wrong.
  const bad = await appendLine('two', undefined, [lineTrace('1', [2], [9])]);
  expect(bad.status).toBeGreaterThanOrEqual(400);
  expect(bad.status).toBeLessThan(500);
  expect(bad.text).toMatch(/1 trace.*'two' has 2/);
  expect((await plot('two')).traces.map((t) => t.y)).toEqual([[1, 1.5], [2, 2.5]]);
});

test('line: a window given a second trace through the native API refuses a one-trace append as well', async () => {
  await viz.send('events', { data: [lineTrace('1', [0], [1])], win: 'grown', eid: 'e1', layout: layout(''), opts: {} });
  expect(await appendLine('grown', undefined, [lineTrace('1', [1], [2])])).toEqual({ status: 200, text: 'grown' });
  // The native API (not Visdom) adds a trace: Visdom's next unnamed append must see it.
  const res = await fetch(`${server.url}/api/envs/e1/windows/grown`, {
    method: 'PATCH',
    body: JSON.stringify({ type: 'append', traces: [{ name: 'extra', x: [0], y: [5] }] }),
  });
  expect(res.status).toBe(200);
  const bad = await appendLine('grown', undefined, [lineTrace('1', [2], [9])]);
  expect(bad.status).toBeGreaterThanOrEqual(400);
  expect(bad.status).toBeLessThan(500);
  expect(bad.text).toMatch(/1 trace.*'grown' has 2/);
  expect((await plot('grown')).traces.map((t) => t.y)).toEqual([[1, 2], [5]]);
});

test('line: NaN from json.dumps and all-NaN x are tolerated; /update of a missing window', async () => {
  await viz.send('events', { data: [lineTrace('1', [0], [1])], win: 'nan', eid: 'e1', layout: layout(''), opts: {} });
  const raw = '{"data": [{"x": [1, 2], "y": [NaN, 3.0], "name": "1", "type": "scatter", "mode": "lines"}], "win": "nan", "eid": "e1", "name": "1", "append": true}';
  const res = await fetch(`${server.url}/update`, { method: 'POST', body: new TextEncoder().encode(raw) });
  expect(await res.text()).toBe('nan');
  expect((await plot('nan')).traces[0]).toMatchObject({ x: [0, 1, 2], y: [1, null, 3] });
  const skip = await viz.send('update', { data: [{ x: [null], y: [5], type: 'scatter' }], win: 'nan', eid: 'e1', name: '1', append: true });
  expect(skip.text).toBe('nan');
  expect((await plot('nan')).traces[0]?.x).toEqual([0, 1, 2]);

  expect(await viz.send('update', { data: [lineTrace('1', [0], [1])], win: 'nope', eid: 'e1', append: false })).toEqual({ status: 404, text: 'win does not exist' });
  // append=true to a missing window creates it, as /events would.
  expect((await viz.send('update', { data: [lineTrace('1', [0], [1])], win: 'fresh', eid: 'e1', name: '1', append: true, layout: {} })).text).toBe('fresh');
  expect((await plot('fresh')).traces[0]).toMatchObject({ x: [0], y: [1] });
});

test('scatter: one trace per label with marker opts, and appends by name', async () => {
  const marker = { size: 8, symbol: 'dot', color: ['rgb(255,0,0)', 'rgb(255,0,0)'], line: { color: '#000000', width: 0.5 } };
  const data = [
    { x: [0.1, 0.2], y: [1, 2], name: '1', type: 'scatter', mode: 'markers', marker },
    { x: [0.5], y: [3], name: '2', type: 'scatter', mode: 'markers', marker: { ...marker, color: ['rgb(0,0,255)'] } },
  ];
  expect((await viz.send('events', { data, win: 'sc', eid: 'e1', layout: layout('Scatter'), opts: { title: 'Scatter', markersize: 8 } })).text).toBe('sc');
  const c = await plot('sc');
  expect(c.traces.map((t) => [t.name, t.mode, t.x])).toEqual([['1', 'markers', [0.1, 0.2]], ['2', 'markers', [0.5]]]);
  expect(c.traces[0]?.plotly?.['marker']).toEqual(marker);
  expect((await viz.window('e1', 'sc')).opts).toEqual({ title: 'Scatter', markersize: 8 });
  await viz.send('update', { data: [{ x: [0.9], y: [9], name: '2', type: 'scatter', mode: 'markers' }], win: 'sc', eid: 'e1', name: '2', append: true });
  expect((await plot('sc')).traces[1]?.x).toEqual([0.5, 0.9]);
  // A 3-D scatter: z is a flat list, which plotly takes as is.
  await viz.send('events', { data: [{ x: [1], y: [2], z: [3], name: '1', type: 'scatter3d', mode: 'markers' }], win: 's3', eid: 'e1', layout: {}, opts: {} });
  expect((await plot('s3')).traces[0]).toMatchObject({ type: 'scatter3d', plotly: { z: [3] } });
});

test('bar and histogram (binned by the client, sent as bar)', async () => {
  const bar = await viz.send('events', {
    data: [
      { x: ['a', 'b'], y: [1, 2], name: 'x1', type: 'bar' },
      { x: ['a', 'b'], y: [3, 4], name: 'x2', type: 'bar' },
    ],
    win: 'bar', eid: 'e1', layout: { ...layout('Bars'), barmode: 'stack' }, opts: { title: 'Bars', stacked: true, legend: ['x1', 'x2'], rownames: ['a', 'b'] },
  });
  expect(bar.text).toBe('bar');
  const b = await viz.window('e1', 'bar');
  expect(b.opts).toEqual({ title: 'Bars', stacked: true, legend: ['x1', 'x2'] });
  expect((b.content as PlotContent).traces.map((t) => [t.type, t.y])).toEqual([['bar', [1, 2]], ['bar', [3, 4]]]);

  // numpy.histogram(X, bins=3) then bar(X=counts, Y=bin centres)
  const hist = await viz.send('events', { data: [{ x: [0.5, 1.5, 2.5], y: [4, 0, 2], type: 'bar' }], win: 'hist', eid: 'e1', layout: layout('Hist'), opts: { title: 'Hist', numbins: 3 } });
  expect(hist.text).toBe('hist');
  expect((await plot('hist')).traces[0]).toMatchObject({ name: '1', type: 'bar', x: [0.5, 1.5, 2.5], y: [4, 0, 2] });
});

test('heatmap: create, appendRow, appendColumn, prependRow, prependColumn, a misfit is a 4xx', async () => {
  // As heatmap() builds it: columnnames/rownames default to None.
  const trace = (z: number[][]) => ({ z, x: null, y: null, zmin: 0, zmax: 9, type: 'heatmap', colorscale: 'Viridis' });
  expect((await viz.send('events', { data: [trace([[1, 2], [3, 4]])], win: 'hm', eid: 'e1', layout: layout('HM'), opts: { title: 'HM', colormap: 'Viridis', xmin: 0, xmax: 9 } })).text).toBe('hm');
  const w = await viz.window('e1', 'hm');
  expect(w.opts).toEqual({ title: 'HM', colormap: 'Viridis', zmin: 0, zmax: 9 });
  expect((w.content as PlotContent).traces[0]).toMatchObject({ type: 'heatmap', z: [[1, 2], [3, 4]], plotly: { colorscale: 'Viridis', zmin: 0, zmax: 9 } });

  const edge = (updateDir: string, z: number[][]) => viz.send('update', { data: [trace(z)], win: 'hm', eid: 'e1', layout: {}, opts: {}, append: true, updateDir });
  expect((await edge('appendRow', [[5, 6]])).text).toBe('hm');
  expect((await edge('appendColumn', [[0], [0], [0]])).text).toBe('hm');
  expect((await edge('prependRow', [[7, 7, 7]])).text).toBe('hm');
  expect((await edge('prependColumn', [[8], [8], [8], [8]])).text).toBe('hm');
  expect((await plot('hm')).traces[0]?.z).toEqual([[8, 7, 7, 7], [8, 1, 2, 0], [8, 3, 4, 0], [8, 5, 6, 0]]);

  const bad = await edge('appendRow', [[1, 2]]);
  expect(bad.status).toBe(400);
  expect(bad.text).toMatch(/has 2 columns but the heatmap has 4/);

  // With labels, rows and their names grow together.
  await viz.send('events', { data: [{ ...trace([[1]]), x: ['c1'], y: ['r1'] }], win: 'lab', eid: 'e1', layout: {}, opts: {} });
  await viz.send('update', { data: [{ ...trace([[2]]), x: ['c1'], y: ['r2'] }], win: 'lab', eid: 'e1', append: true, updateDir: 'appendRow', opts: {} });
  expect((await plot('lab')).traces[0]).toMatchObject({ z: [[1], [2]], y: ['r1', 'r2'] });
});

test('the plotly layout a Visdom client sends is kept in content.layout', async () => {
  await viz.send('events', { data: [{ x: ['a'], y: [1], name: 'x1', type: 'bar' }], win: 'lay', eid: 'e1', layout: { ...layout('Bars'), barmode: 'stack' }, opts: {} });
  expect((await plot('lay')).layout).toMatchObject({ barmode: 'stack', title: 'Bars', margin: { l: 60, r: 60, t: 60, b: 60 } });
});
