/**
 * What the tests of @cnnvis/protocol's hand checks (a yes only for what zod
 * accepts unchanged) share: arbitraries of requests that are mostly right,
 * with one field wrong now and then, and the property itself.
 */
import fc from 'fast-check';
import type { z } from 'zod';

/** A field left out of a generated object. */
export const absent = Symbol('absent');

/** Build an object, leaving out the keys whose value is {@link absent}. */
export function record(entries: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entries)) if (v !== absent) out[k] = v;
  return out;
}

export const long = (n: number) => 'x'.repeat(n);
export const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(fc.constant<typeof absent>(absent), arb);
/** Mostly `good`, sometimes `bad`: each field goes wrong now and then, so whole requests are often right. */
export const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) => fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: bad, weight: 1 });
export const never = fc.constant<typeof absent>(absent);

/**
 * The property: over 20,000 requests, `check` says yes only to requests
 * `schema` accepts and returns unchanged, and says it often enough to mean something.
 */
export function expectYesOnlyForUnchanged(requests: fc.Arbitrary<unknown>, check: (p: unknown) => boolean, schema: z.ZodType): void {
  let yes = 0;
  fc.assert(
    fc.property(requests, (p) => {
      if (!check(p)) return;
      yes++;
      const r = schema.safeParse(p);
      expect(r.success).toBe(true);
      expect(r.data).toEqual(p);
    }),
    { numRuns: 20_000 },
  );
  expect(yes).toBeGreaterThan(500);
}
