/**
 * Reading ORT's profile in bounded memory: a looping model's can pass V8's longest string, so
 * a large one is read by its head and tail, one event a line.
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parseProfile, type Placement } from './profile-placement';

/** Profiles up to this size are parsed whole. */
export const PROFILE_WHOLE_BYTES = 32 * 2 ** 20;
/** Of a larger profile, this much of its head and of its tail is read. */
const PROFILE_PART_BYTES = 8 * 2 ** 20;

/** The placement a profile file shows, and whether only part of it was read. */
export function readProfile(path: string): { placement: Placement; partial: boolean } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= PROFILE_WHOLE_BYTES) return { placement: parseProfile(readAt(fd, 0, size)), partial: false };
    const text = `${readAt(fd, 0, PROFILE_PART_BYTES)}\n${readAt(fd, size - PROFILE_PART_BYTES, PROFILE_PART_BYTES)}`;
    return { placement: parseProfile(`[${eventLines(text).join(',')}]`), partial: true };
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, position: number, length: number): string {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return buf.toString('utf8', 0, done);
}

/** ORT writes one event object per line; keep the complete node-kernel ones (the cut ends are not). */
function eventLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/,$/, '');
    if (!line.startsWith('{') || !line.includes('_kernel_time')) continue;
    try {
      JSON.parse(line);
      out.push(line);
    } catch {
      // the line the cut went through
    }
  }
  return out;
}
