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

/** The workflow-level fields the settings form shows. */
const SETTINGS_FIELDS = [
	"name",
	"description",
	"params",
	"startForm",
	"schedules",
	"priority",
	"stepBudget",
	"roles",
] as const;

export type WorkflowSettings = Pick<WorkflowDefinition, (typeof SETTINGS_FIELDS)[number]>;

export type NodeField = keyof NodeDefinition;

/** A node as a form read it, with the fields that form answers for (see updateNode). */
export interface NodeEdit {
	node: NodeDefinition;
	replaces: readonly NodeField[];
}

/**
 * Replaces the workflow-level fields the settings form shows; absent optional ones are removed.
 * Any other workflow-level field is kept: the form must not drop what it does not show.
 */
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
	if (settings.schedules && settings.schedules.length > 0) next.schedules = settings.schedules;
	if (settings.priority !== undefined) next.priority = settings.priority;
	if (settings.stepBudget !== undefined) next.stepBudget = settings.stepBudget;
	if (settings.roles && settings.roles.length > 0) next.roles = settings.roles;
	const shown = new Set<string>(SETTINGS_FIELDS);
	const kept = Object.entries(def).filter(([field]) => !shown.has(field) && !(field in next));
	return { ...next, ...Object.fromEntries(kept) };
}

/** Appends a node; its key must be new in the draft (D1), since the editor addresses nodes by key. */
export function addNode(def: WorkflowDefinition, node: NodeDefinition): WorkflowDefinition {
	if (def.nodes.some((n) => n.key === node.key)) {
		throw new DraftEditError("key", `There is already a node "${node.key}".`);
	}
	return { ...def, nodes: [...def.nodes, clean(node)] };
}

/**
 * Changes the node `key` in place: the fields `edit.replaces` names take the edited node's values
 * (absent ones are removed), and every other field of the node is kept, so a form that shows part
 * of a node (not a scope's inner graph, not a field added after it was written) never drops the
 * rest. A new key renames the node, and the transitions from or to it and the boundary events
 * attached to it follow, so a rename never breaks the graph.
 */
export function updateNode(
	def: WorkflowDefinition,
	key: string,
	edit: NodeEdit,
): WorkflowDefinition {
	const index = indexOfNode(def, key);
	const { node, replaces } = edit;
	if (node.key !== key && def.nodes.some((n) => n.key === node.key)) {
		throw new DraftEditError("key", `There is already a node "${node.key}".`);
	}
	const merged = mergeNode(def.nodes[index] as NodeDefinition, node, new Set(replaces));
	if (node.key === key) {
		return { ...def, nodes: def.nodes.map((n, i) => (i === index ? clean(merged) : n)) };
	}
	const rename = (k: string) => (k === key ? node.key : k);
	const nodes = def.nodes.map((n, i) => {
		if (i === index) return clean(merged);
		return n.attachedTo === key ? { ...n, attachedTo: node.key } : n;
	});
	const transitions = def.transitions.map((t) => ({
		...t,
		from: rename(t.from),
		to: rename(t.to),
	}));
	return withLayout(
		{ ...def, nodes, transitions },
		def.layout && boxRenamed(def.layout, key, node.key),
	);
}

/**
 * The node as edited: the previous fields in their order (replaced ones with their new value, or
 * gone), then the new ones, so the JSON of a saved node reads as before.
 */
function mergeNode(
	previous: NodeDefinition,
	edited: NodeDefinition,
	replaces: ReadonlySet<string>,
): NodeDefinition {
	const next: Record<string, unknown> = {};
	const values: Record<string, unknown> = { ...edited };
	for (const [field, value] of Object.entries(previous)) {
		if (!replaces.has(field)) next[field] = value;
		else if (values[field] !== undefined) next[field] = values[field];
	}
	for (const [field, value] of Object.entries(values)) if (!(field in next)) next[field] = value;
	return next as unknown as NodeDefinition;
}

/**
 * Removes the node and every transition from or to it. A node that still has boundary events is
 * refused: deleting them along with it would take away their paths unasked, and leaving them
 * would attach them to nothing. The message names them, to delete or attach elsewhere first.
 */
export function removeNode(def: WorkflowDefinition, key: string): WorkflowDefinition {
	indexOfNode(def, key);
	const boundaries = def.nodes.filter((n) => n.attachedTo === key).map((n) => `"${n.key}"`);
	if (boundaries.length > 0) {
		const list = boundaries.join(", ");
		throw new DraftEditError(
			"key",
			`The node "${key}" has boundary event${boundaries.length === 1 ? "" : "s"} ${list}: delete ${boundaries.length === 1 ? "it" : "them"} or attach ${boundaries.length === 1 ? "it" : "them"} to another node first.`,
		);
	}
	const gone = new Set(
		def.transitions.flatMap((t, i) => (t.from === key || t.to === key ? [i] : [])),
	);
	const next = {
		...def,
		nodes: def.nodes.filter((n) => n.key !== key),
		transitions: def.transitions.filter((_, i) => !gone.has(i)),
	};
	const shifted = (i: number) => {
		if (gone.has(i)) return undefined;
		return i - [...gone].filter((g) => g < i).length;
	};
	return withLayout(next, def.layout && waypointsMoved(boxRenamed(def.layout, key), shifted));
}

/** Appends a transition. Order matters for XOR splits (R2), so new ones go last. */
export function addTransition(
	def: WorkflowDefinition,
	transition: TransitionDefinition,
): WorkflowDefinition {
	const added = def.transitions.length;
	// The new one goes last of the top level's, before the scopes' in allTransitions order.
	const shifted = (i: number) => (i < added ? i : i + 1);
	return withLayout(
		{ ...def, transitions: [...def.transitions, clean(transition)] },
		def.layout && waypointsMoved(def.layout, shifted),
	);
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
	const shifted = (i: number) => (i === index ? undefined : i > index ? i - 1 : i);
	return withLayout(
		{ ...def, transitions: def.transitions.filter((_, i) => i !== index) },
		def.layout && waypointsMoved(def.layout, shifted),
	);
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
	const swapped = (i: number) => (i === index ? target : i === target ? index : i);
	return withLayout({ ...def, transitions }, def.layout && waypointsMoved(def.layout, swapped));
}

type Layout = NonNullable<WorkflowDefinition["layout"]>;

/**
 * The author's drawing (the definition's `layout`, from a BPMN file) follows the edits: a renamed
 * node keeps its box, and a transition its waypoints when others are added, removed or moved
 * before it. Waypoints are kept by index in allTransitions order, the top level's first.
 */
function withLayout(def: WorkflowDefinition, layout: Layout | undefined): WorkflowDefinition {
	return layout ? { ...def, layout } : def;
}

/** The box of `from` under the key `to`, or gone when there is no `to`. */
function boxRenamed(layout: Layout, from: string, to?: string): Layout {
	const { [from]: box, ...nodes } = layout.nodes;
	return { ...layout, nodes: box && to !== undefined ? { ...nodes, [to]: box } : nodes };
}

/** Each transition's waypoints under its new index (`moved`), or gone with it. */
function waypointsMoved(layout: Layout, moved: (index: number) => number | undefined): Layout {
	if (!layout.transitions) return layout;
	const transitions: NonNullable<Layout["transitions"]> = {};
	for (const [index, points] of Object.entries(layout.transitions)) {
		const next = moved(Number(index));
		if (next !== undefined) transitions[String(next)] = points;
	}
	return { ...layout, transitions };
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
