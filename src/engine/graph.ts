// Reachability over the workflow graph: which nodes the start nodes reach, which reach an end,
// and which can still feed a transition of an OR join without passing through the join (J4).

/** Adjacency as node key → neighbour keys. */
export type Adjacency = ReadonlyMap<string, readonly string[]>;

export function adjacency(
	keys: readonly string[],
	edges: readonly { from: string; to: string }[],
	reverse = false,
): Map<string, string[]> {
	const map = new Map<string, string[]>(keys.map((k) => [k, []]));
	for (const e of edges) {
		const [a, b] = reverse ? [e.to, e.from] : [e.from, e.to];
		map.get(a)?.push(b);
	}
	return map;
}

/** Every node reachable from `sources` (sources included), never expanding through `blocked`. */
export function reachable(
	graph: Adjacency,
	sources: Iterable<string>,
	blocked?: string,
): Set<string> {
	const seen = new Set<string>();
	const queue: string[] = [];
	for (const s of sources) {
		if (!seen.has(s)) {
			seen.add(s);
			queue.push(s);
		}
	}
	for (let i = 0; i < queue.length; i++) {
		const node = queue[i] as string;
		if (node === blocked) continue;
		for (const next of graph.get(node) ?? []) {
			if (!seen.has(next)) {
				seen.add(next);
				queue.push(next);
			}
		}
	}
	return seen;
}

/**
 * J4: the nodes from which `parent` can be reached without passing through `join`
 * (`parent` included): a task or an arrival there may still bring an arrival to parent → join.
 */
export function upstreamOf(reverseGraph: Adjacency, parent: string, join: string): Set<string> {
	if (parent === join) return new Set([join]);
	const seen = new Set<string>([parent]);
	const queue = [parent];
	for (let i = 0; i < queue.length; i++) {
		for (const prev of reverseGraph.get(queue[i] as string) ?? []) {
			if (prev === join || seen.has(prev)) continue;
			seen.add(prev);
			queue.push(prev);
		}
	}
	return seen;
}
