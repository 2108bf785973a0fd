/**
 * The graph's structure, checked on upload, with messages naming the nodes of a cycle and
 * where a subgraph lies, which ONNX Runtime's do not.
 * @module
 */
import { ModelError } from '../worker-error';
import type { GraphProto, NodeProto } from './onnx-schema';
import { nodeLabel, subgraphLabel, subgraphsOf } from './subgraphs';

/**
 * Throws BAD_MODEL naming the first structural fault of `g` or its subgraphs; returns the
 * names `g` reads from enclosing graphs.
 */
export function checkGraph(g: GraphProto, where = 'the graph', outer: ReadonlySet<string> = new Set()): Set<string> {
  const local = new Set<string>([...g.input.map((v) => v.name), ...g.initializer.map((t) => t.name)]);
  for (const s of g.sparseInitializer) if (s.values) local.add(s.values.name);
  const producer = producers(g.node, local, where);
  const visible = new Set([...outer, ...local, ...producer.keys()]);
  const fromOuter = new Set<string>();

  // What each node reads: its inputs, and what its subgraphs read from this graph or above.
  const reads = g.node.map((n, i) => {
    const names = n.input.filter((t) => t !== '');
    for (const { attribute, graph } of subgraphsOf(n)) names.push(...checkGraph(graph, subgraphLabel(attribute, nodeLabel(n, i)), visible));
    for (const t of names) {
      if (!visible.has(t)) throw new ModelError('BAD_MODEL', `in ${where}, ${nodeLabel(n, i)} reads tensor '${t}', which no node, graph input or initializer produces`);
      if (!local.has(t) && !producer.has(t)) fromOuter.add(t);
    }
    return names;
  });

  if (g.output.length === 0) throw new ModelError('BAD_MODEL', `${where} declares no outputs, so nothing it computes can be read`);
  for (const o of g.output) {
    if (!visible.has(o.name)) throw new ModelError('BAD_MODEL', `${where}'s output '${o.name}' is produced by no node, graph input or initializer`);
    if (!local.has(o.name) && !producer.has(o.name)) fromOuter.add(o.name);
  }
  checkAcyclic(g.node, reads, producer, where);
  return fromOuter;
}

/** Which node writes each tensor; throws when two do, or a node overwrites an input or initializer. */
function producers(nodes: readonly NodeProto[], local: ReadonlySet<string>, where: string): Map<string, number> {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const t of n.output) {
      if (t === '') continue; // an omitted optional output
      const first = producer.get(t);
      if (first !== undefined) {
        throw new ModelError('BAD_MODEL', `in ${where}, tensor '${t}' is written by two nodes, ${nodeLabel(nodes[first] as NodeProto, first)} and ${nodeLabel(n, i)}`);
      }
      if (local.has(t)) throw new ModelError('BAD_MODEL', `in ${where}, ${nodeLabel(n, i)} writes tensor '${t}', which is already a graph input or initializer`);
      producer.set(t, i);
    }
  });
  return producer;
}

/** Kahn's algorithm; what it cannot order lies on or behind a cycle, and one cycle is named. */
function checkAcyclic(nodes: readonly NodeProto[], reads: readonly string[][], producer: ReadonlyMap<string, number>, where: string): void {
  const deps = reads.map((names) => [...new Set(names.map((t) => producer.get(t)).filter((p): p is number => p !== undefined))]);
  const waiting = deps.map((d) => d.length);
  const users: number[][] = nodes.map(() => []);
  deps.forEach((d, i) => d.forEach((p) => users[p]?.push(i)));
  const ready = waiting.flatMap((w, i) => (w === 0 ? [i] : []));
  let ordered = 0;
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    ordered++;
    for (const u of users[i] ?? []) {
      waiting[u] = (waiting[u] ?? 0) - 1;
      if (waiting[u] === 0) ready.push(u);
    }
  }
  if (ordered === nodes.length) return;

  // Walk back through unordered dependencies until a node repeats: that stretch is a cycle.
  const pending = (i: number) => (waiting[i] ?? 0) > 0;
  const path: number[] = [];
  const seenAt = new Map<number, number>();
  let at = waiting.findIndex((w) => w > 0);
  while (!seenAt.has(at)) {
    seenAt.set(at, path.length);
    path.push(at);
    at = (deps[at] ?? []).find(pending) ?? at;
  }
  const cycle = path.slice(seenAt.get(at)); // each reads from the next, the last from the first
  const needs = (from: number, to: number) => reads[from]?.find((t) => producer.get(t) === to) ?? '?';
  const label = (i: number) => nodeLabel(nodes[i] as NodeProto, i);
  if (cycle.length === 1) {
    const only = cycle[0] as number;
    throw new ModelError('BAD_MODEL', `${where} has a cycle: ${label(only)} reads its own output '${needs(only, only)}'`);
  }
  const steps = cycle.map((n, k) => {
    const from = cycle[(k + 1) % cycle.length] as number;
    return `${k === 0 ? label(n) : 'which'} needs '${needs(n, from)}' from ${label(from)}`;
  });
  throw new ModelError('BAD_MODEL', `${where} has a cycle: ${steps.join(', ')}`);
}
