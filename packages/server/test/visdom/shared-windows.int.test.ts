/**
 * One store, one set of live deltas: Visdom writes reach a watching browser
 * exactly as native writes do, and windows made either way change either way.
 */
import type { EnvSnapshot, PlotContent, WindowDelta } from '@cnnvis/protocol';
import { eventually } from '../../../../test/support/start-server';
import { callOk, connectSocket, record, type TestSocket } from '../../../../test/support/socket-client';
import { layout, lineTrace, useVisdomServer } from './visdom-client';

const server = useVisdomServer();
const { viz } = server;
let browser: TestSocket;
beforeEach(async () => {
  browser = await connectSocket(server.url);
});
afterEach(async () => {
  browser.close();
});

test('a Visdom append reaches subscribers as a native append delta; native and Visdom writes mix', async () => {
  await viz.send('events', { data: [lineTrace('train', [0], [1])], win: 'loss', eid: 'e1', layout: layout('Loss'), opts: { title: 'Loss' } });
  const snap = await callOk<EnvSnapshot>(browser, 'env:subscribe', { env: 'e1' });
  expect(snap.windows.map((w) => w.id)).toEqual(['loss']);
  const seen = record(browser, ['window:updated', 'window:created']);

  await viz.send('update', { data: [lineTrace('train', [1], [0.5])], win: 'loss', eid: 'e1', name: 'train', append: true, layout: {}, opts: { title: 'Loss' } });
  await eventually(() => seen.length === 1);
  expect(seen[0]).toEqual({
    event: 'window:updated',
    payload: { env: 'e1', win: 'loss', rev: expect.any(Number), op: { type: 'append', traces: [{ name: 'train', x: [1], y: [0.5] }] } } satisfies WindowDelta,
  });

  // The native API appends to the Visdom window, and Visdom to a native one.
  await callOk(browser, 'window:update', { env: 'e1', win: 'loss', op: { type: 'append', traces: [{ name: 'train', x: [2], y: [0.25] }] } });
  expect(((await viz.window('e1', 'loss')).content as PlotContent).traces[0]?.y).toEqual([1, 0.5, 0.25]);
  await callOk(browser, 'window:create', { env: 'e1', win: 'native', content: { kind: 'plot', traces: [{ name: 'a', type: 'scatter', x: [0], y: [0] }] } });
  expect((await viz.send('win_exists', { win: 'native', eid: 'e1' })).text).toBe('true');
  expect((await viz.send('update', { data: [lineTrace('a', [1], [1])], win: 'native', eid: 'e1', name: 'a', append: true, layout: {}, opts: {} })).text).toBe('native');
  expect(((await viz.window('e1', 'native')).content as PlotContent).traces[0]?.x).toEqual([0, 1]);

  // A native close, then a Visdom append: the append recreates the window (append=true).
  await callOk(browser, 'window:close', { env: 'e1', win: 'loss' });
  expect((await viz.send('update', { data: [lineTrace('train', [9], [9])], win: 'loss', eid: 'e1', name: 'train', append: true, layout: {}, opts: {} })).text).toBe('loss');
  expect(((await viz.window('e1', 'loss')).content as PlotContent).traces[0]).toMatchObject({ x: [9], y: [9] });
});
