import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLabels, readLabels } from './labels';

describe('labels option', () => {
  test('one name per line, trailing blank lines dropped, CRLF read', () => {
    expect(parseLabels('tench\r\ngoldfish\ngreat white shark\n\n')).toEqual(['tench', 'goldfish', 'great white shark']);
  });
  test('a JSON array of strings', () => {
    expect(parseLabels(' ["a", "b"]')).toEqual(['a', 'b']);
    expect(() => parseLabels('[1, 2]', 'x.json')).toThrow(/x.json holds JSON that is not an array of strings/);
  });
  test('an array as is; a path read from disk; a missing file named', async () => {
    expect(await readLabels(['cat'])).toEqual(['cat']);
    const dir = mkdtempSync(join(tmpdir(), 'labels-'));
    try {
      writeFileSync(join(dir, 'classes.txt'), 'cat\ndog\n');
      expect(await readLabels(join(dir, 'classes.txt'))).toEqual(['cat', 'dog']);
      await expect(readLabels(join(dir, 'none.txt'))).rejects.toThrow(/labels.*cannot read .*none.txt/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
