// The author's drawing of a workflow (its `layout`, kept from a BPMN file's diagram) and when it
// can be trusted: it must give a box to every node, since a picture half drawn by the author and
// half by dagre would put boxes on top of one another, and a transition's waypoints are used only
// while they still join its two boxes (an edit may have reordered the transitions since).
// Shared by Baton's diagram and the BPMN export.
import { allNodes, type NodeDefinition, type WorkflowDefinition } from "../engine/index.ts";

export type WorkflowLayout = NonNullable<WorkflowDefinition["layout"]>;
/** Top-left corner and size. */
export type Box = WorkflowLayout["nodes"][string];
export interface Point {
	x: number;
	y: number;
}

/** How far a waypoint may lie outside the box it leaves or reaches and still belong to it. */
const SLACK = 24;

/** The definition's layout when it draws every node, inner nodes of scopes included. */
export function storedLayoutOf(def: WorkflowDefinition): WorkflowLayout | undefined {
	const layout = def.layout;
	if (!layout) return undefined;
	return allNodes(def).every((n) => layout.nodes[n.key] !== undefined) ? layout : undefined;
}

/** The stored waypoints of transition `index` when they still run from `from` to `to`. */
export function storedWaypoints(
	layout: WorkflowLayout,
	index: number,
	from: Box,
	to: Box,
): Point[] | undefined {
	const points = layout.transitions?.[String(index)];
	const first = points?.[0];
	const last = points?.[points.length - 1];
	if (!points || !first || !last || points.length < 2) return undefined;
	return isNear(first, from) && isNear(last, to)
		? points.map((p) => ({ x: p.x, y: p.y }))
		: undefined;
}

function isNear(p: Point, box: Box): boolean {
	return (
		p.x >= box.x - SLACK &&
		p.x <= box.x + box.width + SLACK &&
		p.y >= box.y - SLACK &&
		p.y <= box.y + box.height + SLACK
	);
}

/**
 * A route between two boxes with no waypoints of the author's: out of the side that faces the
 * target and into the opposite side, with one elbow halfway when they are not level.
 */
export function connectBoxes(from: Box, to: Box): Point[] {
	const a = centre(from);
	const b = centre(to);
	if (to.x >= from.x + from.width || to.x + to.width <= from.x) {
		const rightwards = to.x >= from.x + from.width;
		const start = { x: rightwards ? from.x + from.width : from.x, y: a.y };
		const end = { x: rightwards ? to.x : to.x + to.width, y: b.y };
		if (start.y === end.y) return [start, end];
		const mid = (start.x + end.x) / 2;
		return [start, { x: mid, y: start.y }, { x: mid, y: end.y }, end];
	}
	const downwards = b.y >= a.y;
	const start = { x: a.x, y: downwards ? from.y + from.height : from.y };
	const end = { x: b.x, y: downwards ? to.y : to.y + to.height };
	if (start.x === end.x) return [start, end];
	const mid = (start.y + end.y) / 2;
	return [start, { x: start.x, y: mid }, { x: end.x, y: mid }, end];
}

export function centre(box: Box): Point {
	return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * Where each scope's transitions start in the flattened list of transitions (allTransitions): the
 * top level's first, then each scope's in the order of a depth-first walk of the nodes.
 */
export function transitionOffsets(def: {
	nodes: readonly NodeDefinition[];
	transitions: readonly unknown[];
}): Map<string, number> {
	const offsets = new Map<string, number>();
	let next = def.transitions.length;
	const visit = (nodes: readonly NodeDefinition[]) => {
		for (const node of nodes) {
			if (node.transitions) {
				offsets.set(node.key, next);
				next += node.transitions.length;
			}
			if (node.nodes) visit(node.nodes);
		}
	};
	visit(def.nodes);
	return offsets;
}
