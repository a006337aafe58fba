// The author's drawing from a BPMN file's diagram interchange (BPMNDI), as a workflow's `layout`:
// the box of each element that became a node and the waypoints of each sequence flow that became a
// transition. The import decides what became what and says so in `keys`; this reads the drawing.
import type { ModdleElement } from "bpmn-moddle";
import type { WorkflowDefinition } from "../engine/index.ts";

type WorkflowLayout = NonNullable<WorkflowDefinition["layout"]>;

/** What the import made of the file's elements. */
export interface DiagramKeys {
	/** The id of each BPMN element that became a node → the node's key. */
	nodes: ReadonlyMap<string, string>;
	/**
	 * The id of each sequence flow that became a transition → its index in allTransitions order
	 * (the top level's transitions, then each scope's in a depth-first walk of the nodes).
	 */
	transitions?: ReadonlyMap<string, number>;
}

/** The bounds the definition schema accepts; a file beyond them is not drawn from. */
const LIMIT = 1_000_000;
const MAX_SIZE = 100_000;
const MAX_WAYPOINTS = 200;

/**
 * The layout of `definitions` (a bpmn-moddle `bpmn:Definitions`) for the nodes and transitions in
 * `keys`, or undefined when the file does not draw every node: a drawing that misses a node (no
 * BPMNDI, a subprocess drawn collapsed with its inside on a plane of its own) is laid out by dagre
 * instead. Waypoints are kept for the flows that have two or more.
 */
export function layoutFromDiagram(
	definitions: ModdleElement,
	keys: DiagramKeys,
): WorkflowLayout | undefined {
	if (keys.nodes.size === 0) return undefined;
	const shapes = new Map<string, ModdleElement>();
	const edges = new Map<string, ModdleElement>();
	for (const diagram of list(definitions.diagrams)) {
		const plane = diagram.plane as ModdleElement | undefined;
		// A collapsed subprocess's inside is drawn on a plane of its own, in coordinates of its own.
		if ((plane?.bpmnElement as ModdleElement | undefined)?.$type === "bpmn:SubProcess") continue;
		for (const di of list(plane?.planeElement)) {
			const id = refId(di.bpmnElement);
			if (id === undefined) continue;
			const into =
				di.$type === "bpmndi:BPMNShape"
					? shapes
					: di.$type === "bpmndi:BPMNEdge"
						? edges
						: undefined;
			if (into && !into.has(id)) into.set(id, di);
		}
	}

	const nodes: WorkflowLayout["nodes"] = {};
	for (const [id, key] of keys.nodes) {
		const shape = shapes.get(id);
		const element = shape?.bpmnElement as ModdleElement | undefined;
		// Drawn collapsed, a subprocess's box cannot hold the inner nodes drawn around it.
		if (element?.$type === "bpmn:SubProcess" && shape?.isExpanded === false) return undefined;
		const box = boundsOf(shape?.bounds);
		if (!box) return undefined;
		nodes[key] = box;
	}
	const layout: WorkflowLayout = { nodes };
	const transitions: NonNullable<WorkflowLayout["transitions"]> = {};
	for (const [id, index] of keys.transitions ?? []) {
		const points = list(edges.get(id)?.waypoint).map(pointOf);
		if (points.length < 2 || points.length > MAX_WAYPOINTS) continue;
		if (points.some((p) => p === undefined)) continue;
		transitions[String(index)] = points as { x: number; y: number }[];
	}
	if (Object.keys(transitions).length > 0) layout.transitions = transitions;
	return layout;
}

function boundsOf(value: unknown): WorkflowLayout["nodes"][string] | undefined {
	if (typeof value !== "object" || value === null) return undefined;
	const { x, y, width, height } = value as Record<string, unknown>;
	if (![x, y, width, height].every(isCoordinate)) return undefined;
	const sized = (n: number) => n > 0 && n <= MAX_SIZE;
	if (!sized(width as number) || !sized(height as number)) return undefined;
	return { x: x as number, y: y as number, width: width as number, height: height as number };
}

function pointOf(value: ModdleElement): { x: number; y: number } | undefined {
	const { x, y } = value as unknown as Record<string, unknown>;
	return isCoordinate(x) && isCoordinate(y) ? { x, y } : undefined;
}

function isCoordinate(value: unknown): value is number {
	return typeof value === "number" && Number.isFinite(value) && Math.abs(value) <= LIMIT;
}

function list(value: unknown): ModdleElement[] {
	return Array.isArray(value) ? (value as ModdleElement[]) : [];
}

function refId(value: unknown): string | undefined {
	if (typeof value === "string") return value;
	if (typeof value === "object" && value !== null) return (value as { id?: string }).id;
	return undefined;
}
