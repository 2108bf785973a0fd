/**
 * Name-prefix groups of a layer graph (`/layer1/layer1.0/conv1` lies in `layer1` and
 * `layer1/layer1.0`), without groups of one layer or ones that only wrap one child.
 * @module
 */
import type { LayerGraph } from '@cnnvis/protocol';

export interface GroupInfo {
  /** Prefix segments joined by `/`, e.g. `layer1/layer1.0`. */
  path: string;
  /** The last segment, e.g. `layer1.0`. */
  name: string;
  /** Nearest enclosing group kept, or null at the top. */
  parent: string | null;
  /** Layers inside, at any depth. */
  size: number;
  /** Child units: kept child groups plus layers directly inside. */
  children: number;
}

export interface GroupTree {
  groups: ReadonlyMap<string, GroupInfo>;
  /** For each layer id, the kept groups it lies in, outermost first. */
  chains: ReadonlyMap<string, readonly string[]>;
}

/**
 * @example
 * const tree = buildGroupTree(graph);
 * tree.chains.get('/layer1/layer1.0/conv1/Conv') // ['layer1', 'layer1/layer1.0']
 */
export function buildGroupTree(graph: Pick<LayerGraph, 'nodes'>): GroupTree {
  const counts = new Map<string, number>();
  const prefixes = graph.nodes.map((node) => {
    const paths = node.groups.map((_, i) => node.groups.slice(0, i + 1).join('/'));
    for (const p of paths) counts.set(p, (counts.get(p) ?? 0) + 1);
    return paths;
  });
  const chains = new Map<string, string[]>();
  const groups = new Map<string, GroupInfo>();
  graph.nodes.forEach((node, i) => {
    const chain: string[] = [];
    for (const path of prefixes[i] ?? []) {
      const size = counts.get(path) ?? 0;
      const parent = chain[chain.length - 1] ?? null;
      // Same layers as the kept parent: a wrapper with nothing of its own.
      if (size < 2 || (parent !== null && counts.get(parent) === size)) continue;
      chain.push(path);
      if (!groups.has(path)) {
        groups.set(path, { path, name: path.slice(path.lastIndexOf('/') + 1), parent, size, children: 0 });
      }
    }
    chains.set(node.id, chain);
  });
  // Count child units: a layer counts for its innermost group, a group for its parent.
  for (const chain of chains.values()) {
    const inner = chain[chain.length - 1];
    const info = inner === undefined ? undefined : groups.get(inner);
    if (info) info.children++;
  }
  for (const g of groups.values()) {
    const parent = g.parent === null ? undefined : groups.get(g.parent);
    if (parent) parent.children++;
  }
  return { groups, chains };
}

/**
 * Which groups to collapse so that about `budget` boxes show: all groups
 * collapsed, then the biggest ones opened, outermost first, while the count
 * of visible units stays within budget. A small graph shows whole.
 * @example initialCollapsed(tree, 420, 150) // Set { 'layer2', 'layer3', … }
 */
export function initialCollapsed(tree: GroupTree, layerCount: number, budget: number): Set<string> {
  if (layerCount <= budget) return new Set();
  const collapsed = new Set(tree.groups.keys());
  const topLevel = [...tree.chains.values()].filter((c) => c.length === 0).length;
  let visible = topLevel + [...tree.groups.values()].filter((g) => g.parent === null).length;
  let frontier = [...tree.groups.values()].filter((g) => g.parent === null);
  while (frontier.length > 0) {
    frontier.sort((a, b) => b.size - a.size);
    const next: GroupInfo[] = [];
    for (const g of frontier) {
      if (visible + g.children - 1 > budget) continue;
      collapsed.delete(g.path);
      visible += g.children - 1;
      for (const child of tree.groups.values()) if (child.parent === g.path) next.push(child);
    }
    frontier = next;
  }
  return collapsed;
}

/**
 * The collapsed set with every group around `layerId` opened, so it shows.
 * @example reveal(tree, collapsed, '/layer3/layer3.1/conv2/Conv')
 */
export function reveal(tree: GroupTree, collapsed: ReadonlySet<string>, layerId: string): Set<string> {
  const next = new Set(collapsed);
  for (const path of tree.chains.get(layerId) ?? []) next.delete(path);
  return next;
}
