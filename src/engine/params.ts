// T1–T2: merges params into a fresh object (workflow < node < process < task < submitted values)
// and checks them against a task type's schema, listing the fields still required.
import type { z } from "zod";
import type { CompiledWorkflow } from "./compiled.ts";
import { EngineError } from "./errors.ts";
import { findTask, type ProcessState, type TaskState } from "./state.ts";
import type { TaskTypeSpec } from "./task-type-spec.ts";

/** T1: later wins — workflow < node < process < task < values a person submitted. */
export function mergeParams(
	workflow: CompiledWorkflow,
	state: ProcessState,
	task: TaskState,
	extra?: Record<string, unknown>,
): Record<string, unknown> {
	return { ...authoredParams(workflow, state, task), ...(task.values ?? {}), ...(extra ?? {}) };
}

/** T11: what was set before any person acted: workflow < node < process < task params. */
export function authoredParams(
	workflow: CompiledWorkflow,
	state: ProcessState,
	task: TaskState,
): Record<string, unknown> {
	const node = workflow.nodes.get(task.node);
	return {
		...(workflow.definition.params ?? {}),
		...(node?.def.params ?? {}),
		...state.params,
		...task.params,
	};
}

/** T1: the merged params of a task, in a fresh object. */
export function mergedParams(
	workflow: CompiledWorkflow,
	state: ProcessState,
	taskId: string,
): Record<string, unknown> {
	const task = findTask(state, taskId);
	if (!task) throw new EngineError("not_found", `no task ${taskId}`);
	return mergeParams(workflow, state, task);
}

export type ParamsCheck =
	| { ok: true; params: Record<string, unknown> }
	| { ok: false; requiredFields: string[]; fieldErrors: Record<string, string> };

/** The schema a person fills in for this task type (ask: built from its questions). */
export function formSchema(spec: TaskTypeSpec, merged: Record<string, unknown>): z.ZodObject {
	return spec.formFor ? spec.formFor(merged) : spec.params;
}

/** T2: validates merged params; on failure, the top-level fields that need a value. */
export function checkParams(schema: z.ZodObject, merged: Record<string, unknown>): ParamsCheck {
	const parsed = schema.safeParse(merged);
	if (parsed.success) return { ok: true, params: parsed.data as Record<string, unknown> };
	const fieldErrors: Record<string, string> = {};
	for (const issue of parsed.error.issues) {
		const field = issue.path.length > 0 ? String(issue.path[0]) : "";
		if (!(field in fieldErrors)) fieldErrors[field] = issue.message;
	}
	return { ok: false, requiredFields: Object.keys(fieldErrors), fieldErrors };
}
