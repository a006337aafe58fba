// What a diagram shows of a process: each node coloured by the state of its latest task, active
// nodes highlighted, a count on nodes run more than once, the branches a waiting OR join still
// waits for, arrivals waiting on transitions; and the same facts as text for screen readers.
import type { ProcessStatus, TaskState, TaskStatus, WorkflowDefinition } from "../engine/index.ts";
import type { DiagramLayout, LaidOutEdge, LaidOutNode, Point } from "./layout.ts";

/** The state of a node, from its latest task ("idle" when it never ran). */
export type NodeStatus =
	| "idle"
	| "queued"
	| "waiting"
	| "running"
	| "retry"
	| "success"
	| "failure"
	| "revoked";

export const NODE_STATUS_LABELS: Record<NodeStatus, string> = {
	idle: "Not reached",
	queued: "Queued",
	waiting: "Waiting for input",
	running: "Running",
	retry: "Retrying",
	success: "Done",
	failure: "Failed",
	revoked: "Revoked",
};

export interface DiagramNodeView extends LaidOutNode {
	status: NodeStatus;
	statusLabel: string;
	/** How many tasks this node has had in the process. */
	count: number;
	isActive: boolean;
	hasIncident: boolean;
	/** OR join: the names of the branches it still waits for (empty when not waiting). */
	waitingFor: string[];
	/** The latest task's id, when there is one. */
	latestTaskId?: string;
}

export interface DiagramEdgeView extends LaidOutEdge {
	/** A branch a waiting OR join still waits for (J4). */
	isWaiting: boolean;
	/** An arrival sits on this transition, not yet consumed by its join. */
	hasToken: boolean;
	title: string;
}

export interface DiagramStep {
	key: string;
	name: string;
	statusLabel: string;
	details: string[];
	latestTaskId?: string;
}

export interface DiagramView {
	width: number;
	height: number;
	title: string;
	summary: string;
	nodes: DiagramNodeView[];
	edges: DiagramEdgeView[];
	start: Point & { reached: boolean };
	end?: Point & { status: "idle" | "success" | "failure" | "revoked" };
	/** The diagram as text, in reading order (top to bottom, left to right). */
	steps: DiagramStep[];
	/** False for a workflow shown without a process (the start page). */
	hasProcess: boolean;
}

/** The parts of a process the diagram reads (a ProcessState satisfies it). */
export interface DiagramProcess {
	status: ProcessStatus;
	tasks: readonly Pick<TaskState, "id" | "node" | "status" | "awaitingInput" | "incident">[];
	arrivals: readonly { transition: number }[];
}

/** Combines the layout of `def` with the state of a process (or none: the bare workflow). */
export function diagramView(
	def: WorkflowDefinition,
	layout: DiagramLayout,
	process?: DiagramProcess,
	waiting: Record<string, string[]> = {},
): DiagramView {
	const names = new Map(def.nodes.map((n) => [n.key, n.name ?? n.key]));
	const nameOf = (key: string) => names.get(key) ?? key;
	const latest = new Map<string, DiagramProcess["tasks"][number]>();
	const counts = new Map<string, number>();
	for (const task of process?.tasks ?? []) {
		latest.set(task.node, task);
		counts.set(task.node, (counts.get(task.node) ?? 0) + 1);
	}
	const tokens = new Set((process?.arrivals ?? []).map((a) => a.transition));

	const nodes: DiagramNodeView[] = layout.nodes.map((node) => {
		const task = latest.get(node.key);
		const status = task ? statusOf(task) : "idle";
		const view: DiagramNodeView = {
			...node,
			status,
			statusLabel: NODE_STATUS_LABELS[status],
			count: counts.get(node.key) ?? 0,
			isActive:
				status === "queued" || status === "waiting" || status === "running" || status === "retry",
			hasIncident: task?.incident !== undefined,
			waitingFor: (waiting[node.key] ?? []).map(nameOf),
		};
		if (task) view.latestTaskId = task.id;
		return view;
	});

	const edges: DiagramEdgeView[] = layout.edges.map((edge) => {
		const isWaiting = edge.index >= 0 && (waiting[edge.to] ?? []).includes(edge.from);
		const from = edge.from ? nameOf(edge.from) : "Start";
		const to = edge.to ? nameOf(edge.to) : "End";
		const condition = edge.label ? ` when ${edge.label.full}` : "";
		return {
			...edge,
			isWaiting,
			hasToken: edge.index >= 0 && tokens.has(edge.index),
			title: `${from} → ${to}${condition}${isWaiting ? " (the join waits for this branch)" : ""}`,
		};
	});

	const view: DiagramView = {
		width: layout.width,
		height: layout.height,
		title: `Diagram of ${def.name}`,
		summary: summarize(def, nodes, process),
		nodes,
		edges,
		start: { ...layout.start, reached: process !== undefined && process.status !== "PENDING" },
		steps: stepsOf(def, nodes, edges, nameOf),
		hasProcess: process !== undefined,
	};
	if (layout.end) view.end = { ...layout.end, status: endStatus(process?.status) };
	return view;
}

function statusOf(task: DiagramProcess["tasks"][number]): NodeStatus {
	const byStatus: Record<TaskStatus, NodeStatus> = {
		PENDING: task.awaitingInput ? "waiting" : "queued",
		STARTED: "running",
		RETRY: "retry",
		SUCCESS: "success",
		FAILURE: "failure",
		REVOKED: "revoked",
	};
	return byStatus[task.status];
}

function endStatus(status: ProcessStatus | undefined): "idle" | "success" | "failure" | "revoked" {
	if (status === "SUCCESS") return "success";
	if (status === "FAILURE") return "failure";
	if (status === "REVOKED") return "revoked";
	return "idle";
}

function summarize(
	def: WorkflowDefinition,
	nodes: DiagramNodeView[],
	process: DiagramProcess | undefined,
): string {
	const steps = `${nodes.length} step${nodes.length === 1 ? "" : "s"}`;
	if (!process)
		return `${def.name}: ${steps}, from the start event at the top to the end event at the bottom.`;
	const tally = new Map<string, number>();
	for (const n of nodes)
		if (n.status !== "idle") tally.set(n.statusLabel, (tally.get(n.statusLabel) ?? 0) + 1);
	const parts = [...tally].map(([label, n]) => `${n} ${label.toLowerCase()}`);
	return `${def.name}: ${steps}. ${parts.length > 0 ? `${parts.join(", ")}.` : "Nothing has run yet."}`;
}

/** The steps in reading order, each with its state and where it leads. */
function stepsOf(
	def: WorkflowDefinition,
	nodes: DiagramNodeView[],
	edges: DiagramEdgeView[],
	nameOf: (key: string) => string,
): DiagramStep[] {
	const ordered = [...nodes].sort((a, b) => a.y - b.y || a.x - b.x);
	return ordered.map((node) => {
		const details: string[] = [];
		if (node.isStart) details.push("start step");
		if (node.isEnd) details.push("end step");
		if (node.isInline) details.push("runs inline");
		if (node.count > 1) details.push(`ran ${node.count} times`);
		if (node.hasIncident) details.push("has an open incident");
		if (node.join) details.push(`${node.join.toUpperCase()} join`);
		if (node.split) details.push(`${node.split.toUpperCase()} split`);
		if (node.waitingFor.length > 0) details.push(`waits for ${listOf(node.waitingFor)}`);
		const next = edges
			.filter((e) => e.index >= 0 && e.from === node.key)
			.map((e) => {
				const t = def.transitions[e.index];
				const when = e.label ? ` when ${e.label.full}` : "";
				const back = e.kind === "forward" ? "" : " (back)";
				return `${nameOf(t?.to ?? e.to)}${back}${when}`;
			});
		if (next.length > 0) details.push(`then ${listOf(next)}`);
		const step: DiagramStep = {
			key: node.key,
			name: node.name,
			statusLabel: node.statusLabel,
			details,
		};
		if (node.latestTaskId) step.latestTaskId = node.latestTaskId;
		return step;
	});
}

function listOf(items: string[]): string {
	if (items.length <= 1) return items.join("");
	return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
