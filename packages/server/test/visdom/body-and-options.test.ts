/** Pure pieces: Visdom body parsing and the --base-url option. */
import { tmpdir } from 'node:os';
import { parseCli } from '../../src/cli-args';
import { normalizeBaseUrl, resolveServerOptions } from '../../src/options';
import { parseVisdomBody } from '../../src/visdom/body';
import { changedWindowOpts, toWindowOpts } from '../../src/visdom/window-opts';

test('bodies: JSON text, empty as {}, NaN/Infinity outside strings as null', () => {
  expect(parseVisdomBody('{"eid": "main"}')).toEqual({ eid: 'main' });
  expect(parseVisdomBody('')).toEqual({});
  expect(parseVisdomBody(undefined)).toEqual({});
  expect(parseVisdomBody('{"y": [NaN, Infinity, -Infinity, 1], "s": "NaN Infinity"}')).toEqual({ y: [null, null, null, 1], s: 'NaN Infinity' });
  expect(() => parseVisdomBody('{"a": ')).toThrow(/^body: is not valid JSON/);
  expect(() => parseVisdomBody('[1]')).toThrow('body: must be a JSON object');
  expect(parseVisdomBody(' \n\t')).toEqual({});
});

test('bodies nest at most 100 levels, arrays and objects alike', () => {
  // The body object is the first level.
  const lists = (levels: number) => `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;
  expect(() => parseVisdomBody(lists(99))).not.toThrow();
  expect(() => parseVisdomBody(lists(100))).toThrow('body: nests deeper than 100 levels');
  expect(() => parseVisdomBody(`{"a":${'{"b":'.repeat(100)}1${'}'.repeat(100)}}`)).toThrow('body: nests deeper than 100 levels');
  expect(() => parseVisdomBody(lists(5000))).toThrow('body: nests deeper than 100 levels');
  expect(parseVisdomBody('{"x":[1,2,3],"o":{"p":[[1],[2]]}}')).toEqual({ x: [1, 2, 3], o: { p: [[1], [2]] } });
});

test('opts an append resends: only those that changed, and only when valid', () => {
  expect(toWindowOpts({ title: 'Loss', markers: true, width: 28 })).toEqual({ title: 'Loss', width: 50 });
  const current = { title: 'Loss', xlabel: 'step', legend: ['a', 'b'] };
  expect(changedWindowOpts({ title: 'Loss', xlabel: 'step', legend: ['a', 'b'], markers: false }, current)).toBeUndefined();
  expect(changedWindowOpts({ title: 'Loss', xlabel: 'epoch', legend: ['a', 'c'] }, current)).toEqual({ xlabel: 'epoch', legend: ['a', 'c'] });
  // A changed opt whose value does not fit is dropped, as on create; an absent one changes nothing.
  expect(changedWindowOpts({ title: 7, showlegend: 'yes', width: 28 }, current)).toEqual({ title: '7', width: 50 });
  expect(changedWindowOpts({ xmin: 0, xmax: 1 }, {}, true)).toEqual({ zmin: 0, zmax: 1 });
  expect(changedWindowOpts(undefined, current)).toBeUndefined();
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
