/**
 * zod failures as messages that name the field, worded the same on every side.
 * @module
 */
import type { z } from 'zod';
import type { Issue } from './errors';

/** Render a zod path as `opts.title` or `content.traces[0].x`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  const keys = path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`));
  return keys.join('').replace(/^\./, '') || '(root)';
}

/** One {@link Issue} per zod issue, with the field path first. */
export function toIssues(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** A single line naming every bad field, e.g. `opts.title: Invalid input: expected string, received number`. */
export function describeIssues(issues: readonly Issue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

/**
 * Parse `value` with `schema` and return either the typed data or the issues.
 * @example
 * const r = parsePayload(WindowCreateRequestSchema, body);
 * if (!r.ok) throw new Error(describeIssues(r.issues));
 */
export function parsePayload<T extends z.ZodType>(
  schema: T,
  value: unknown,
): { ok: true; data: z.output<T> } | { ok: false; issues: Issue[] } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, issues: toIssues(result.error) };
}
