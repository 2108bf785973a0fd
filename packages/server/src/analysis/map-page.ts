/**
 * A page of a stored feature map: `?from=a&count=n` on a map's `…/data` names channels a … a+n−1,
 * so the browser fetches a wide layer's channels as it pages through them rather than all at once.
 * @module
 */
import type { Issue } from '@cnnvis/protocol';

/** Where a map's channels lie in its bytes: `channels` planes of `plane` bytes. */
function planes(shape: readonly number[]): { channels: number; plane: number } {
  if (shape.length === 3) return { channels: shape[0] as number, plane: (shape[1] as number) * (shape[2] as number) };
  return { channels: 1, plane: shape.reduce((a, b) => a * b, 1) };
}

/** A query value as a whole number, or undefined when absent. */
function whole(value: unknown, field: string, issues: Issue[]): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (Number.isNaN(n)) issues.push({ path: field, message: 'must be a whole number' });
  return n;
}

/**
 * The byte range (relative to the map's own bytes) of the channels a query names: all of them
 * without `from` and `count`, `count` clipped to the last channel. Issues name what is wrong (the
 * caller answers 400).
 */
export function mapPage(shape: readonly number[], query: { from?: unknown; count?: unknown }): { offset: number; length: number } | { issues: Issue[] } {
  const { channels, plane } = planes(shape);
  const issues: Issue[] = [];
  const from = whole(query.from, 'from', issues) ?? 0;
  const count = whole(query.count, 'count', issues) ?? channels;
  if (issues.length === 0 && from >= channels) issues.push({ path: 'from', message: `must be below ${channels}, the map's channel count` });
  if (issues.length === 0 && count < 1) issues.push({ path: 'count', message: 'must be at least 1' });
  if (issues.length > 0) return { issues };
  return { offset: from * plane, length: Math.min(count, channels - from) * plane };
}
