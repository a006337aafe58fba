// T11: a person submits only the fields the task's form offers them. What the author fixed (the
// workflow's and the node's params) and what the starter gave cannot be replaced from a task's
// form, unless the author marked the field editable on the node.
import type { CompiledWorkflow } from "./compiled.ts";
import { describeForm, type FormField } from "./form.ts";
import { authoredParams, formSchema, mergeParams } from "./params.ts";
import type { ProcessState, TaskState } from "./state.ts";

/**
 * T11: the fields of a task's form a person may fill in. An input task (`ask`) offers every
 * question. Any other task offers the fields of its schema that nobody set (neither the workflow,
 * the node, the starter nor the task), the fields still required (T2), and those the node marks
 * `editable`.
 */
export function offeredFields(
	workflow: CompiledWorkflow,
	state: ProcessState,
	task: TaskState,
): string[] {
	const node = workflow.nodes.get(task.node);
	if (!node) return [];
	const authored = authoredParams(workflow, state, task);
	const names = Object.keys(formSchema(node.spec, authored).shape);
	if (node.spec.mode === "input") return names;
	const required = new Set(task.requiredFields);
	const editable = new Set(node.def.editable ?? []);
	return names.filter((n) => authored[n] === undefined || required.has(n) || editable.has(n));
}

/** T11: a task's form as a person sees it: what they may fill in, and what is shown as text. */
export interface TaskForm {
	/** The fields the person may fill in, with the values already known. */
	fields: FormField[];
	/** The author's words the task type shows as its headline and details (question: title). */
	shown: { name: string; label: string; value: string }[];
	/** Fields already set that the person may not change, with their values. */
	given: FormField[];
}

export function describeTaskForm(
	workflow: CompiledWorkflow,
	state: ProcessState,
	task: TaskState,
): TaskForm {
	const node = workflow.nodes.get(task.node);
	if (!node) return { fields: [], shown: [], given: [] };
	const offered = new Set(offeredFields(workflow, state, task));
	const shows = new Set(node.spec.shows ?? []);
	const form: TaskForm = { fields: [], shown: [], given: [] };
	for (const field of describeForm(node.spec, mergeParams(workflow, state, task))) {
		if (offered.has(field.name)) form.fields.push(field);
		else if (shows.has(field.name)) {
			if (typeof field.value === "string" && field.value !== "") {
				form.shown.push({ name: field.name, label: field.label, value: field.value });
			}
		} else if (field.value !== undefined) form.given.push(field);
	}
	return form;
}
