import { MAX_JSON_DEPTH, nestsDeeperThan, TraceSchema } from './content';

/** `depth` nested arrays; built by hand because JSON.stringify overflows near 5k levels. */
const nested = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;

test('nestsDeeperThan counts container levels and skips leaves', () => {
  expect(nestsDeeperThan(1, 0)).toBe(false);
  expect(nestsDeeperThan([[[1]]], 3)).toBe(false);
  expect(nestsDeeperThan([[[1]]], 2)).toBe(true);
  expect(nestsDeeperThan({ a: { b: [] } }, 2)).toBe(true);
  expect(nestsDeeperThan({ data: new Uint8Array(8) }, 1)).toBe(false);
  expect(nestsDeeperThan(nested(100_000), 64)).toBe(true);
});

test('a passthrough plotly value nested 100k deep is a validation issue, not a stack overflow', () => {
  const trace = (marker: unknown) => ({ name: 'a', type: 'scatter', x: [0], y: [0], plotly: { marker } });
  const deep = TraceSchema.safeParse(trace(nested(100_000)));
  expect(deep.success).toBe(false);
  expect(deep.error?.issues[0]?.message).toMatch(`deeper than ${MAX_JSON_DEPTH}`);
  expect(TraceSchema.safeParse(trace(nested(MAX_JSON_DEPTH - 2))).success).toBe(true);
});
