/** Pure pieces: Visdom body parsing and the --base-url option. */
import { tmpdir } from 'node:os';
import { parseCli } from '../../src/cli-args';
import { normalizeBaseUrl, resolveServerOptions } from '../../src/options';
import { parseVisdomBody } from '../../src/visdom/body';

test('bodies: JSON text, empty as {}, NaN/Infinity outside strings as null', () => {
  expect(parseVisdomBody('{"eid": "main"}')).toEqual({ eid: 'main' });
  expect(parseVisdomBody('')).toEqual({});
  expect(parseVisdomBody(undefined)).toEqual({});
  expect(parseVisdomBody('{"y": [NaN, Infinity, -Infinity, 1], "s": "NaN Infinity"}')).toEqual({ y: [null, null, null, 1], s: 'NaN Infinity' });
  expect(() => parseVisdomBody('{"a": ')).toThrow(/^body: is not valid JSON/);
  expect(() => parseVisdomBody('[1]')).toThrow('body: must be a JSON object');
});

test('--base-url and CNNVIS_BASE_URL, normalised as Visdom keeps base_url', () => {
  expect(normalizeBaseUrl('/')).toBe('');
  expect(normalizeBaseUrl('visdom/')).toBe('/visdom');
  expect(resolveServerOptions().baseUrl).toBe('');
  expect(resolveServerOptions({ baseUrl: '/a/' }).baseUrl).toBe('/a');
  const serve = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const cmd = parseCli([...argv, '--data-dir', tmpdir()], env);
    return cmd.kind === 'serve' ? cmd.options.baseUrl : undefined;
  };
  expect(serve(['--base-url', '/visdom'])).toBe('/visdom');
  expect(serve([], { CNNVIS_BASE_URL: '/v/' })).toBe('/v');
  expect(() => serve(['--base-url', '/a b'])).toThrow(/--base-url must be a URL path/);
});
