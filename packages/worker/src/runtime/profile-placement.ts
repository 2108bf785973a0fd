/**
 * Which execution provider really ran each node, read from ONNX Runtime's
 * profile. onnxruntime-node has no per-node placement API, but a session
 * created with `enableProfiling` writes a Chrome-trace JSON whose node events
 * (`cat: "Node"`, name `<node>_kernel_time`) carry `args.provider`, the EP
 * whose kernel ran that node. The placement is fixed when the session is
 * created, so profiling the first run of a session tells it for every run.
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

/**
 * Node placement from the text of an ORT profile file.
 * @example
 * const placement = parseProfile(readFileSync(profilePath, 'utf8'));
 * placement.get('CPUExecutionProvider')?.nodes.size;
 */
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
 * The provider to report: CUDA when CUDA ran any node (with a note naming
 * what fell back to the CPU), else CPU. `registered` is what the session
 * was created with; it decides only when the profile shows no node at all.
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
