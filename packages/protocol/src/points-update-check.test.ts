import fc from 'fast-check';
import { absent, expectYesOnlyForUnchanged, long, maybe, mostly, never, record } from '../../../test/support/hand-check-property';
import { WindowUpdateRequestSchema } from './requests';
import { isPointsUpdate } from './points-update-check';

const odd = fc.constantFrom<unknown>(undefined, null, true, NaN, Infinity, -Infinity, 1.5, -1, 1e20, {}, [], '', long(1000), long(1001), `${long(999)}😀`, `${long(99)}😀`, long(100), long(101));
const id = fc.oneof(
  fc.constantFrom<unknown>('main', 'loss', 'a b', '..', '.', 'a/b', 'a\\b', '\u0001', '\u007f', long(128), long(129), '', 7),
  fc.string({ maxLength: 4 }),
);
const value = fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 3 }), odd);
const values = fc.array(value, { maxLength: 4 });
const cleanValues = fc.array(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 4 });

const trace = fc
  .record({
    name: maybe(fc.oneof(fc.string({ maxLength: 5 }), odd)),
    index: maybe(fc.oneof(fc.integer({ min: -2, max: 1001 }), odd)),
    x: fc.oneof(cleanValues, values, odd),
    y: fc.oneof(cleanValues, values, odd),
    color: maybe(fc.oneof(values, odd)),
    extra: maybe(value),
  })
  .map((t) => record(t));

/** A mostly well-formed trace: now and then a value, a length or a colour goes wrong. */
const goodTrace = fc
  .record({
    pick: fc.boolean(),
    name: fc.string({ maxLength: 5 }),
    index: fc.integer({ min: 0, max: 999 }),
    x: fc.array(mostly(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 3 })), value), { minLength: 1, maxLength: 4 }),
    yShort: mostly(fc.constant(false), fc.constant(true)),
    color: fc.constantFrom('none', 'same', 'same', 'longer'),
    badColor: mostly(fc.constant<unknown>(absent), value),
  })
  .map(({ pick, name, index, x, yShort, color, badColor }) => {
    const t: Record<string, unknown> = pick ? { name } : { index };
    t['x'] = x;
    t['y'] = x.slice(yShort ? 1 : 0).map((v, i) => (i === 0 ? null : v));
    if (color !== 'none') {
      const colors: unknown[] = x.map((_, i) => (i % 2 ? '#ff0000' : i));
      if (color === 'longer') colors.push('blue');
      if (badColor !== absent) colors[0] = badColor;
      t['color'] = colors;
    }
    return t;
  });

const payload = fc.oneof(
  fc
    .record({
      env: maybe(mostly(fc.constantFrom('main', 'e'), id)),
      win: mostly(fc.constantFrom('loss', 'w'), maybe(id)),
      op: mostly(
        fc
          .record({
            type: mostly(fc.constantFrom('append', 'replace'), fc.constantFrom<unknown>('remove', 'opts', 'Append', 1)),
            traces: mostly(fc.array(mostly(goodTrace, trace), { maxLength: 3 }), maybe(odd)),
            extra: mostly(never, value),
          })
          .map((op) => record(op)),
        odd,
      ),
      extra: mostly(never, value),
    })
    .map((p) => record(p)),
  fc.anything(),
);

test('says yes only to requests zod accepts, and then zod changes nothing', () => {
  expectYesOnlyForUnchanged(payload, isPointsUpdate, WindowUpdateRequestSchema);
});

test('takes the requests a line append makes, and leaves the limits to zod', () => {
  const append = (trace: Record<string, unknown>, more: Record<string, unknown> = {}) => ({ env: 'main', win: 'loss', op: { type: 'append', traces: [trace] }, ...more });
  expect(isPointsUpdate(append({ name: 'train', x: [3], y: [0.2] }))).toBe(true);
  expect(isPointsUpdate({ win: 'loss', op: { type: 'replace', traces: [{ index: 0, x: ['a'], y: [null], color: ['red'] }] } })).toBe(true);
  for (const p of [
    append({ name: long(1001), x: [1], y: [1] }),
    append({ name: 'a', x: [long(1001)], y: [1] }),
    append({ name: 'a', x: [1], y: [1], color: [long(101)] }),
    append({ name: 'a', index: 0, x: [1], y: [1] }),
    append({ index: 1000, x: [1], y: [1] }),
    append({ name: 'a', x: [1, 2], y: [1] }),
    append({ name: 'a', x: [1], y: [1] }, { win: 'a/b' }),
    append({ name: 'a', x: [1], y: [1] }, { env: '..' }),
    append({ name: 'a', x: [1], y: [1] }, { rev: 3 }),
    { win: 'loss', op: { type: 'append', traces: [] } },
    { win: 'loss', op: { type: 'append', traces: Array.from({ length: 1001 }, () => ({ name: 'a', x: [1], y: [1] })) } },
  ]) {
    expect(isPointsUpdate(p)).toBe(false);
    expect(WindowUpdateRequestSchema.safeParse(p).success).toBe(false);
  }
});
