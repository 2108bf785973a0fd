import { parseProfile, summarizePlacement } from './profile-placement';
import { buildModel } from '../../../../test/support/onnx-builder';
import { relu4 } from '../../../../test/support/test-models';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeSession, openSession, readPlacement, type RuntimeSession } from './open-session';
import { profileDirPrefix } from './profile-dir';
import * as ort from 'onnxruntime-node';

const event = (name: string, provider: string, op: string) => ({ cat: 'Node', name: `${name}_kernel_time`, args: { provider, op_name: op } });

describe('parseProfile and summarizePlacement', () => {
  const profile = JSON.stringify([
    { cat: 'Session', name: 'session_initialization', args: {} },
    event('/conv1/Conv', 'CUDAExecutionProvider', 'Conv'),
    event('/relu/Relu', 'CUDAExecutionProvider', 'Relu'),
    event('/Shape', 'CPUExecutionProvider', 'Shape'),
    event('/Gather', 'CPUExecutionProvider', 'Gather'),
    event('/conv1/Conv', 'CUDAExecutionProvider', 'Conv'),
    { cat: 'Node', name: '/conv1/Conv_fence_before', args: { provider: 'CUDAExecutionProvider' } },
  ]);

  it('counts each node once per provider, from kernel events only', () => {
    const placement = parseProfile(profile);
    expect([...placement.keys()].sort()).toEqual(['CPUExecutionProvider', 'CUDAExecutionProvider']);
    expect(placement.get('CUDAExecutionProvider')?.nodes.size).toBe(2);
  });

  it('reports CUDA when CUDA ran nodes, naming what fell back to the CPU', () => {
    expect(summarizePlacement(parseProfile(profile), 'cuda')).toEqual({ provider: 'cuda', note: '2 of 4 nodes ran on the CPU (ops: Gather, Shape)' });
  });

  it('reports the CPU when a CUDA session placed nothing on the GPU', () => {
    const cpuOnly = parseProfile(JSON.stringify([event('a', 'CPUExecutionProvider', 'Relu')]));
    expect(summarizePlacement(cpuOnly, 'cuda')).toEqual({ provider: 'cpu', note: 'CUDA was registered, but ONNX Runtime placed every node on the CPU' });
    expect(summarizePlacement(cpuOnly, 'cpu')).toEqual({ provider: 'cpu' });
  });
});

describe('readPlacement on a real session', () => {
  const feed = () => ({ x: new ort.Tensor('float32', Float32Array.of(-1, 0, 1, 2), [1, 4]) });

  it('reads the placement from a profiled first run and stops profiling', async () => {
    // A CUDA session is profiled this way; CUDA cannot run here, so the CPU writes the same kind of profile.
    const profileDir = mkdtempSync(join(tmpdir(), 'cnnvis-placement-'));
    const session = await ort.InferenceSession.create(buildModel(relu4()), { enableProfiling: true, profileFilePrefix: join(profileDir, 'profile') });
    const rs: RuntimeSession = { session, registered: 'cpu', profileDir, placement: null, createMs: 0 };
    await session.run(feed());
    expect(readPlacement(rs)).toEqual({ provider: 'cpu' });
    expect(rs.profileDir).toBeNull();
    expect(existsSync(profileDir)).toBe(false);
    await session.run(feed()); // unprofiled now
    expect(readPlacement(rs)).toEqual({ provider: 'cpu' });
    await session.release();
  });

  it('does not profile a session with only the CPU registered: every node runs there', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith(profileDirPrefix(process.pid)));
    const rs = await openSession(buildModel(relu4()), 'cpu');
    expect(rs.profileDir).toBeNull();
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith(profileDirPrefix(process.pid)))).toEqual(before);
    await rs.session.run(feed());
    expect(readPlacement(rs)).toEqual({ provider: 'cpu' });
    await closeSession(rs);
  });
});
