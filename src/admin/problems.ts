// Where a definition problem (D2) shows in the editor: next to the node, the transition or the
// workflow setting its path names, and as a line of the report that links there.
import type { Problem, WorkflowDefinition } from "../engine/index.ts";

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
		return { ...p, place, where: describePlace(def, place), href: anchorOf(place) };
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
		return `Node ${name}${field}`;
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
