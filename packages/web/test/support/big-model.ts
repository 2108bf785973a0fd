/**
 * A real ONNX model with about a thousand layers, built in code (no fixture
 * file): residual blocks of Relu → Sigmoid → Mul → Add in named stages, so
 * the graph has name-prefix groups to fold, like an exported ResNet.
 */
import { buildModel, node, valueInfo } from '../../../../test/support/onnx-builder';

/** A model of `blocks`·4 + 1 layers on a [1, 8, 4, 4] input. */
export function bigModel(blocks: number): Uint8Array {
  const nodes = [node('Relu', ['input'], ['t0'], {}, '/stem/Relu')];
  let x = 't0';
  for (let b = 0; b < blocks; b++) {
    const p = `/stage${Math.floor(b / 10)}/block${b % 10}`;
    const t = (s: string) => `${p}/${s}`;
    nodes.push(
      node('Relu', [x], [t('r')], {}, `${p}/act/Relu`),
      node('Sigmoid', [t('r')], [t('s')], {}, `${p}/gate/Sigmoid`),
      node('Mul', [t('r'), t('s')], [t('m')], {}, `${p}/mul/Mul`),
      node('Add', [t('m'), x], [t('y')], {}, `${p}/add/Add`),
    );
    x = t('y');
  }
  nodes.push(node('Identity', [x], ['output'], {}, '/head/Identity'));
  return buildModel({ inputs: [valueInfo('input', 'float', [1, 8, 4, 4])], outputs: [valueInfo('output', 'float', [1, 8, 4, 4])], nodes });
}
