import { BufferPool } from './buffer-pool';

test('a buffer given back is lent again for a size it fits; small sizes are not pooled', () => {
  const pool = new BufferPool();
  const a = pool.take(100_000);
  expect(a.byteLength).toBe(100_000);
  pool.give(a);
  const b = pool.take(99_000);
  expect(b.buffer).toBe(a.buffer);
  expect(b.byteLength).toBe(99_000);
  // far smaller than every idle buffer: a new one, so little memory is wasted
  expect(pool.take(40_000).buffer).not.toBe(a.buffer);
  const small = pool.take(100);
  expect([pool.lends(small), pool.lends(b)]).toEqual([false, true]);
  pool.give(small);
  expect(pool.take(100).buffer).not.toBe(small.buffer);
});

test('a buffer is never lent twice at once, however often it is given back', () => {
  const pool = new BufferPool();
  const a = pool.take(50_000);
  pool.give(a);
  pool.give(a);
  expect(pool.lends(a)).toBe(false);
  const b = pool.take(50_000);
  const c = pool.take(50_000);
  expect(b.buffer).toBe(a.buffer);
  expect(c.buffer).not.toBe(b.buffer);
  // arrays the pool never lent are ignored
  pool.give(new Uint8Array(50_000));
  pool.give(c);
  pool.give(b);
  const d = pool.take(50_000);
  const e = pool.take(50_000);
  const f = pool.take(50_000);
  expect(new Set([d.buffer, e.buffer, f.buffer]).size).toBe(3);
});

test('a lease gives back everything taken through it, once', () => {
  const pool = new BufferPool();
  const lease = pool.lease();
  const a = lease.take(30_000);
  const b = lease.take(30_000);
  expect(a.buffer).not.toBe(b.buffer);
  lease.release();
  lease.release();
  const taken = [pool.take(30_000), pool.take(30_000), pool.take(30_000)];
  expect(taken.map((t) => t.buffer)).toEqual(expect.arrayContaining([a.buffer, b.buffer]));
  expect(new Set(taken.map((t) => t.buffer)).size).toBe(3);
});

test('idle memory stays bounded: huge sizes are not kept, and old idle buffers make room', () => {
  const pool = new BufferPool();
  const huge = pool.take(40 * 2 ** 20);
  pool.give(huge);
  expect(pool.take(40 * 2 ** 20).buffer).not.toBe(huge.buffer);
  const many = Array.from({ length: 6 }, () => pool.take(15 * 2 ** 20));
  for (const m of many) pool.give(m);
  // 64 MiB of idle room holds the last four of six 15 MiB buffers
  const back = Array.from({ length: 6 }, () => pool.take(15 * 2 ** 20).buffer);
  expect(back.filter((b) => many.some((m) => m.buffer === b))).toHaveLength(4);
  expect(back).not.toContain(many[0]?.buffer);
});
