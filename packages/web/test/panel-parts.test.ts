/** Pure parts behind the layer panel and the job bars: channel grid geometry and the job tracker. */
import { byteIndex, cellAt, gridGeometry, mapTiles } from '../src/graph/channel-grid';
import { createJobTracker, STALE_MS } from '../src/state/job-tracker';

test('stored maps are cut into channel tiles; flat outputs wrap into rows', () => {
  expect(mapTiles([64, 56, 56])).toEqual({ channels: 64, h: 56, w: 56, size: 3136 });
  expect(mapTiles([10])).toEqual({ channels: 1, h: 1, w: 10, size: 10 });
  expect(mapTiles([1000])).toEqual({ channels: 1, h: 32, w: 32, size: 1000 });
  expect(mapTiles([512, 1, 1])).toMatchObject({ channels: 512, h: 1, w: 1 });
});

test('grids fill their column, stay roughly square, and cap the tile size', () => {
  const g = gridGeometry(mapTiles([16, 28, 28]), 200);
  expect(g).toMatchObject({ cols: 4, rows: 4, tileW: 48, tileH: 48 });
  expect(g.width).toBeLessThanOrEqual(200);
  const few = gridGeometry(mapTiles([3, 16, 16]), 300);
  expect(few.cols).toBe(2);
  expect(few.tileW).toBe(72); // capped: three channels do not get 150 px tiles
  const wide = gridGeometry(mapTiles([8, 4, 16]), 300); // wide maps get fewer columns
  expect(wide.cols).toBe(2);
  expect(wide.tileH).toBe(Math.round(wide.tileW / 4));
  const many = gridGeometry(mapTiles([512, 1, 1]), 280);
  expect(many.tileW).toBeGreaterThanOrEqual(4);
});

test('a point on the grid names its channel and pixel; gaps and the short last row name none', () => {
  const t = mapTiles([4, 2, 2]);
  const g = gridGeometry(t, 42); // 2 columns of 20 px tiles, 2 px apart
  expect(cellAt(t, g, 1, 1)).toEqual({ channel: 0, x: 0, y: 0 });
  expect(cellAt(t, g, 30, 5)).toEqual({ channel: 1, x: 0, y: 0 });
  expect(cellAt(t, g, 41, 41)).toEqual({ channel: 3, x: 1, y: 1 });
  expect(cellAt(t, g, 21, 5)).toBeNull(); // the gap
  expect(cellAt(t, g, -1, 5)).toBeNull();
  const three = mapTiles([3, 2, 2]);
  expect(cellAt(three, gridGeometry(three, 42), 30, 30)).toBeNull(); // no fourth channel
  expect(byteIndex(t, 2, 1, 0)).toBe(2 * 4 + 1);
  const flat = mapTiles([10]);
  expect(byteIndex(flat, 0, 9, 0)).toBe(9);
  expect(byteIndex(flat, 0, 10, 0)).toBeNull();
  const wrapped = mapTiles([70]); // 9×8, last row short
  expect(byteIndex(wrapped, 0, 6, 7)).toBe(69);
  expect(byteIndex(wrapped, 0, 7, 7)).toBeNull();
});

test('jobs: progress updates, `done` and finish end them, silent ones expire', () => {
  let now = 1000;
  const jobs = createJobTracker(() => now);
  const seen: number[] = [];
  jobs.subscribe(() => seen.push(jobs.active().length));
  const m = 'a'.repeat(64);
  jobs.update({ jobId: 'j1', modelId: m, stage: 'queued', fraction: 0 });
  jobs.update({ jobId: 'j2', modelId: 'b'.repeat(64), stage: 'run', fraction: 0.5 });
  expect(jobs.active(m).map((j) => j.stage)).toEqual(['queued']);
  jobs.update({ jobId: 'j1', modelId: m, stage: 'run', fraction: 0.4 });
  expect(jobs.active(m)[0]?.fraction).toBe(0.4);
  jobs.update({ jobId: 'j1', modelId: m, stage: 'done', fraction: 1 });
  expect(jobs.active(m)).toEqual([]);
  jobs.finish('j1'); // already gone: no event
  now += STALE_MS + 1;
  expect(jobs.active()).toEqual([]);
  expect(seen).toEqual([1, 2, 2, 1]);
});
