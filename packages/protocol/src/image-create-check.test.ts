import fc from 'fast-check';
import { absent, expectYesOnlyForUnchanged, long, maybe, mostly, never, record } from '../../../test/support/hand-check-property';
import { isImageCreate } from './image-create-check';
import { WindowCreateRequestSchema } from './requests';

const odd = fc.constantFrom<unknown>(undefined, null, true, NaN, Infinity, -1, 0, 1.5, 1e20, 2 ** 53, {}, [], '', long(1000), long(1001), `${long(999)}😀`, long(10_000), long(10_001));
const id = fc.oneof(fc.constantFrom<unknown>('main', 'img', '..', 'a/b', '\u0001', long(128), long(129), '', 7), fc.string({ maxLength: 4 }));

const side = mostly(fc.integer({ min: 1, max: 9 }), fc.oneof(fc.constantFrom<unknown>(0, 16_384, 16_385, 2.5, -3, '4'), odd));
const rawImage = fc
  .record({
    channels: fc.constantFrom<unknown>(absent, 1, 3, 4, 2, 0, '3'),
    h: side,
    w: side,
    lengthOff: mostly(fc.constant(0), fc.constantFrom(-1, 1)),
    asArray: mostly(fc.constant(false), fc.constant(true)),
    caption: maybe(mostly(fc.string({ maxLength: 5 }), odd)),
    encoding: mostly(fc.constant<unknown>('raw'), fc.constantFrom<unknown>('png', 'RAW', 1)),
    extra: mostly(never, odd),
  })
  .map(({ channels, h, w, lengthOff, asArray, caption, encoding, extra }) => {
    const shape = channels === absent ? [h, w] : [channels, h, w];
    const n = shape.every((d) => Number.isInteger(d) && (d as number) >= 0 && (d as number) < 100) ? shape.reduce<number>((a, d) => a * (d as number), 1) : 4;
    const data = asArray ? Array.from({ length: n }, () => 0) : new Uint8Array(Math.max(0, n + lengthOff));
    return record({ encoding, shape, data, caption, extra });
  });
const encodedImage = fc
  .record({
    encoding: fc.constantFrom<unknown>('png', 'jpeg', 'gif'),
    data: mostly(fc.constant(new Uint8Array([0x89, 0x50])), fc.constantFrom<unknown>('png', [1, 2])),
    shape: mostly(never, fc.constant([2, 2])),
    caption: maybe(mostly(fc.string({ maxLength: 5 }), odd)),
  })
  .map((img) => record(img));

const payload = fc.oneof(
  fc
    .record({
      env: maybe(mostly(fc.constantFrom('main', 'e'), id)),
      win: maybe(mostly(fc.constantFrom('img', 'w'), id)),
      content: mostly(
        fc
          .record({
            kind: mostly(fc.constant<unknown>('image'), fc.constantFrom<unknown>('text', 'plot', 'Image')),
            images: mostly(fc.array(fc.oneof({ arbitrary: rawImage, weight: 4 }, { arbitrary: encodedImage, weight: 1 }), { maxLength: 3 }), odd),
            nrow: maybe(mostly(fc.integer({ min: 1, max: 4096 }), fc.oneof(fc.constantFrom<unknown>(0, 4097), odd))),
            padding: maybe(mostly(fc.integer({ min: 0, max: 256 }), fc.oneof(fc.constantFrom<unknown>(-1, 257), odd))),
            selected: maybe(mostly(fc.integer({ min: 0, max: 10 }), odd)),
            extra: mostly(never, odd),
          })
          .map((c) => record(c)),
        odd,
      ),
      opts: maybe(
        mostly(
          fc
            .record({
              title: maybe(mostly(fc.string({ maxLength: 5 }), odd)),
              caption: maybe(mostly(fc.string({ maxLength: 5 }), odd)),
              other: mostly(never, fc.constantFrom<unknown>(['xlabel', 'x'], ['width', 300], ['bogus', 1])),
            })
            .map(({ title, caption, other }) => record({ title, caption, ...(other === absent ? {} : { [(other as [string, unknown])[0]]: (other as [string, unknown])[1] }) })),
          odd,
        ),
      ),
      extra: mostly(never, odd),
    })
    .map((p) => record(p)),
  fc.anything(),
);

test('says yes only to requests zod accepts, and then zod changes nothing', () => {
  expectYesOnlyForUnchanged(payload, isImageCreate, WindowCreateRequestSchema);
});

test('takes what viz.image and viz.images send, and leaves the rest to zod', () => {
  const raw = (shape: number[], data = new Uint8Array(shape.reduce((a, b) => a * b, 1))) => ({ encoding: 'raw', shape, data });
  const create = (images: unknown[], more: Record<string, unknown> = {}) => ({ env: 'main', win: 'input', content: { kind: 'image', images }, opts: {}, ...more });
  expect(isImageCreate(create([raw([3, 224, 224])]))).toBe(true);
  expect(isImageCreate(create([raw([28, 28]), { encoding: 'png', data: Buffer.from([1]) }], { opts: { title: 't', caption: 'c' } }))).toBe(true);
  expect(isImageCreate({ content: { kind: 'image', images: [raw([1, 2, 2])], nrow: 4, padding: 0, selected: 0 } })).toBe(true);
  for (const p of [
    create([raw([3, 2, 2], new Uint8Array(11))]),
    create([raw([2, 2, 2])]),
    create([raw([16_385, 1])]),
    create([raw([0, 2])]),
    create([]),
    create([raw([2, 2])], { opts: { title: long(1001) } }),
    create([raw([2, 2])], { win: 'a/b' }),
    create([raw([2, 2])], { rev: 1 }),
    { win: 'input', content: { kind: 'image', images: [raw([2, 2])], padding: 257 } },
  ]) {
    expect(isImageCreate(p)).toBe(false);
    expect(WindowCreateRequestSchema.safeParse(p).success).toBe(false);
  }
  // Valid, but not the hand check's: zod takes it.
  const other = create([raw([2, 2])], { opts: { xlabel: 'step' } });
  expect(isImageCreate(other)).toBe(false);
  expect(WindowCreateRequestSchema.safeParse(other).success).toBe(true);
});
