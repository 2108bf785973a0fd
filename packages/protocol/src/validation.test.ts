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
