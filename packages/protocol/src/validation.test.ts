import { z } from 'zod';
import { parsePayload, describeIssues } from './validation';
import { WindowCreateRequestSchema } from './requests';
import { WindowUpdateRequestSchema } from './requests';

test('messages name the failing field by path', () => {
  const r = parsePayload(WindowCreateRequestSchema, {
    content: { kind: 'plot', traces: [{ name: 'a', type: 'scatter', x: [1, 'b', {}] }] },
    opts: { width: 'wide' },
  });
  if (r.ok) throw new Error('should fail');
  const text = describeIssues(r.issues);
  expect(text).toMatch(/content\.traces\[0\]\.x\[2\]: /);
  expect(text).toMatch(/opts\.width: /);
});

test('unknown options are named', () => {
  const r = parsePayload(WindowCreateRequestSchema, { content: { kind: 'text', text: '' }, opts: { colour: 'red' } });
  expect(!r.ok && describeIssues(r.issues)).toMatch(/colour/);
});

test('NaN and Infinity are not numbers on the wire', () => {
  for (const bad of [NaN, Infinity]) {
    const r = parsePayload(WindowUpdateRequestSchema, { win: 'w', op: { type: 'append', traces: [{ name: 'a', x: [1], y: [bad] }] } });
    expect(r.ok).toBe(false);
  }
});

test('names that could escape a path are rejected', () => {
  for (const env of ['..', '.', 'a/b', 'a\\b', '', 'x'.repeat(129), 'a\u0000b']) {
    expect(parsePayload(WindowCreateRequestSchema, { env, content: { kind: 'text', text: '' } }).ok).toBe(false);
  }
  expect(parsePayload(WindowCreateRequestSchema, { env: 'run 3 (lr=0.1)', content: { kind: 'text', text: '' } }).ok).toBe(true);
});

test('a bad image is told what its own encoding needs', () => {
  const image = (img: object) => parsePayload(WindowCreateRequestSchema, { content: { kind: 'image', images: [img] } });
  const text = (r: ReturnType<typeof image>) => !r.ok && describeIssues(r.issues);
  expect(text(image({ encoding: 'gif', data: new Uint8Array(1) }))).toMatch(/^content\.images\[0\]\.encoding: /);
  expect(text(image({ encoding: 'png', data: [1] }))).toMatch(/^content\.images\[0\]\.data: must be binary/);
  expect(text(image({ encoding: 'raw', shape: [2], data: new Uint8Array(2) }))).toMatch(/^content\.images\[0\]\.shape: /);
});

test('plotly attributes that are not JSON are named', () => {
  for (const bad of [NaN, new Uint8Array(1), undefined, new Date(0)]) {
    const r = parsePayload(WindowCreateRequestSchema, {
      content: { kind: 'plot', traces: [{ name: 'a', type: 'scatter', plotly: { marker: { color: [1, bad] } } }] },
    });
    expect(!r.ok && describeIssues(r.issues)).toMatch(/^content\.traces\[0\]\.plotly\.marker: /);
  }
});

test('the requests of a training loop compile to zod fast paths', () => {
  // z.compile quietly hands back a schema it cannot compile (a recursive member, say); strict says why.
  for (const schema of [WindowCreateRequestSchema, WindowUpdateRequestSchema]) {
    expect(() => z.compile(schema, { strict: true })).not.toThrow();
  }
});
