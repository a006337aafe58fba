// The editor's operations on a draft definition: add, change, remove and reorder nodes and
// transitions, and the workflow settings. Pure: each returns a new definition and never validates
// the graph (compileWorkflow does that, D2); it only refuses what would make the draft uneditable.
import type { NodeDefinition, TransitionDefinition, WorkflowDefinition } from "../engine/index.ts";

/** An edit the editor cannot apply; `field` names the form field to show the message next to. */
export class DraftEditError extends Error {
	readonly field: string;
	constructor(field: string, message: string) {
		super(message);
		this.name = "DraftEditError";
		this.field = field;
	}
}

export type WorkflowSettings = Pick<
	WorkflowDefinition,
	"name" | "description" | "params" | "startForm" | "priority" | "stepBudget" | "roles"
>;

/** Replaces the workflow-level fields; absent optional ones are removed. */
export function setSettings(
	def: WorkflowDefinition,
	settings: WorkflowSettings,
): WorkflowDefinition {
	const next: WorkflowDefinition = {
		key: def.key,
		name: settings.name,
		nodes: def.nodes,
		transitions: def.transitions,
	};
	if (settings.description) next.description = settings.description;
	if (settings.params && Object.keys(settings.params).length > 0) next.params = settings.params;
	if (settings.startForm && Object.keys(settings.startForm).length > 0)
		next.startForm = settings.startForm;
	if (settings.priority !== undefined) next.priority = settings.priority;
	if (settings.stepBudget !== undefined) next.stepBudget = settings.stepBudget;
	if (settings.roles && settings.roles.length > 0) next.roles = settings.roles;
	return next;
}

/** Appends a node; its key must be new in the draft (D1), since the editor addresses nodes by key. */
export function addNode(def: WorkflowDefinition, node: NodeDefinition): WorkflowDefinition {
	if (def.nodes.some((n) => n.key === node.key)) {
		throw new DraftEditError("key", `There is already a node "${node.key}".`);
	}
	return { ...def, nodes: [...def.nodes, clean(node)] };
}

/**
 * Replaces the node `key` in place. A new key renames the node, and every transition from or to it
 * follows, so a rename never breaks the graph.
 */
export function updateNode(
	def: WorkflowDefinition,
	key: string,
	node: NodeDefinition,
): WorkflowDefinition {
	const index = indexOfNode(def, key);
	if (node.key !== key && def.nodes.some((n) => n.key === node.key)) {
		throw new DraftEditError("key", `There is already a node "${node.key}".`);
	}
	const nodes = def.nodes.map((n, i) => (i === index ? clean(node) : n));
	const rename = (k: string) => (k === key ? node.key : k);
	const transitions =
		node.key === key
			? def.transitions
			: def.transitions.map((t) => ({ ...t, from: rename(t.from), to: rename(t.to) }));
	return { ...def, nodes, transitions };
}

/** Removes the node and every transition from or to it. */
export function removeNode(def: WorkflowDefinition, key: string): WorkflowDefinition {
	indexOfNode(def, key);
	return {
		...def,
		nodes: def.nodes.filter((n) => n.key !== key),
		transitions: def.transitions.filter((t) => t.from !== key && t.to !== key),
	};
}

/** Appends a transition. Order matters for XOR splits (R2), so new ones go last. */
export function addTransition(
	def: WorkflowDefinition,
	transition: TransitionDefinition,
): WorkflowDefinition {
	return { ...def, transitions: [...def.transitions, clean(transition)] };
}

export function updateTransition(
	def: WorkflowDefinition,
	index: number,
	transition: TransitionDefinition,
): WorkflowDefinition {
	checkTransitionIndex(def, index);
	return {
		...def,
		transitions: def.transitions.map((t, i) => (i === index ? clean(transition) : t)),
	};
}

export function removeTransition(def: WorkflowDefinition, index: number): WorkflowDefinition {
	checkTransitionIndex(def, index);
	return { ...def, transitions: def.transitions.filter((_, i) => i !== index) };
}

/**
 * Moves a transition one place earlier (-1) or later (+1) in definition order, which decides the
 * XOR split's first candidate (R2) and the alternative way (R3). At either end nothing moves.
 */
export function moveTransition(
	def: WorkflowDefinition,
	index: number,
	by: -1 | 1,
): WorkflowDefinition {
	checkTransitionIndex(def, index);
	const target = index + by;
	if (target < 0 || target >= def.transitions.length) return def;
	const transitions = [...def.transitions];
	const moved = transitions[index] as TransitionDefinition;
	transitions[index] = transitions[target] as TransitionDefinition;
	transitions[target] = moved;
	return { ...def, transitions };
}

function indexOfNode(def: WorkflowDefinition, key: string): number {
	const index = def.nodes.findIndex((n) => n.key === key);
	if (index < 0) throw new DraftEditError("key", `There is no node "${key}" in this draft.`);
	return index;
}

function checkTransitionIndex(def: WorkflowDefinition, index: number): void {
	if (!Number.isInteger(index) || index < 0 || index >= def.transitions.length) {
		throw new DraftEditError("from", `There is no transition number ${index + 1} in this draft.`);
	}
}

/**
 * Drops what only restates a default (undefined, empty text, unset flags, empty params, `on:
 * "success"`), so the JSON stays as a person would write it. A `false` condition is a literal, kept.
 */
function clean<T extends object>(value: T): T {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(value)) {
		if (v === undefined || v === "") continue;
		if (v === false && (k === "start" || k === "end")) continue;
		if (k === "on" && v === "success") continue;
		if (k === "params" && typeof v === "object" && v !== null && Object.keys(v).length === 0) {
			continue;
		}
		out[k] = v;
	}
	return out as T;
}
