// Where a definition problem (D2) shows in the editor: next to the node, the transition or the
// workflow setting its path names, and as a line of the report that links there.
import type { NodeDefinition, Problem, WorkflowDefinition } from "../engine/index.ts";
import { problemWords } from "./problem-words.ts";

export type ProblemPlace =
	| { kind: "workflow"; field: string }
	| { kind: "node"; index: number; field: string }
	| { kind: "transition"; index: number; field: string };

export interface ProblemView {
	code: string;
	severity: "error" | "warning";
	message: string;
	/** The path in the JSON format, e.g. `nodes[2].params.url`. */
	path: string;
	/** Where, in words: `Node "Review", params.url`. */
	where: string;
	/** The anchor of the editor section that holds it. */
	href: string;
	place: ProblemPlace;
}

/** The place a problem's path points to. */
export function placeOf(path: string): ProblemPlace {
	const node = /^nodes\[(\d+)\](?:\.(.+))?$/.exec(path);
	if (node) return { kind: "node", index: Number(node[1]), field: node[2] ?? "" };
	const transition = /^transitions\[(\d+)\](?:\.(.+))?$/.exec(path);
	if (transition)
		return { kind: "transition", index: Number(transition[1]), field: transition[2] ?? "" };
	return { kind: "workflow", field: path };
}

/** The problems as the editor shows them, errors first, each placed and described. */
export function problemViews(def: WorkflowDefinition, problems: readonly Problem[]): ProblemView[] {
	const views = problems.map((p): ProblemView => {
		const place = placeOf(p.path);
		return {
			...p,
			message: problemWords(p),
			place,
			where: describePlace(def, place),
			href: anchorOf(place),
		};
	});
	return [
		...views.filter((v) => v.severity === "error"),
		...views.filter((v) => v.severity === "warning"),
	];
}

/** The HTML id of the editor section for a place. */
export function anchorOf(place: ProblemPlace): string {
	if (place.kind === "node") return `#node-${place.index}`;
	if (place.kind === "transition") return `#transition-${place.index}`;
	if (place.field === "nodes") return "#nodes";
	if (place.field === "transitions") return "#transitions";
	return "#settings";
}

function describePlace(def: WorkflowDefinition, place: ProblemPlace): string {
	const field = place.field ? `, ${place.field}` : "";
	if (place.kind === "node") {
		const node = def.nodes[place.index];
		const name = node ? `"${node.name ?? node.key}"` : `number ${place.index + 1}`;
		return `Node ${name}${node ? innerPlace(node, place.field) : field}`;
	}
	if (place.kind === "transition") {
		const t = def.transitions[place.index];
		const name = t ? `${t.from} → ${t.to}` : `number ${place.index + 1}`;
		return `Transition ${place.index + 1} (${name})${field}`;
	}
	if (place.field === "nodes") return "Nodes";
	if (place.field === "transitions") return "Transitions";
	return place.field ? `Workflow, ${place.field}` : "Workflow";
}

/**
 * C1: a path inside a scope's inner graph (`nodes[0].params.url`) in words, naming the inner node
 * or transition, since the editor shows a scope's inner graph as one JSON field.
 */
function innerPlace(node: NodeDefinition, field: string): string {
	const inner = /^(nodes|transitions)\[(\d+)\](?:\.(.+))?$/.exec(field);
	const rest = inner?.[3] ?? "";
	if (inner?.[1] === "nodes") {
		const child = node.nodes?.[Number(inner[2])];
		if (child) return `, inner node "${child.name ?? child.key}"${innerPlace(child, rest)}`;
	}
	if (inner?.[1] === "transitions") {
		const t = node.transitions?.[Number(inner[2])];
		if (t) return `, inner transition ${t.from} → ${t.to}${rest ? `, ${rest}` : ""}`;
	}
	return field ? `, ${field}` : "";
}
