/**
 * Nesting groups from node names. Exporters name nodes by module path:
 * PyTorch writes `/layer1/layer1.0/conv1/Conv`, TensorFlow `model/block1/conv/Conv2D`.
 * The segments before the last are the groups, outermost first; the last
 * segment is the node's own name (usually its op). A group is identified by
 * its whole path, not its last segment, since names repeat under different
 * parents (`/layer1/layer1.0/conv1` and `/layer2/layer2.0/conv1`).
 * @module
 */

/**
 * The groups of a node name, outermost first.
 * @example
 * nameGroups('/layer1/layer1.0/conv1/Conv'); // ['layer1', 'layer1.0', 'conv1']
 * nameGroups('Conv_0');                      // []
 */
export function nameGroups(name: string): string[] {
  const parts = name.split('/').filter((p) => p.length > 0);
  return parts.slice(0, -1);
}
