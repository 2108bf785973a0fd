import { encodeFrame, decodeFrame } from '@cnnvis/protocol';
const u = new Uint8Array(150528);
const req = () => ({ env: 'b', win: 'img', content: { kind: 'image', images: [{ encoding: 'raw', shape: [3, 224, 224], data: u }] }, opts: {} });
function time(label: string, fn: (i: number) => unknown, n = 3000) {
  for (let i = 0; i < 500; i++) fn(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  console.log(label.padEnd(30), (Number(process.hrtime.bigint() - t) / 1e3 / n).toFixed(1), 'µs');
}
const frame = encodeFrame([1, 'window:create', req()]) as Uint8Array;
time('encode', (i) => encodeFrame([i, 'window:create', req()]));
time('decode', () => decodeFrame(frame));
time('alloc 150K', () => new Uint8Array(150528));
time('copy 150K', () => { const o = new Uint8Array(150528 + 100); o.set(u, 50); return o; });
const f = new Float32Array(150528).map(() => Math.random());
function conv(data: Float32Array) { let max = -Infinity; for (let i = 0; i < data.length; i++) { const v = data[i]!; if (v > max) max = v; } const s = max <= 1 ? 255 : 1; const out = new Uint8Array(data.length); for (let i = 0; i < data.length; i++) { const v = data[i]! * s + 0.5; out[i] = v >= 1 ? (v >= 255 ? 255 : v) : 0; } return out; }
time('conv f32 typed', () => conv(f), 500);
function conv2(data: Float32Array) { let max = -Infinity; for (let i = 0; i < data.length; i++) { const v = data[i]!; if (v > max) max = v; } const s = max <= 1 ? 255 : 1; const out = new Uint8ClampedArray(data.length); for (let i = 0; i < data.length; i++) out[i] = data[i]! * s; return new Uint8Array(out.buffer); }
time('conv clamped', () => conv2(f), 500);
function maxOnly(data: Float32Array) { let max = -Infinity; for (let i = 0; i < data.length; i++) { const v = data[i]!; if (v > max) max = v; } return max; }
time('max only', () => maxOnly(f), 500);
function conv3(data: Float32Array) { const out = new Uint8Array(data.length); for (let i = 0; i < data.length; i++) { const v = (data[i]! * 255 + 0.5) | 0; out[i] = v < 0 ? 0 : v > 255 ? 255 : v; } return out; }
time('conv int trunc', () => conv3(f), 500);
