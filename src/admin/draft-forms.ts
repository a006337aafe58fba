// The editor's forms read back into definition parts: a node, a transition, the workflow settings.
// Each returns the part or per-field messages; what is wrong with the *graph* (an undeclared role,
// an unknown node, a condition that cannot match) is left to compileWorkflow's report (D2).
import {
	type Condition,
	expressionSyntaxError,
	isExpression,
	type JoinKind,
	type MultiInstanceDefinition,
	type NodeDefinition,
	parseDuration,
	type RoleDefinition,
	type SplitKind,
	type TaskCatalog,
	type TransitionDefinition,
} from "../engine/index.ts";
import type { NodeEdit, NodeField, WorkflowSettings } from "./draft-edit.ts";
import { isPlainObject, parseJson, readParams } from "./node-params.ts";

/** A posted form with only its text fields (the last value of a repeated name wins). */
export type Posted = Record<string, string | undefined>;

export type FormRead<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

export const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const KEY_RULE = "a letter, then letters, digits, _ . - (64 at most)";
const JOINS: readonly JoinKind[] = ["and", "xor", "or"];
const SPLITS: readonly SplitKind[] = ["and", "xor", "event"];
/** M1: the param holding each instance's item, as the definition schema allows it. */
const ITEM_PARAM = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The node fields the node form always shows, so saving it replaces them (a field left empty is
 * removed). A scope's inner graph is shown only with the scope's fields; every other field of a
 * node is kept as it is (see updateNode).
 */
export const NODE_FORM_FIELDS: readonly NodeField[] = [
	"key",
	"name",
	"description",
	"role",
	"task",
	"params",
	"start",
	"end",
	"inline",
	"join",
	"split",
	"priority",
	"editable",
	"attachedTo",
	"interrupting",
	"due",
	"followUp",
	"multiInstance",
];

/** Text fields of a parsed body (hono's parseBody), trimmed of nothing: files and lists are skipped. */
export function postedText(body: Record<string, unknown>): Posted {
	const out: Posted = {};
	for (const [name, value] of Object.entries(body)) {
		const last = Array.isArray(value) ? value[value.length - 1] : value;
		if (typeof last === "string") out[name] = last;
	}
	return out;
}

const text = (posted: Posted, name: string) => (posted[name] ?? "").trim();
const isChecked = (posted: Posted, name: string) => {
	const v = posted[name];
	return v === "true" || v === "on" || v === "1";
};

/**
 * A node from the node form; its params are read with the fields of the type they were shown for.
 * With it, the fields the form answers for: a scope's inner graph only when the scope's fields
 * were shown (without JavaScript, a changed task type shows its fields after the next save).
 */
export function readNodeForm(posted: Posted, catalog: TaskCatalog): FormRead<NodeEdit> {
	const errors: Record<string, string> = {};
	const key = text(posted, "key");
	if (!KEY_PATTERN.test(key))
		errors.key = key === "" ? "Give the node a key." : `A key is ${KEY_RULE}.`;
	const name = text(posted, "name");
	if (name.length > 100) errors.name = "Use at most 100 characters.";
	const description = text(posted, "description");
	if (description.length > 2000) errors.description = "Use at most 2,000 characters.";
	const role = text(posted, "role");
	if (role !== "" && !KEY_PATTERN.test(role)) errors.role = `A role key is ${KEY_RULE}.`;
	const task = text(posted, "task");
	if (task === "" || task.length > 100) errors.task = "Choose a task type.";
	const join = text(posted, "join") || "and";
	if (!JOINS.includes(join as JoinKind)) errors.join = "Choose AND, XOR or OR.";
	const split = text(posted, "split") || "and";
	if (!SPLITS.includes(split as SplitKind)) errors.split = "Choose AND, XOR or event-based.";
	const priority = readInteger(
		posted,
		"priority",
		0,
		9,
		errors,
		"Priority is 0 (highest) to 9 (lowest).",
	);

	const editable = text(posted, "editable")
		.split(/[\s,]+/)
		.filter((name) => name !== "");
	if (editable.some((name) => !/^[A-Za-z][A-Za-z0-9_.-]{0,127}$/.test(name)))
		errors.editable = "List param names, separated by commas.";
	const shownFor = text(posted, "params_type") || task;
	const params = readParams(catalog.get(shownFor), posted);
	Object.assign(errors, params.errors);

	const attachedTo = text(posted, "attachedTo");
	if (attachedTo !== "" && !KEY_PATTERN.test(attachedTo))
		errors.attachedTo = "Choose one of the draft's nodes.";
	else if (attachedTo !== "" && attachedTo === key)
		errors.attachedTo = "A node cannot be a boundary event of itself.";
	// A hidden "false" comes before the checkbox, so an unchecked box reads "false" and a post
	// without the field (an older page, a script) keeps the default: interrupting.
	const interrupting = text(posted, "interrupting") !== "false";
	const due = readDate(posted, "due", errors);
	const followUp = readDate(posted, "followUp", errors);
	const multiInstance = readMultiInstance(posted, errors);
	const graphShown = shownFor === "scope";
	const graph = graphShown ? readInnerGraph(text(posted, "innerGraph"), errors) : undefined;
	if (Object.keys(errors).length > 0) return { ok: false, errors };

	const node: NodeDefinition = { key, task };
	if (name) node.name = name;
	if (description) node.description = description;
	if (role) node.role = role;
	if (isChecked(posted, "start")) node.start = true;
	if (isChecked(posted, "end")) node.end = true;
	if (isChecked(posted, "inline")) node.inline = true;
	if (join !== "and") node.join = join as JoinKind;
	if (split !== "and") node.split = split as SplitKind;
	if (priority !== undefined) node.priority = priority;
	if (Object.keys(params.params).length > 0) node.params = params.params;
	if (editable.length > 0) node.editable = [...new Set(editable)];
	if (attachedTo) {
		node.attachedTo = attachedTo;
		if (!interrupting) node.interrupting = false;
	}
	if (due) node.due = due;
	if (followUp) node.followUp = followUp;
	if (multiInstance) node.multiInstance = multiInstance;
	if (graph) {
		node.nodes = graph.nodes;
		node.transitions = graph.transitions;
	}
	const replaces: NodeField[] = [...NODE_FORM_FIELDS];
	if (graphShown) replaces.push("nodes", "transitions");
	return { ok: true, value: { node, replaces } };
}

/** H1: a due or follow-up date: a duration from the task's creation, or FEEL. */
function readDate(
	posted: Posted,
	name: "due" | "followUp",
	errors: Record<string, string>,
): string | undefined {
	const value = text(posted, name);
	if (value === "") return undefined;
	if (value.length > 1000) errors[name] = "Use at most 1,000 characters.";
	else if (isExpression(value)) {
		const problem = expressionSyntaxError(value);
		if (problem) errors[name] = `${capitalized(problem)}.`;
	} else if (parseDuration(value) === null) {
		errors[name] =
			'Write a duration from when the task is created ("P2D", "4h", "PT30M") or "= FEEL" giving a date or a duration.';
	}
	return value;
}

/** M1: the multi-instance fields; all empty means the node runs once. */
function readMultiInstance(
	posted: Posted,
	errors: Record<string, string>,
): MultiInstanceDefinition | undefined {
	const items = text(posted, "multiItems");
	const as = text(posted, "multiAs");
	const sequential = isChecked(posted, "multiSequential");
	const completion = text(posted, "multiCompletion");
	if (as !== "" && !ITEM_PARAM.test(as)) {
		errors.multiAs = "A param name is a letter or _, then letters, digits or _ (64 at most).";
	}
	if (items === "") {
		if (as !== "" || sequential || completion !== "") {
			errors.multiItems =
				"Give the list to run once per item of, or clear the other “once per item” fields.";
		}
		return undefined;
	}
	const expressionError = (name: string, value: string) => {
		if (value.length > 1000) errors[name] = "Use at most 1,000 characters.";
		else {
			const problem = expressionSyntaxError(value);
			if (problem) errors[name] = `${capitalized(problem)}.`;
		}
	};
	expressionError("multiItems", items);
	if (completion !== "") expressionError("multiCompletion", completion);
	const mi: MultiInstanceDefinition = { items };
	if (as !== "") mi.as = as;
	if (sequential) mi.sequential = true;
	if (completion !== "") mi.completion = completion;
	return mi;
}

/**
 * C1: a scope's inner graph, written as JSON since its inner nodes are not edited one by one here.
 * Only its shape is checked; what is wrong inside it is for the report (D2), at its exact path.
 */
export function readInnerGraph(
	value: string,
	errors: Record<string, string>,
): Pick<NodeDefinition, "nodes" | "transitions"> | undefined {
	if (value === "") return undefined;
	const example =
		'e.g. {"nodes": [{"key": "pick", "task": "dummy", "start": true, "end": true}], "transitions": []}';
	const parsed = parseJson(value);
	if (!parsed.ok) {
		errors.innerGraph = `This is not valid JSON: ${parsed.message}`;
		return undefined;
	}
	const graph = parsed.value;
	if (!isPlainObject(graph)) {
		errors.innerGraph = `Write a JSON object with "nodes" and "transitions", ${example}.`;
		return undefined;
	}
	const other = Object.keys(graph).filter((k) => k !== "nodes" && k !== "transitions");
	const nodes = graph.nodes ?? [];
	const transitions = graph.transitions ?? [];
	if (other.length > 0) {
		errors.innerGraph = `Only "nodes" and "transitions" go here, not ${other.map((k) => `"${k}"`).join(", ")}: the scope's own settings are the fields above.`;
	} else if (
		!Array.isArray(nodes) ||
		!nodes.every((n) => isPlainObject(n) && typeof n.key === "string" && typeof n.task === "string")
	) {
		errors.innerGraph = '"nodes" is a list of objects, each with a "key" and a "task".';
	} else if (
		!Array.isArray(transitions) ||
		!transitions.every(
			(t) => isPlainObject(t) && typeof t.from === "string" && typeof t.to === "string",
		)
	) {
		errors.innerGraph = '"transitions" is a list of objects, each with "from" and "to".';
	} else {
		return {
			nodes: nodes as NodeDefinition[],
			transitions: transitions as TransitionDefinition[],
		};
	}
	return undefined;
}

const capitalized = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/**
 * A transition from its form. The condition is text in the form; when it reads the same as the
 * condition it replaces, that condition keeps its type (a literal 4 stays a number).
 */
export function readTransitionForm(
	posted: Posted,
	previous?: TransitionDefinition,
): FormRead<TransitionDefinition> {
	const errors: Record<string, string> = {};
	const from = text(posted, "from");
	const to = text(posted, "to");
	if (from === "") errors.from = "Choose the node it leaves.";
	if (to === "") errors.to = "Choose the node it leads to.";
	const conditionText = text(posted, "condition");
	if (conditionText.length > 1000) errors.condition = "Use at most 1,000 characters.";
	const on = text(posted, "on") || "success";
	if (on !== "success" && on !== "failure") errors.on = "Choose when it is taken.";
	if (Object.keys(errors).length > 0) return { ok: false, errors };
	const transition: TransitionDefinition = { from, to };
	if (conditionText !== "") {
		const kept: Condition | undefined =
			previous?.condition !== undefined && String(previous.condition) === conditionText
				? previous.condition
				: undefined;
		transition.condition = kept ?? conditionText;
	}
	if (on === "failure") transition.on = "failure";
	return { ok: true, value: transition };
}

/**
 * The workflow settings: name, description, priority, step budget, default params, start form,
 * schedules and roles.
 */
export function readSettingsForm(posted: Posted): FormRead<WorkflowSettings> {
	const errors: Record<string, string> = {};
	const name = text(posted, "name");
	if (name === "") errors.name = "Give the workflow a name.";
	else if (name.length > 100) errors.name = "Use at most 100 characters.";
	const description = text(posted, "description");
	if (description.length > 5000) errors.description = "Use at most 5,000 characters.";
	const priority = readInteger(
		posted,
		"priority",
		0,
		9,
		errors,
		"Priority is 0 (highest) to 9 (lowest).",
	);
	const stepBudget = readInteger(
		posted,
		"stepBudget",
		1,
		1_000_000,
		errors,
		"The step budget is a whole number from 1 to 1,000,000.",
	);
	let params: Record<string, unknown> | undefined;
	const paramsText = text(posted, "params");
	if (paramsText !== "") {
		const parsed = parseJson(paramsText);
		if (parsed.ok && isPlainObject(parsed.value)) params = parsed.value;
		else {
			errors.params = parsed.ok
				? 'Write a JSON object, e.g. {"region": "EU"}.'
				: `This is not valid JSON: ${parsed.message}`;
		}
	}
	let startForm: WorkflowSettings["startForm"];
	const startFormText = text(posted, "startForm");
	if (startFormText !== "") {
		const parsed = parseJson(startFormText);
		// The fields' shapes are checked with the whole draft (D2), next to the other problems.
		if (parsed.ok && isPlainObject(parsed.value))
			startForm = parsed.value as WorkflowSettings["startForm"];
		else {
			errors.startForm = parsed.ok
				? 'Write a JSON object, e.g. {"loops": {"label": "Loops", "type": "integer", "default": 2}}.'
				: `This is not valid JSON: ${parsed.message}`;
		}
	}
	let schedules: WorkflowSettings["schedules"];
	const schedulesText = text(posted, "schedules");
	if (schedulesText !== "") {
		const parsed = parseJson(schedulesText);
		// Like the start form: each schedule's shape and its cron are checked with the draft (D2).
		if (parsed.ok && Array.isArray(parsed.value))
			schedules = parsed.value as WorkflowSettings["schedules"];
		else {
			errors.schedules = parsed.ok
				? 'Write a JSON list, e.g. [{"cron": "0 9 * * 1-5", "timezone": "Europe/Madrid"}].'
				: `This is not valid JSON: ${parsed.message}`;
		}
	}
	const roles = readRoles(text(posted, "roles"), errors);
	if (Object.keys(errors).length > 0) return { ok: false, errors };
	const settings: WorkflowSettings = { name };
	if (startForm) settings.startForm = startForm;
	if (schedules) settings.schedules = schedules;
	if (description) settings.description = description;
	if (priority !== undefined) settings.priority = priority;
	if (stepBudget !== undefined) settings.stepBudget = stepBudget;
	if (params) settings.params = params;
	if (roles.length > 0) settings.roles = roles;
	return { ok: true, value: settings };
}

/** One role per line: `key` or `key: Name`. */
export function readRoles(lines: string, errors: Record<string, string>): RoleDefinition[] {
	const roles: RoleDefinition[] = [];
	for (const [i, raw] of lines.split(/\r?\n/).entries()) {
		const line = raw.trim();
		if (line === "") continue;
		const colon = line.indexOf(":");
		const key = (colon < 0 ? line : line.slice(0, colon)).trim();
		const name = colon < 0 ? "" : line.slice(colon + 1).trim();
		if (!KEY_PATTERN.test(key)) {
			errors.roles ??= `Line ${i + 1}: a role key is ${KEY_RULE}; write "key" or "key: Name".`;
			continue;
		}
		roles.push(name ? { key, name: name.slice(0, 100) } : { key });
	}
	return roles;
}

/** The roles as the settings form shows them, one per line. */
export function showRoles(roles: readonly RoleDefinition[] | undefined): string {
	return (roles ?? [])
		.map((r) => (r.name && r.name !== r.key ? `${r.key}: ${r.name}` : r.key))
		.join("\n");
}

function readInteger(
	posted: Posted,
	name: string,
	min: number,
	max: number,
	errors: Record<string, string>,
	message: string,
): number | undefined {
	const raw = text(posted, name);
	if (raw === "") return undefined;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < min || n > max) {
		errors[name] = message;
		return undefined;
	}
	return n;
}
