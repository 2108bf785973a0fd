import { applyUpdate, growMatrix, UpdateRejection } from './apply-update';
import type { PlotContent, TextContent } from './content';

const plot: PlotContent = {
  kind: 'plot',
  traces: [{ name: 'train', type: 'scatter', mode: 'lines', x: [0], y: [1] }],
};

test('append to a named trace adds points; an unknown name injects a trace like the first', () => {
  const next = applyUpdate(plot, {
    type: 'append',
    traces: [
      { name: 'train', x: [1], y: [2] },
      { name: 'val', x: [1], y: [3] },
    ],
  });
  expect(next.traces).toEqual([
    { name: 'train', type: 'scatter', mode: 'lines', x: [0, 1], y: [1, 2] },
    { name: 'val', type: 'scatter', mode: 'lines', x: [1], y: [3] },
  ]);
  expect(plot.traces[0]?.x).toEqual([0]); // input untouched
});

test('append by a missing index is NOT_FOUND', () => {
  expect(() => applyUpdate(plot, { type: 'append', traces: [{ index: 2, x: [1], y: [1] }] })).toThrow(
    expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringMatching(/op\.traces\[0\]\.index/) }),
  );
});

test('replace and remove', () => {
  const replaced = applyUpdate(plot, { type: 'replace', traces: [{ index: 0, x: [9], y: [9] }] });
  expect(replaced.traces[0]).toMatchObject({ x: [9], y: [9] });
  expect(applyUpdate(replaced, { type: 'remove', name: 'train' }).traces).toEqual([]);
  expect(() => applyUpdate(plot, { type: 'remove', name: 'nope' })).toThrow(UpdateRejection);
});

test('text append and kind checks', () => {
  const text: TextContent = { kind: 'text', text: 'a' };
  expect(applyUpdate(text, { type: 'appendText', text: 'b' }).text).toBe('ab');
  expect(() => applyUpdate(text, { type: 'remove', name: 'x' })).toThrow(/does not apply to a text window/);
});

test('growMatrix on every edge, and shape mismatches', () => {
  const z = [[1, 2], [3, 4]];
  expect(growMatrix(z, 'appendRow', [[5, 6]])).toEqual([[1, 2], [3, 4], [5, 6]]);
  expect(growMatrix(z, 'prependRow', [[5, 6]])).toEqual([[5, 6], [1, 2], [3, 4]]);
  expect(growMatrix(z, 'appendColumn', [[5], [6]])).toEqual([[1, 2, 5], [3, 4, 6]]);
  expect(growMatrix(z, 'prependColumn', [[5], [6]])).toEqual([[5, 1, 2], [6, 3, 4]]);
  expect(growMatrix([], 'appendColumn', [[1], [2]])).toEqual([[1], [2]]);
  expect(() => growMatrix(z, 'appendRow', [[1]])).toThrow(/has 1 columns but the heatmap has 2/);
  expect(() => growMatrix(z, 'appendColumn', [[1]])).toThrow(/has 1 rows but the heatmap has 2/);
});
