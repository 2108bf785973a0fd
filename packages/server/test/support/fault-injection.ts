/**
 * Faults done to the worker pool from outside, the way an operator, the
 * kernel's OOM killer or a stuck driver does them: find the pool's child
 * processes, tell which one is busy by the CPU time it burns, and a model
 * that keeps a worker busy for a known while.
 */
import { create } from '@bufbuild/protobuf';
import { onnx } from '../../../../test/support/onnx';
import { buildModel, floatTensor, graph, int64Tensor, node, valueInfo } from '../../../../test/support/onnx-builder';
import { childPids } from '../../../../test/support/analysis';
import { cpuTicks } from '../../../../test/support/process-cpu';

export { childPids };

/**
 * A model that spins for `trips` iterations of a Loop adding `step` to a [1]
 * float, then ends: a job that stays inside the native runtime for a while
 * and then succeeds, its output x + trips·step. Input x: float [1]. A
 * different `step` makes different bytes, so a different model (and session).
 */
export function slowLoopModel(trips: number, step = 1): Uint8Array {
  const go = create(onnx.TensorProtoSchema, { name: 'go', dims: [], dataType: onnx.TensorProto_DataType.BOOL, rawData: Uint8Array.of(1) });
  const body = graph({
    name: 'body',
    inputs: [valueInfo('i', 'int64', []), valueInfo('c_in', 'bool', []), valueInfo('v_in', 'float', [1])],
    outputs: [valueInfo('c_out', 'bool', []), valueInfo('v_out', 'float', [1])],
    initializers: [floatTensor('step', [1], [step])],
    nodes: [node('Identity', ['c_in'], ['c_out']), node('Add', ['v_in', 'step'], ['v_out'])],
  });
  return buildModel({
    inputs: [valueInfo('x', 'float', [1])],
    outputs: [valueInfo('y', 'float', [1])],
    initializers: [int64Tensor('trips', [], [trips]), go],
    nodes: [node('Loop', ['trips', 'go', 'x'], ['counted'], { body: { graph: body } }, 'spin'), node('Relu', ['counted'], ['y'], {}, 'relu')],
  });
}

/** The child that burned the most CPU over `sampleMs` (a worker waiting for a job burns none). */
export async function busiestChild(sampleMs = 400): Promise<{ pid: number; ticks: number }> {
  const pids = childPids();
  const before = new Map(pids.map((p) => [p, cpuTicks(p)]));
  await new Promise((r) => setTimeout(r, sampleMs));
  const used = pids.map((pid) => ({ pid, ticks: cpuTicks(pid) - (before.get(pid) ?? 0) })).sort((a, b) => b.ticks - a.ticks);
  const top = used[0];
  if (!top) throw new Error('the pool has no child processes');
  return top;
}
