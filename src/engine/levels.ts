// C1: a definition as levels: the top-level graph and the inner graph of each scope node, each with
// the path where its nodes and transitions are written, so every check can name the exact place.
import type { NodeDefinition, TransitionDefinition, WorkflowDefinition } from "./model.ts";

export interface PlacedNode {
	node: NodeDefinition;
	/** "nodes[2]" or "nodes[2].nodes[0]". */
	path: string;
}

export interface Level {
	/** The scope node whose inner graph this is; undefined for the top level. */
	scope?: PlacedNode;
	nodes: PlacedNode[];
	transitions: { transition: TransitionDefinition; path: string }[];
}

/** The top level first, then each scope's inner graph, depth first. */
export function levelsOf(def: WorkflowDefinition): Level[] {
	const levels: Level[] = [];
	const visit = (
		nodes: readonly NodeDefinition[],
		transitions: readonly TransitionDefinition[],
		prefix: string,
		scope?: PlacedNode,
	) => {
		const placed = nodes.map((node, i) => ({ node, path: `${prefix}nodes[${i}]` }));
		const level: Level = {
			nodes: placed,
			transitions: transitions.map((transition, i) => ({
				transition,
				path: `${prefix}transitions[${i}]`,
			})),
		};
		if (scope) level.scope = scope;
		levels.push(level);
		for (const p of placed) {
			if (p.node.nodes !== undefined || p.node.transitions !== undefined) {
				visit(p.node.nodes ?? [], p.node.transitions ?? [], `${p.path}.`, p);
			}
		}
	};
	visit(def.nodes, def.transitions, "");
	return levels;
}

/** Every node with its path, at any depth. */
export function placedNodes(def: WorkflowDefinition): PlacedNode[] {
	return levelsOf(def).flatMap((level) => level.nodes);
}
