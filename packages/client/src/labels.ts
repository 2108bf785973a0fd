/**
 * The `labels` option: class names as an array, or a file (a JSON array, or one name per line).
 * @module
 */
import { CnnvisClientError } from './client-error';

/**
 * @example
 * await readLabels(['cat', 'dog']);        // ['cat', 'dog']
 * await readLabels('imagenet_classes.txt'); // 1,000 names, one per line
 */
export async function readLabels(labels: readonly string[] | string): Promise<string[]> {
  if (typeof labels !== 'string') return [...labels];
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(labels, 'utf8').catch((err: Error) => {
    throw CnnvisClientError.badRequest([{ path: 'labels', message: `cannot read ${labels}: ${err.message}` }]);
  });
  return parseLabels(text, labels);
}

/** A labels file's text as names: a JSON array of strings, else one name per line (blank lines at the end dropped). */
export function parseLabels(text: string, source = 'the labels'): string[] {
  if (text.trimStart().startsWith('[')) {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || !parsed.every((l) => typeof l === 'string')) {
      throw CnnvisClientError.badRequest([{ path: 'labels', message: `${source} holds JSON that is not an array of strings` }]);
    }
    return parsed;
  }
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  return lines;
}
