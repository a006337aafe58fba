// The editor's forms read back into definition parts: a node, a transition, the workflow settings.
// Each returns the part or per-field messages; what is wrong with the *graph* (an undeclared role,
// an unknown node, a condition that cannot match) is left to compileWorkflow's report (D2).
import type {
	Condition,
	JoinKind,
	NodeDefinition,
	RoleDefinition,
	SplitKind,
	TaskCatalog,
	TransitionDefinition,
} from "../engine/index.ts";
import type { WorkflowSettings } from "./draft-edit.ts";
import { isPlainObject, parseJson, readParams } from "./node-params.ts";

/** A posted form with only its text fields (the last value of a repeated name wins). */
export type Posted = Record<string, string | undefined>;

export type FormRead<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

export const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const KEY_RULE = "a letter, then letters, digits, _ . - (64 at most)";
const JOINS: readonly JoinKind[] = ["and", "xor", "or"];
const SPLITS: readonly SplitKind[] = ["and", "xor"];

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

/** A node from the node form; its params are read with the fields of the type they were shown for. */
export function readNodeForm(posted: Posted, catalog: TaskCatalog): FormRead<NodeDefinition> {
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
	if (!SPLITS.includes(split as SplitKind)) errors.split = "Choose AND or XOR.";
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
	return { ok: true, value: node };
}

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

/** The workflow settings: name, description, priority, step budget, default params and roles. */
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
	const roles = readRoles(text(posted, "roles"), errors);
	if (Object.keys(errors).length > 0) return { ok: false, errors };
	const settings: WorkflowSettings = { name };
	if (startForm) settings.startForm = startForm;
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
