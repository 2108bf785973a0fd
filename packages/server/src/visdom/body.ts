/**
 * Visdom request bodies: JSON text whatever the content type says (the stock
 * client sets none). Python's `json.dumps` writes `NaN` and `Infinity` for
 * float gaps, which JSON.parse rejects; those become `null`, as plotly reads them.
 * @module
 */
import { CnnvisError } from '../errors';

/**
 * The deepest a body may nest. A figure needs about ten levels; thousands
 * would overflow the stack of the code that reads the body (String(), JSON.stringify).
 */
const MAX_BODY_DEPTH = 100;

/**
 * Whether `value`, at nesting level `depth`, holds a container deeper than `max`. Recursion is safe
 * here: it stops at `max` levels.
 */
function nestsDeeper(value: object, depth: number, max: number): boolean {
  if (depth > max) return true;
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return children.some((c) => c instanceof Object && nestsDeeper(c, depth + 1, max));
}

/** Whether a body is empty or only whitespace; an object body answers at its first character, without trim's copy. */
function isBlank(text: string): boolean {
  return text.charCodeAt(0) !== 0x7b && text.trim() === '';
}

/** Replace bare NaN / Infinity / -Infinity tokens (outside strings) with null. */
function nullNonFinite(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    const rest = text.slice(i, i + 9);
    const token = /^-?Infinity/.exec(rest)?.[0] ?? (rest.startsWith('NaN') ? 'NaN' : undefined);
    if (token !== undefined) {
      out += 'null';
      i += token.length - 1;
    } else out += c;
  }
  return out;
}

/** Parse a Visdom body into an object; an empty body is `{}`. */
export function parseVisdomBody(text: unknown): Record<string, unknown> {
  const raw = typeof text === 'string' ? text : Buffer.isBuffer(text) ? text.toString('utf8') : '';
  if (isBlank(raw)) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    try {
      value = JSON.parse(nullNonFinite(raw));
    } catch (err) {
      throw new CnnvisError({ code: 'BAD_REQUEST', message: `body: is not valid JSON (${(err as Error).message})` });
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CnnvisError({ code: 'BAD_REQUEST', message: 'body: must be a JSON object' });
  }
  if (nestsDeeper(value, 1, MAX_BODY_DEPTH)) {
    throw new CnnvisError({ code: 'BAD_REQUEST', message: `body: nests deeper than ${MAX_BODY_DEPTH} levels` });
  }
  return value as Record<string, unknown>;
}
