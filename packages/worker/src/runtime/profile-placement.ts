/**
 * Which execution provider ran each node, from the node events of ONNX Runtime's profile
 * (onnxruntime-node has no placement API); the first run's tells it for every run.
 * @module
 */
import type { Provider } from '@cnnvis/protocol';

/** Per provider name (`CPUExecutionProvider`, …): the nodes it ran and their ops. */
export type Placement = Map<string, { nodes: Set<string>; ops: Set<string> }>;

interface TraceEvent {
  cat?: string;
  name?: string;
  args?: { provider?: string; op_name?: string };
}

/** Node placement from the text of an ORT profile file. */
export function parseProfile(json: string): Placement {
  const events = JSON.parse(json) as TraceEvent[];
  const placement: Placement = new Map();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.args?.provider || !e.name?.endsWith('_kernel_time')) continue;
    let entry = placement.get(e.args.provider);
    if (!entry) placement.set(e.args.provider, (entry = { nodes: new Set(), ops: new Set() }));
    entry.nodes.add(e.name.slice(0, -'_kernel_time'.length));
    if (e.args.op_name) entry.ops.add(e.args.op_name);
  }
  return placement;
}

const GPU_PROVIDERS = ['CUDAExecutionProvider', 'TensorrtExecutionProvider'];

/**
 * CUDA when CUDA ran any node (noting what fell back to the CPU), else CPU; `registered` decides
 * only when the profile shows no node.
 */
export function summarizePlacement(placement: Placement, registered: Provider): { provider: Provider; note?: string } {
  let gpu = 0;
  let total = 0;
  for (const [name, entry] of placement) {
    total += entry.nodes.size;
    if (GPU_PROVIDERS.includes(name)) gpu += entry.nodes.size;
  }
  if (total === 0) return { provider: registered, note: 'no node events in the profile; reporting the registered provider' };
  if (gpu === 0) {
    return registered === 'cuda'
      ? { provider: 'cpu', note: 'CUDA was registered, but ONNX Runtime placed every node on the CPU' }
      : { provider: 'cpu' };
  }
  const cpu = placement.get('CPUExecutionProvider');
  if (!cpu || cpu.nodes.size === 0) return { provider: 'cuda' };
  return {
    provider: 'cuda',
    note: `${cpu.nodes.size} of ${total} nodes ran on the CPU (ops: ${[...cpu.ops].sort().join(', ')})`,
  };
}
