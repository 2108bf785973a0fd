import { estimatePayloadBytes } from './payload-size';

describe('estimatePayloadBytes', () => {
  const payload = {
    env: 'main',
    content: { kind: 'plot', traces: [{ name: 'é', x: [1, 2.5, -3e-7], y: [null, 4, 5] }] },
  };

  it('never underestimates, and is exact once over the limit', () => {
    const exact = Buffer.byteLength(JSON.stringify(payload));
    expect(estimatePayloadBytes(payload, Infinity)).toBeGreaterThanOrEqual(exact);
    expect(estimatePayloadBytes(payload, 1)).toBe(exact);
  });

  it('counts binary attachments by their length, not as JSON', () => {
    const image = { encoding: 'raw', shape: [1000, 1000], data: Buffer.alloc(1_000_000, 255) };
    const exact = estimatePayloadBytes(image, 1);
    expect(exact).toBeGreaterThan(1_000_000);
    expect(exact).toBeLessThan(1_000_200);
    const bound = estimatePayloadBytes({ images: [image, { ...image, data: new Uint8Array(10) }] }, Infinity);
    expect(bound).toBeGreaterThanOrEqual(1_000_010);
    expect(bound).toBeLessThan(1_000_500);
  });
});
