import { BURST_SECONDS, createMessageRateLimiter, tooManyMessages } from './rate-limit';

test('a full bucket allows a burst of rate × BURST_SECONDS, then refills at the rate', () => {
  let clock = 0;
  const bucket = createMessageRateLimiter(100, () => clock);
  let allowed = 0;
  while (bucket.take()) allowed++;
  expect(allowed).toBe(100 * BURST_SECONDS);
  clock += 50; // 50 ms at 100/s: 5 more
  let refilled = 0;
  while (bucket.take()) refilled++;
  expect(refilled).toBe(5);
  clock += 60_000; // a long pause refills to the cap, not beyond
  allowed = 0;
  while (bucket.take()) allowed++;
  expect(allowed).toBe(100 * BURST_SECONDS);
});

test('a steady sender at the rate is never refused', () => {
  let clock = 0;
  const bucket = createMessageRateLimiter(1000, () => clock);
  for (let i = 0; i < 10_000; i++) {
    clock += 1; // 1000/s
    expect(bucket.take()).toBe(true);
  }
});

test('the refusal names the limit and the flag', () => {
  const err = tooManyMessages(500);
  expect(err.code).toBe('TOO_MANY_REQUESTS');
  expect(err.message).toMatch(/500 messages per second.*--max-message-rate/);
});
