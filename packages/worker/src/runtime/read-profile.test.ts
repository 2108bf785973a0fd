import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROFILE_WHOLE_BYTES, readProfile } from './read-profile';

const dir = mkdtempSync(join(tmpdir(), 'cnnvis-profile-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One event line as ORT writes it. */
const line = (name: string, provider: string, op: string) =>
  `{"cat" : "Node","pid" :1,"tid" :1,"dur" :3,"ts" :9,"ph" : "X","name" :"${name}_kernel_time","args" : {"op_name" : "${op}","provider" : "${provider}"}}`;

describe('readProfile', () => {
  it('parses a small profile whole', () => {
    const path = join(dir, 'small.json');
    writeFileSync(path, `[\n${[line('conv', 'CPUExecutionProvider', 'Conv'), line('relu', 'CPUExecutionProvider', 'Relu')].join(',\n')}\n]\n`);
    const { placement, partial } = readProfile(path);
    expect(partial).toBe(false);
    expect([...(placement.get('CPUExecutionProvider')?.nodes ?? [])]).toEqual(['conv', 'relu']);
  });

  it('reads a profile too large for one string by its head and tail, one event per line', () => {
    const path = join(dir, 'loop.json');
    const body = line('loop/Add', 'CPUExecutionProvider', 'Add');
    const repeats = Math.ceil((PROFILE_WHOLE_BYTES * 1.5) / body.length);
    const lines = [line('spin', 'CUDAExecutionProvider', 'Loop'), ...Array.from({ length: repeats }, () => body), line('head', 'CUDAExecutionProvider', 'Gemm')];
    writeFileSync(path, `[\n${lines.join(',\n')}\n]\n`);
    const { placement, partial } = readProfile(path);
    expect(partial).toBe(true);
    expect([...(placement.get('CUDAExecutionProvider')?.nodes ?? [])].sort()).toEqual(['head', 'spin']);
    expect([...(placement.get('CPUExecutionProvider')?.ops ?? [])]).toEqual(['Add']);
  });
});
