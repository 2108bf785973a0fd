/**
 * Helpers for analysis tests: upload a model over HTTP, send a float tensor,
 * decode a stored feature map, find the worker processes this test started.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { FeatureMapMeta } from '@cnnvis/protocol';
import { sha256 } from './models';

/** PUT a model and return its id; throws unless 200/201. */
export async function uploadModel(url: string, bytes: Uint8Array): Promise<string> {
  const id = sha256(bytes);
  const res = await fetch(`${url}/api/models/${id}`, { method: 'PUT', body: new Uint8Array(bytes) });
  if (res.status !== 201 && res.status !== 200) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return id;
}

/** A float32 tensor as `analysis:run` carries it. */
export function tensorInput(data: Float32Array, shape: number[]) {
  return { dtype: 'float32' as const, shape, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** A stored map, fetched over HTTP (with the server's token, if it has one) and dequantised to floats (channel by channel). */
export async function fetchMap(url: string, runId: string, tensor: string, token?: string): Promise<{ meta: FeatureMapMeta; values: Float32Array; bytes: Uint8Array }> {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const res = await fetch(`${url}/api/runs/${encodeURIComponent(runId)}/maps/${encodeURIComponent(tensor)}`, { headers });
  if (res.status !== 200) throw new Error(`map ${tensor}: ${res.status} ${await res.text()}`);
  const meta = (await res.json()) as FeatureMapMeta;
  const data = await fetch(url + meta.url, { headers });
  if (data.headers.get('content-type') !== 'application/octet-stream') throw new Error(`map data: ${data.headers.get('content-type')}`);
  const bytes = new Uint8Array(await data.arrayBuffer());
  const per = bytes.length / meta.channelMin.length;
  const values = Float32Array.from(bytes, (q, i) => {
    const c = Math.floor(i / per);
    const lo = meta.channelMin[c] ?? 0;
    return lo + (q / 255) * ((meta.channelMax[c] ?? 0) - lo);
  });
  return { meta, values, bytes };
}

/** Child processes of this process (the worker pool's), by pid. */
export function childPids(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the name (field 2) may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) pids.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** Naive 2-D convolution of one [h, w] image with a 3×3 kernel, zero padding 1, plus bias. */
export function conv3x3(img: Float32Array, h: number, w: number, kernel: number[], bias: number): Float32Array {
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = bias;
      for (let ky = 0; ky < 3; ky++) {
        for (let kx = 0; kx < 3; kx++) {
          const yy = y + ky - 1;
          const xx = x + kx - 1;
          if (yy >= 0 && yy < h && xx >= 0 && xx < w) s += (kernel[ky * 3 + kx] ?? 0) * (img[yy * w + xx] ?? 0);
        }
      }
      out[y * w + x] = s;
    }
  }
  return out;
}
