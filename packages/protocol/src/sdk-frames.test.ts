import { decodeFrame, encodeFrame } from './sdk-frames';

test('a frame without binary is JSON text', () => {
  const frame = encodeFrame([1, 'window:update', { win: 'a', op: { type: 'append', traces: [{ name: 't', x: [1], y: [2] }] } }]);
  expect(typeof frame).toBe('string');
  expect(decodeFrame(frame)).toEqual([1, 'window:update', { win: 'a', op: { type: 'append', traces: [{ name: 't', x: [1], y: [2] }] } }]);
});

test('binary attachments travel raw and come back as Uint8Array views', () => {
  const a = new Uint8Array([1, 2, 3]);
  const b = new Uint8Array(1000).fill(7);
  const frame = encodeFrame([5, 'window:create', { content: { images: [{ data: a }, { data: b, caption: 'x' }] } }]);
  expect(frame).toBeInstanceOf(Uint8Array);
  // The bytes appear once, unencoded: the frame is barely larger than the data.
  expect((frame as Uint8Array).byteLength).toBeLessThan(1003 + 200);
  const [id, event, payload] = decodeFrame(frame) as [number, string, { content: { images: Array<{ data: Uint8Array; caption?: string }> } }];
  expect([id, event]).toEqual([5, 'window:create']);
  expect([...payload.content.images[0]!.data]).toEqual([1, 2, 3]);
  expect(payload.content.images[1]!.data.byteLength).toBe(1000);
  expect(payload.content.images[1]!.caption).toBe('x');
});

test.each([
  ['too short', new Uint8Array([0, 0])],
  ['header beyond the frame', new Uint8Array([0, 0, 1, 0, 1, 2])],
  ['attachment beyond the frame', (() => {
    const json = new TextEncoder().encode('[1,"e",{"$bin":0},[50]]');
    const out = new Uint8Array(4 + json.length + 2);
    new DataView(out.buffer).setUint32(0, json.length);
    out.set(json, 4);
    return out;
  })()],
  ['text that is not an array', '{"a":1}'],
  ['text that is not JSON', '[1,'],
])('a malformed frame (%s) throws', (_name, frame) => {
  expect(() => decodeFrame(frame)).toThrow(/frame|JSON/);
});

test('a header with non-ASCII text is measured in UTF-8, and the attachments follow it', () => {
  const frame = encodeFrame([3, 'window:create', { title: 'épreuve ✓ 𝛼', data: new Uint8Array([9, 8, 7]) }]) as Uint8Array;
  const headerBytes = new DataView(frame.buffer, frame.byteOffset).getUint32(0);
  expect(frame.byteLength).toBe(4 + headerBytes + 3);
  const [, , payload] = decodeFrame(frame) as [number, string, { title: string; data: Uint8Array }];
  expect(payload.title).toBe('épreuve ✓ 𝛼');
  expect([...payload.data]).toEqual([9, 8, 7]);
});

test('the caller\'s payload is not changed, and parts without binary are not copied', () => {
  const points = { x: [1, 2], y: [3, 4] };
  const payload = { meta: points, images: [{ data: new Uint8Array([1]) }] };
  encodeFrame([1, 'window:create', payload]);
  expect(payload.images[0]!.data).toBeInstanceOf(Uint8Array);
  expect(payload.meta).toBe(points);
});
