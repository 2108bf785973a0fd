import { makeGrid } from './image-grid';

/** Image k of a batch filled with the value k + 1, so positions are easy to check. */
function batch(n: number, c: number, h: number, w: number): Uint8Array {
  const data = new Uint8Array(n * c * h * w);
  for (let k = 0; k < n; k++) data.fill(k + 1, k * c * h * w, (k + 1) * c * h * w);
  return data;
}

/** The grid as rows of strings of pixel values, channel `ch`. */
function rows(grid: { data: Uint8Array; shape: [number, number, number] }, ch = 0): string[] {
  const [, h, w] = grid.shape;
  const out: string[] = [];
  for (let y = 0; y < h; y++) out.push(Array.from(grid.data.subarray(ch * h * w + y * w, ch * h * w + (y + 1) * w)).join(''));
  return out;
}

describe('makeGrid', () => {
  it('lays images out nrow per row with padding between and around', () => {
    const grid = makeGrid({ data: batch(3, 1, 2, 2), shape: [3, 1, 2, 2] }, { nrow: 2, padding: 1 });
    expect(grid.shape).toEqual([1, 7, 7]);
    expect(rows(grid)).toEqual([
      '0000000',
      '0110220',
      '0110220',
      '0000000',
      '0330000',
      '0330000',
      '0000000',
    ]);
  });

  it('matches make_grid sizes: min(N, nrow) columns, ceil(N / nrow) rows', () => {
    expect(makeGrid({ data: batch(5, 3, 4, 6), shape: [5, 3, 4, 6] }, { nrow: 8, padding: 2 }).shape).toEqual([3, 8, 42]);
    expect(makeGrid({ data: batch(9, 1, 3, 3), shape: [9, 3, 3] }, { nrow: 4, padding: 0 }).shape).toEqual([1, 9, 12]);
  });

  it('places every channel of an image at the same position', () => {
    const data = batch(2, 3, 1, 1);
    data[3] = 7; // image 1, channel 0
    data[5] = 9; // image 1, channel 2
    const grid = makeGrid({ data, shape: [2, 3, 1, 1] }, { nrow: 2, padding: 1 });
    expect(grid.shape).toEqual([3, 3, 5]);
    expect(rows(grid, 0)[1]).toBe('01070');
    expect(rows(grid, 1)[1]).toBe('01020');
    expect(rows(grid, 2)[1]).toBe('01090');
  });

  it('normalises floats over the whole batch', () => {
    const grid = makeGrid({ data: new Float32Array([0, 1]), shape: [2, 1, 1, 1] }, { nrow: 2, padding: 0 });
    expect(Array.from(grid.data)).toEqual([0, 255]);
  });

  it('returns a batch of one as the image itself, like make_grid', () => {
    const grid = makeGrid({ data: batch(1, 3, 2, 2), shape: [1, 3, 2, 2] }, { nrow: 8, padding: 2 });
    expect(grid.shape).toEqual([3, 2, 2]);
    expect(grid.data).toHaveLength(12);
  });

  it('rejects a shape that does not match the data or has bad channels', () => {
    expect(() => makeGrid({ data: new Uint8Array(7), shape: [2, 1, 2, 2] }, { nrow: 2, padding: 0 })).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', message: 'data: has 7 values but shape [2, 1, 2, 2] needs 8' }),
    );
    expect(() => makeGrid({ data: new Uint8Array(8), shape: [2, 2, 2, 1] }, { nrow: 2, padding: 0 })).toThrow(/^shape: /);
    expect(() => makeGrid({ data: new Uint8Array(0), shape: [0, 1, 1] }, { nrow: 2, padding: 0 })).toThrow(/positive integers/);
  });
});
