/** Small pure helpers of the UI: paths, change merging, image fitting, pane sizes, text documents. */
import type { Window } from '@cnnvis/protocol';
import { resolveBasePath, withBase } from '../src/base-path';
import { fitImages } from '../src/render/image-view';
import { buildTextDocument, TEXT_SANDBOX } from '../src/render/text-view';
import { toFilename } from '../src/render/download';
import { mergeChange } from '../src/state/store';
import { defaultPaneSize } from '../src/ui/pane-size';

test('base path is the directory of the page, and server paths go under it', () => {
  expect(resolveBasePath('/')).toBe('/');
  expect(resolveBasePath('/cnnvis/')).toBe('/cnnvis/');
  expect(resolveBasePath('/cnnvis/index.html')).toBe('/cnnvis/');
  expect(withBase('/', '/api/envs')).toBe('/api/envs');
  expect(withBase('/cnnvis/', '/api/envs/main/windows/w/images/0?rev=3')).toBe(
    '/cnnvis/api/envs/main/windows/w/images/0?rev=3',
  );
  expect(withBase('/cnnvis/', 'http://x/y.png')).toBe('http://x/y.png');
});

test('changes merge: ops concatenate, a full redraw absorbs ops, a close wins', () => {
  const a = { type: 'appendText' as const, text: 'a' };
  const b = { type: 'appendText' as const, text: 'b' };
  expect(mergeChange({ type: 'ops', ops: [a] }, { type: 'ops', ops: [b] })).toEqual({ type: 'ops', ops: [a, b] });
  expect(mergeChange({ type: 'full' }, { type: 'ops', ops: [b] })).toEqual({ type: 'full' });
  expect(mergeChange({ type: 'ops', ops: [a] }, { type: 'closed' })).toEqual({ type: 'closed' });
  expect(mergeChange({ type: 'closed' }, { type: 'full' })).toEqual({ type: 'full' });
});

test('image grids fit their pane: small images scale up, columns follow nrow', () => {
  const one = fitImages({ width: 280, height: 280, cellWidth: 28, cellHeight: 28, count: 1, nrow: 8, padding: 2, rowCaption: 0, gridCaption: 0 });
  expect(one).toEqual({ columns: 1, rows: 1, scale: 10 });
  const grid = fitImages({ width: 400, height: 400, cellWidth: 32, cellHeight: 32, count: 16, nrow: 4, padding: 2, rowCaption: 0, gridCaption: 0 });
  expect(grid.columns).toBe(4);
  expect(grid.rows).toBe(4);
  expect(4 * 32 * grid.scale + 3 * 2).toBeLessThanOrEqual(400);
});

test('pane sizes come from opts.width/height, else a default per kind', () => {
  const base = { env: 'main', id: 'w', rev: 1, position: 0, layout: null, updatedAt: 0 };
  const plot: Window = { ...base, kind: 'plot', opts: {}, content: { kind: 'plot', traces: [] } };
  expect(defaultPaneSize(plot, 100)).toEqual({ w: 4, h: 8 });
  expect(defaultPaneSize({ ...plot, opts: { width: 600, height: 400 } }, 100)).toEqual({ w: 6, h: 10 });
});

test('text documents forbid scripts twice: sandbox flags and CSP', () => {
  expect(TEXT_SANDBOX).not.toMatch(/allow-scripts|allow-same-origin/);
  const doc = buildTextDocument('<b>hi</b>');
  expect(doc).toContain("script-src 'none'");
  expect(doc).toContain('<body><b>hi</b></body>');
  expect(toFilename('Loss / train (v2)', 'png')).toBe('Loss_train_v2.png');
});
