// What changed between two definitions (two versions, or a version and the draft), in words an
// admin reads: workflow fields and params, roles, nodes by key, transitions by their (from, to)
// pair (D1 allows one per ordered pair) and a change of their order, which XOR splits depend on (R2).
import type { NodeDefinition, TransitionDefinition, WorkflowDefinition } from "../engine/index.ts";

/** One field that differs; values are shown as text (JSON for objects), absent when unset. */
export interface FieldChange {
	field: string;
	before?: string;
	after?: string;
}

export interface NodeChange {
	key: string;
	name: string;
	changes: FieldChange[];
}

export interface TransitionChange {
	from: string;
	to: string;
	changes: FieldChange[];
}

export interface DefinitionDiff {
	workflow: FieldChange[];
	nodes: { added: NodeDefinition[]; removed: NodeDefinition[]; changed: NodeChange[] };
	transitions: {
		added: TransitionDefinition[];
		removed: TransitionDefinition[];
		changed: TransitionChange[];
		/** The transitions both sides share are listed in another order. */
		reordered: boolean;
	};
	isEmpty: boolean;
}

const NODE_FIELDS = [
	"name",
	"description",
	"role",
	"task",
	"start",
	"end",
	"join",
	"split",
	"priority",
] as const;

/** The changes that turn `before` into `after`. */
export function diffDefinitions(
	before: WorkflowDefinition,
	after: WorkflowDefinition,
): DefinitionDiff {
	const workflow: FieldChange[] = [];
	for (const field of ["name", "description", "priority", "stepBudget"] as const) {
		change(workflow, field, before[field], after[field]);
	}
	diffRecord(workflow, "params", before.params, after.params);
	const roleText = (def: WorkflowDefinition) =>
		Object.fromEntries((def.roles ?? []).map((r) => [r.key, r.name ?? r.key]));
	diffRecord(workflow, "roles", roleText(before), roleText(after));

	const beforeNodes = new Map(before.nodes.map((n) => [n.key, n]));
	const afterNodes = new Map(after.nodes.map((n) => [n.key, n]));
	const changedNodes: NodeChange[] = [];
	for (const node of after.nodes) {
		const old = beforeNodes.get(node.key);
		if (!old) continue;
		const changes: FieldChange[] = [];
		for (const field of NODE_FIELDS)
			change(changes, field, normalized(old, field), normalized(node, field));
		diffRecord(changes, "params", old.params, node.params);
		if (changes.length > 0)
			changedNodes.push({ key: node.key, name: node.name ?? node.key, changes });
	}

	const pair = (t: TransitionDefinition) => `${t.from}\u0000${t.to}`;
	const beforeTransitions = new Map(before.transitions.map((t) => [pair(t), t]));
	const afterTransitions = new Map(after.transitions.map((t) => [pair(t), t]));
	const changedTransitions: TransitionChange[] = [];
	for (const t of after.transitions) {
		const old = beforeTransitions.get(pair(t));
		if (!old) continue;
		const changes: FieldChange[] = [];
		change(changes, "condition", old.condition, t.condition);
		change(changes, "on", old.on ?? "success", t.on ?? "success");
		if (changes.length > 0) changedTransitions.push({ from: t.from, to: t.to, changes });
	}
	const shared = (list: TransitionDefinition[], other: Map<string, unknown>) =>
		list.map(pair).filter((p) => other.has(p));
	const reordered =
		shared(before.transitions, afterTransitions).join("\u0001") !==
		shared(after.transitions, beforeTransitions).join("\u0001");

	const diff: DefinitionDiff = {
		workflow,
		nodes: {
			added: after.nodes.filter((n) => !beforeNodes.has(n.key)),
			removed: before.nodes.filter((n) => !afterNodes.has(n.key)),
			changed: changedNodes,
		},
		transitions: {
			added: after.transitions.filter((t) => !beforeTransitions.has(pair(t))),
			removed: before.transitions.filter((t) => !afterTransitions.has(pair(t))),
			changed: changedTransitions,
			reordered,
		},
		isEmpty: false,
	};
	diff.isEmpty =
		workflow.length === 0 &&
		diff.nodes.added.length + diff.nodes.removed.length + changedNodes.length === 0 &&
		diff.transitions.added.length + diff.transitions.removed.length === 0 &&
		changedTransitions.length === 0 &&
		!reordered;
	return diff;
}

/** A value as the diff shows it: text as is, anything else as compact JSON. */
export function showValue(value: unknown): string | undefined {
	if (value === undefined) return undefined;
	return typeof value === "string" ? value : JSON.stringify(value);
}

/** Node fields with their defaults spelled out, so `join` absent and `join: "and"` are equal (D1). */
function normalized(node: NodeDefinition, field: (typeof NODE_FIELDS)[number]): unknown {
	if (field === "join" || field === "split") return node[field] ?? "and";
	if (field === "start" || field === "end") return node[field] === true;
	return node[field];
}

function change(out: FieldChange[], field: string, before: unknown, after: unknown): void {
	const a = showValue(before);
	const b = showValue(after);
	if (a === b) return;
	const entry: FieldChange = { field };
	if (a !== undefined) entry.before = a;
	if (b !== undefined) entry.after = b;
	out.push(entry);
}

/** One change per key of two records (params, roles), named `prefix.key`. */
function diffRecord(
	out: FieldChange[],
	prefix: string,
	before: Record<string, unknown> | undefined,
	after: Record<string, unknown> | undefined,
): void {
	const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
	for (const key of keys) change(out, `${prefix}.${key}`, before?.[key], after?.[key]);
}
