/**
 * Type tests: `tsc --noEmit -p tsconfig.test.json` fails if a line marked
 * `@ts-expect-error` compiles, so misuse the SDK types must reject stays
 * rejected. Nothing here runs.
 */
import type { EnvSummary, Window, WindowAck } from '@cnnvis/protocol';
import type { CnnVis, LineOptions } from './index';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

export async function checks(viz: CnnVis): Promise<void> {
  // Well-formed calls compile and return the protocol's types.
  expectType<Equal<Awaited<ReturnType<typeof viz.line>>, WindowAck>>(true);
  expectType<Equal<Awaited<ReturnType<typeof viz.envs>>, EnvSummary[]>>(true);
  expectType<Equal<Awaited<ReturnType<typeof viz.getWindow>>, Window>>(true);
  await viz.line({ x: [1], y: [2] }, { win: 'loss', update: 'append', name: 'train', title: 'Loss', markers: true });
  await viz.line({ x: ['a'], y: [[1], [2]] }, { legend: ['p', 'q'], xtype: 'category' });
  await viz.line(null, { win: 'loss', update: 'remove', name: 'train' });
  await viz.scatter({ x: new Float32Array(3), y: new Float32Array(3) }, { markersize: 3 });
  await viz.bar({ y: [1, 2], x: ['a', 'b'] }, { stacked: true });
  await viz.histogram({ values: new Float64Array(10) }, { numbins: 10 });
  await viz.heatmap({ z: [[1]] }, { win: 'h', update: 'appendColumn', colormap: 'Viridis' });
  await viz.image({ data: new Uint8Array(4), shape: [2, 2] }, { caption: 'c' });
  await viz.image('cat.png');
  await viz.images({ data: new Float32Array(8), shape: [2, 1, 2, 2] }, { nrow: 2, padding: 0 });
  await viz.images([new Uint8Array(1), 'a.png', { data: new Uint8Array(4), shape: [2, 2] }]);
  await viz.text('hi', { win: 'log', append: true });
  await viz.updateOpts('loss', { ytype: 'log', env: 'main' });

  // @ts-expect-error misspelt display option
  await viz.line({ x: [1], y: [2] }, { titel: 'Loss' });
  // @ts-expect-error misspelt SDK option
  await viz.line({ x: [1], y: [2] }, { window: 'loss' });
  // @ts-expect-error update values are append, replace or remove
  await viz.line({ x: [1], y: [2] }, { win: 'loss', update: 'appendRow' });
  // @ts-expect-error heatmap updates are edges
  await viz.heatmap({ z: [[1]] }, { win: 'h', update: 'append' });
  // @ts-expect-error markers is a line option, not a scatter one
  await viz.scatter({ x: [1], y: [2] }, { markers: true });
  // @ts-expect-error colormap means nothing to a line plot
  await viz.line({ x: [1], y: [2] }, { colormap: 'Viridis' });
  // @ts-expect-error null data only with update 'remove'
  await viz.line(null, { win: 'loss', update: 'append', name: 'train' });
  // @ts-expect-error remove needs the trace name
  await viz.line(null, { win: 'loss', update: 'remove' });
  // @ts-expect-error text append is a boolean
  await viz.text('hi', { win: 'log', append: 'yes' });
  // @ts-expect-error a bar chart has no update
  await viz.bar({ y: [1] }, { update: 'append' });
  // @ts-expect-error images take nrow, a single image does not
  await viz.image({ data: new Uint8Array(4), shape: [2, 2] }, { nrow: 2 });
  // @ts-expect-error pixel data must be a typed array
  await viz.image({ data: [1, 2, 3, 4], shape: [2, 2] });
  // @ts-expect-error image shapes have 2 or 3 dims
  await viz.image({ data: new Uint8Array(4), shape: [1, 1, 2, 2] });
  // @ts-expect-error display options are typed
  await viz.updateOpts('loss', { width: '300px' });

  const opts: LineOptions = { win: 'loss' };
  // @ts-expect-error option objects are closed types too
  opts.titel = 'x';
}
