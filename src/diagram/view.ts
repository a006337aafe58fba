// What a diagram shows of a process: each node coloured by the state of its latest task, active
// nodes highlighted, a count on nodes run more than once, the branches a waiting OR join still
// waits for, arrivals waiting on transitions; boundary events listening or fired, running timers
// counting down, waits for messages, overdue tasks and multi-instance progress; and the same facts
// as text for screen readers. Times are worded against the request's `now`: without one (a bare
// workflow) nothing is said about time.
import {
	allNodes,
	isActiveTaskStatus,
	type ProcessStatus,
	type TaskState,
	type TaskStatus,
	type WorkflowDefinition,
} from "../engine/index.ts";
import { type DateWords, dueWords, firesWords } from "../http/view-models/time-words.ts";
import type {
	BoundaryKind,
	DiagramLayout,
	LaidOutBoundary,
	LaidOutEdge,
	LaidOutNode,
	Point,
} from "./layout.ts";

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

/** B1: a boundary event listens while its host is active, then fires or ends with it. */
export type BoundaryStatus = "idle" | "listening" | "fired" | "ended";

export const BOUNDARY_STATUS_LABELS: Record<BoundaryStatus, string> = {
	idle: "Not reached",
	listening: "Listening",
	fired: "Fired",
	ended: "Ended without firing",
};

export const BOUNDARY_KIND_LABELS: Record<BoundaryKind, string> = {
	timer: "Timer",
	message: "Message",
	error: "Error",
	other: "Event",
};

export interface DiagramNodeView extends LaidOutNode {
	status: NodeStatus;
	statusLabel: string;
	/** How many tasks this node has had in the process (a multi-instance node's instances aside). */
	count: number;
	isActive: boolean;
	hasIncident: boolean;
	/** OR join: the names of the branches it still waits for (empty when not waiting). */
	waitingFor: string[];
	/** The latest task's id, when there is one. */
	latestTaskId?: string;
	/** H1: an active task of the node is past its due date. */
	isOverdue: boolean;
	/** H1: the due date of its active task (the most overdue one), in words. */
	due?: DateWords;
	/** M1: the instances of its latest body that ended, and how many there are. */
	instances?: { done: number; total: number };
	/** What a running wait waits for: a timer's countdown, or the message it listens for. */
	wait?: WaitFor;
	/** On a heatmap (heat.ts): how long the node's tasks take, as a fill step and in words. */
	heat?: NodeHeat;
}

/** A node on a heatmap (heat.ts): how long its tasks take, as a fill step and in words. */
export interface NodeHeat {
	/** 0 (fastest) to HEAT_STEPS - 1 (heat.ts). */
	level: number;
	/** On the node: "p95 3 h 5 min". */
	text: string;
	/** The tooltip and the list: "p95 3 h 5 min, p50 40 min, over 12 tasks". */
	label: string;
}

export interface HeatScale {
	/** What the fill measures: "Running time", "Waiting for a person". */
	measure: string;
	/** One entry per step, with the range of p95 it covers, in words. */
	steps: { level: number; range: string }[];
}

/** What a wait waits for, in words: the whole text, and the date in it for a <time>. */
export interface WaitFor {
	/** "fires in 1 h 59 min (3 waiting)", "waits for message invoice-paid / key 42". */
	text: string;
	/** For a box's status line: "fires in 1 h 59 min", "invoice-paid / 42". */
	short: string;
	/** A timer's date; `text` is its words and then `more`. */
	date?: DateWords;
	/** After the date's words: how many more wait, " (3 waiting)". */
	more?: string;
}

export interface DiagramBoundaryView extends LaidOutBoundary {
	status: BoundaryStatus;
	statusLabel: string;
	hostName: string;
	/** The tooltip: what it is, on what, and where it stands. */
	title: string;
	/** While it listens, shown beside the circle: "fires in 1 h 59 min", "waits for message …". */
	wait?: WaitFor;
	/** How many times it fired in this process. */
	fired: number;
}

export interface DiagramEdgeView extends LaidOutEdge {
	/** A branch a waiting OR join still waits for (J4). */
	isWaiting: boolean;
	/** An arrival sits on this transition, not yet consumed by its join. */
	hasToken: boolean;
	title: string;
}

/** Something the process waits for now, in words under the picture (a date in a <time>). */
export interface DiagramWait {
	kind: "timer" | "message" | "overdue" | "due";
	/** Who waits: "Reminder on Approve", "Approve". */
	subject: string;
	/** "fires in 1 h 59 min", "overdue by 2 days", "waits for message invoice-paid / key 42". */
	wait: WaitFor;
}

export interface DiagramStep {
	key: string;
	name: string;
	statusLabel: string;
	details: string[];
	latestTaskId?: string;
	/** C1: a scope's inner steps. */
	children?: DiagramStep[];
}

export interface DiagramView {
	width: number;
	height: number;
	title: string;
	summary: string;
	nodes: DiagramNodeView[];
	edges: DiagramEdgeView[];
	boundaries: DiagramBoundaryView[];
	/** Absent, like end, where the author's drawing has start nodes that are events themselves. */
	start?: Point & { reached: boolean };
	end?: Point & { status: "idle" | "success" | "failure" | "revoked" };
	/** The diagram as text, in reading order (top to bottom, left to right). */
	steps: DiagramStep[];
	/** Timers, messages and due dates the process waits on now. */
	waits: DiagramWait[];
	/** What the legend explains beyond the basics: only what this diagram draws. */
	features: {
		boundaries: BoundaryKind[];
		nonInterrupting: boolean;
		scope: boolean;
		multi: boolean;
		overdue: boolean;
	};
	/** False for a workflow shown without a process (the start page). */
	hasProcess: boolean;
	/** A heatmap's scale, when the nodes carry heat (heat.ts). */
	heatScale?: HeatScale;
}

type DiagramTask = Pick<
	TaskState,
	| "id"
	| "node"
	| "status"
	| "awaitingInput"
	| "incident"
	| "dueAt"
	| "timerDueAt"
	| "boundaryOf"
	| "instanceOf"
	| "multi"
	| "message"
>;

/** The parts of a process the diagram reads (a ProcessState satisfies it). */
export interface DiagramProcess {
	status: ProcessStatus;
	tasks: readonly DiagramTask[];
	arrivals: readonly { transition: number }[];
}

/**
 * Combines the layout of `def` with the state of a process (or none: the bare workflow). `now`, the
 * request's time, words countdowns and due dates.
 */
export function diagramView(
	def: WorkflowDefinition,
	layout: DiagramLayout,
	process?: DiagramProcess,
	waiting: Record<string, string[]> = {},
	now?: number,
): DiagramView {
	const names = new Map(allNodes(def).map((n) => [n.key, n.name ?? n.key]));
	const nameOf = (key: string) => names.get(key) ?? key;
	// An instance of a multi-instance node is not the node's state: its body is.
	const latest = new Map<string, DiagramTask>();
	const counts = new Map<string, number>();
	const byNode = new Map<string, DiagramTask[]>();
	for (const task of process?.tasks ?? []) {
		const list = byNode.get(task.node) ?? [];
		list.push(task);
		byNode.set(task.node, list);
		if (task.instanceOf !== undefined) continue;
		latest.set(task.node, task);
		counts.set(task.node, (counts.get(task.node) ?? 0) + 1);
	}
	const tokens = new Set((process?.arrivals ?? []).map((a) => a.transition));
	const isActive = (t: DiagramTask) => isActiveTaskStatus(t.status);

	const order = readingOrder(layout);
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
			isOverdue: false,
		};
		if (task) view.latestTaskId = task.id;
		if (task?.multi) {
			view.instances = { done: task.multi.completed, total: task.multi.items.length };
		}
		if (now !== undefined) {
			const active = (byNode.get(node.key) ?? []).filter(isActive);
			const dated = active.filter((t) => t.dueAt !== undefined);
			if (dated.length > 0) {
				// The earliest: the most overdue of a node's tasks, or the next to fall due.
				view.due = dueWords(Math.min(...dated.map((t) => t.dueAt as number)), now);
				view.isOverdue = view.due.isPast;
			}
			const waits = active.filter((t) => t.boundaryOf === undefined && t.status === "STARTED");
			const wait = waitOf(waits, now);
			if (wait) view.wait = wait;
		}
		return view;
	});

	const boundaries: DiagramBoundaryView[] = layout.boundaries.map((b) => {
		const listeners = byNode.get(b.key) ?? [];
		const last = listeners[listeners.length - 1];
		const listening = listeners.filter(isActive);
		const fired = listeners.filter((t) => t.status === "SUCCESS").length;
		const status: BoundaryStatus =
			listening.length > 0
				? "listening"
				: last?.status === "SUCCESS"
					? "fired"
					: last
						? "ended"
						: "idle";
		const hostName = nameOf(b.host);
		const view: DiagramBoundaryView = {
			...b,
			status,
			statusLabel: BOUNDARY_STATUS_LABELS[status],
			hostName,
			title: "",
			fired,
		};
		const wait = now === undefined ? undefined : waitOf(listening, now);
		if (wait) view.wait = wait;
		view.title = [
			`${b.name}: ${BOUNDARY_KIND_LABELS[b.kind].toLowerCase()} on ${hostName}`,
			b.interrupting ? `interrupts ${hostName}` : `does not interrupt ${hostName}`,
			process ? view.statusLabel : "",
			fired > 1 ? `fired ${fired} times` : "",
			wait?.text ?? "",
		]
			.filter(Boolean)
			.join(" · ");
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
		summary: summarize(def, nodes, process, layout.isAuthored === true),
		nodes,
		edges,
		boundaries,
		steps: stepsOf(nodes, boundaries, edges, nameOf, process !== undefined, order),
		waits: waitsOf(nodes, boundaries, order),
		features: {
			boundaries: (["timer", "message", "error", "other"] as const).filter((k) =>
				boundaries.some((b) => b.kind === k),
			),
			nonInterrupting: boundaries.some((b) => !b.interrupting),
			scope: nodes.some((n) => n.isScope),
			multi: nodes.some((n) => n.multi !== undefined),
			overdue: nodes.some((n) => n.isOverdue),
		},
		hasProcess: process !== undefined,
	};
	if (layout.start) {
		view.start = {
			...layout.start,
			reached: process !== undefined && process.status !== "PENDING",
		};
	}
	if (layout.end) view.end = { ...layout.end, status: endStatus(process?.status) };
	return view;
}

/**
 * What running waits wait for: the soonest timer's countdown, else the message; with how many
 * wait, when several do (a multi-instance node's instances each listen).
 */
function waitOf(waits: DiagramTask[], now: number): WaitFor | undefined {
	const more = (n: number) => (n > 1 ? ` (${n} waiting)` : "");
	const timers = waits.filter((t) => t.timerDueAt !== undefined);
	if (timers.length > 0) {
		const date = firesWords(Math.min(...timers.map((t) => t.timerDueAt as number)), now);
		const wait: WaitFor = { text: `${date.words}${more(timers.length)}`, short: date.words, date };
		if (timers.length > 1) wait.more = more(timers.length);
		return wait;
	}
	const messages = waits.filter((t) => t.message);
	const message = messages[0]?.message;
	if (!message) return undefined;
	const key = message.correlationKey ? ` / key ${message.correlationKey}` : "";
	return {
		text: `waits for message ${message.name}${key}${more(messages.length)}`,
		short: `${message.name}${message.correlationKey ? ` / ${message.correlationKey}` : ""}`,
	};
}

/** The waits in reading order: each node's due date and wait, then its boundaries listening. */
function waitsOf(
	nodes: DiagramNodeView[],
	boundaries: DiagramBoundaryView[],
	order: ReadingOrder,
): DiagramWait[] {
	const waits: DiagramWait[] = [];
	for (const node of [...nodes].sort(order)) {
		if (node.due) {
			const kind = node.isOverdue ? "overdue" : "due";
			const wait = { text: node.due.words, short: node.due.words, date: node.due };
			waits.push({ kind, subject: node.name, wait });
		}
		if (node.wait) {
			waits.push({
				kind: node.wait.date ? "timer" : "message",
				subject: node.name,
				wait: node.wait,
			});
		}
		for (const b of boundaries) {
			if (b.host !== node.key || !b.wait) continue;
			const kind = b.wait.date ? "timer" : "message";
			waits.push({ kind, subject: `${b.name} on ${b.hostName}`, wait: b.wait });
		}
	}
	return waits;
}

function statusOf(task: DiagramTask): NodeStatus {
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

type ReadingOrder = (a: Point, b: Point) => number;

/**
 * Top to bottom, then left to right; the author's drawing, which BPMN modelers lay out left to
 * right, reads left to right first.
 */
function readingOrder(layout: DiagramLayout): ReadingOrder {
	return layout.isAuthored ? (a, b) => a.x - b.x || a.y - b.y : (a, b) => a.y - b.y || a.x - b.x;
}

function summarize(
	def: WorkflowDefinition,
	nodes: DiagramNodeView[],
	process: DiagramProcess | undefined,
	isAuthored: boolean,
): string {
	const steps = `${nodes.length} step${nodes.length === 1 ? "" : "s"}`;
	if (!process && isAuthored) return `${def.name}: ${steps}, drawn as in its BPMN file.`;
	if (!process)
		return `${def.name}: ${steps}, from the start event at the top to the end event at the bottom.`;
	const tally = new Map<string, number>();
	for (const n of nodes)
		if (n.status !== "idle") tally.set(n.statusLabel, (tally.get(n.statusLabel) ?? 0) + 1);
	const parts = [...tally].map(([label, n]) => `${n} ${label.toLowerCase()}`);
	const overdue = nodes.filter((n) => n.isOverdue).length;
	if (overdue > 0) parts.push(`${overdue} overdue`);
	return `${def.name}: ${steps}. ${parts.length > 0 ? `${parts.join(", ")}.` : "Nothing has run yet."}`;
}

/** The steps in reading order, each with its state and where it leads; a scope's inside nested. */
function stepsOf(
	nodes: DiagramNodeView[],
	boundaries: DiagramBoundaryView[],
	edges: DiagramEdgeView[],
	nameOf: (key: string) => string,
	hasProcess: boolean,
	order: ReadingOrder,
): DiagramStep[] {
	const next = (key: string) => {
		const targets = edges
			.filter((e) => e.index >= 0 && e.from === key)
			.map((e) => {
				const when = e.label ? ` when ${e.label.full}` : "";
				const back = e.kind === "forward" ? "" : " (back)";
				return `${nameOf(e.to)}${back}${when}`;
			});
		return targets.length > 0 ? [`then ${listOf(targets)}`] : [];
	};
	const boundaryStep = (b: DiagramBoundaryView): DiagramStep => ({
		key: b.key,
		name: b.name,
		statusLabel: b.statusLabel,
		details: [
			`${BOUNDARY_KIND_LABELS[b.kind].toLowerCase()} boundary event on ${b.hostName}`,
			b.interrupting ? `interrupts ${b.hostName}` : `does not interrupt ${b.hostName}`,
			...(b.wait ? [b.wait.text] : []),
			...(hasProcess && b.fired > 1 ? [`fired ${b.fired} times`] : []),
			...next(b.key),
		],
	});
	const level = (scope: string | undefined): DiagramStep[] => {
		const ordered = nodes.filter((n) => n.scope === scope).sort(order);
		return ordered.flatMap((node) => {
			const details: string[] = [];
			if (node.isStart) details.push("start step");
			if (node.isEnd) details.push("end step");
			if (node.isScope) details.push("a group of steps, listed inside it");
			if (node.isInline) details.push("runs inline");
			if (node.multi) {
				details.push(
					node.multi === "parallel"
						? "runs once per item, all at once"
						: "runs once per item, one after another",
				);
			}
			if (node.instances) details.push(`${node.instances.done} of ${node.instances.total} done`);
			if (node.count > 1) details.push(`ran ${node.count} times`);
			if (node.hasIncident) details.push("has an open incident");
			if (node.due) details.push(node.due.words);
			if (node.wait) details.push(node.wait.text);
			if (node.join) details.push(`${node.join.toUpperCase()} join`);
			if (node.split) {
				details.push(
					node.split === "event"
						? "event-based split: the first of its waits to happen wins"
						: `${node.split.toUpperCase()} split`,
				);
			}
			if (node.waitingFor.length > 0) details.push(`waits for ${listOf(node.waitingFor)}`);
			details.push(...next(node.key));
			const step: DiagramStep = {
				key: node.key,
				name: node.name,
				statusLabel: node.statusLabel,
				details,
			};
			if (node.latestTaskId) step.latestTaskId = node.latestTaskId;
			if (node.isScope) step.children = level(node.key);
			return [step, ...boundaries.filter((b) => b.host === node.key).map(boundaryStep)];
		});
	};
	return level(undefined);
}

function listOf(items: string[]): string {
	if (items.length <= 1) return items.join("");
	return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
