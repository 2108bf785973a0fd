/**
 * Nesting groups from node names, which exporters write as module paths (PyTorch's
 * `/layer1/layer1.0/conv1/Conv`). A group is its whole path, since names repeat under other
 * parents.
 * @module
 */
/**
 * The groups of a node name, outermost first: exporters name nodes by module path.
 * @example
 * nameGroups('/layer1/layer1.0/conv1/Conv'); // ['layer1', 'layer1.0', 'conv1']
 */
export function nameGroups(name: string): string[] {
  const parts = name.split('/').filter((p) => p.length > 0);
  return parts.slice(0, -1);
}
