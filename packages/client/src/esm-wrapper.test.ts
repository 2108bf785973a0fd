import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from './index';

// esm/index.mjs lists the CommonJS build's exports by hand; keep it in step with index.ts.
it('the ESM wrapper re-exports every runtime export of the package', () => {
  const source = readFileSync(join(__dirname, '..', 'esm', 'index.mjs'), 'utf8');
  const listed = /export const \{([^}]*)\} = cjs;/.exec(source)?.[1]?.split(',').map((name) => name.trim()).filter(Boolean);
  expect(listed?.sort()).toEqual(Object.keys(api).sort());
});
