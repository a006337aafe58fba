// People acting on tasks: submitting values (T4) and assignment (T3). Authorisation is checked
// before anything else; invalid values change nothing.
import type { Actor } from "./commands.ts";
import type { Draft } from "./draft.ts";
import { EngineError } from "./errors.ts";
import { checkParams, formSchema, mergeParams } from "./params.ts";
import { offeredFields } from "./person-fields.ts";
import { succeedTask } from "./routing.ts";
import { isTaskActive, type TaskState } from "./state.ts";
import { runTask } from "./tasks.ts";

/** T4: the assignee, a member of the task's role while it is unassigned, or an admin. */
export function canActOn(task: TaskState, actor: Actor): boolean {
	if (actor.isAdmin) return true;
	if (task.assignee) return task.assignee === actor.id;
	return task.role !== undefined && actor.roles.includes(task.role);
}

/**
 * T4: forbidden first, then a PENDING task of a running process (else already_started), then the
 * fields the form offers (T11: any other key is invalid_params), then validation (invalid_params
 * with per-field messages, nothing changed). Records who submitted what and when; an input task
 * succeeds with the answers, any other task runs with the completed params.
 */
export function submitValues(
	d: Draft,
	taskId: string,
	values: Record<string, unknown>,
	actor: Actor,
): void {
	const task = d.task(taskId);
	if (!canActOn(task, actor)) {
		throw new EngineError("forbidden", `${actor.id} may not act on task ${taskId}`);
	}
	if (d.state.status !== "STARTED") {
		throw new EngineError(
			"already_started",
			`the process has ended (${d.state.status}); task ${taskId} takes no more input`,
		);
	}
	if (task.status !== "PENDING" || !task.awaitingInput) {
		throw new EngineError(
			"already_started",
			`task ${taskId} is ${task.status}, not waiting for input`,
		);
	}
	const offered = new Set(offeredFields(d.workflow, d.state, task));
	const refused = Object.keys(values).filter((k) => !offered.has(k));
	if (refused.length > 0) {
		const fields: Record<string, string> = {};
		for (const key of refused) fields[key] = `"${key}" is not a field of this task's form`;
		throw new EngineError(
			"invalid_params",
			`not fields of this task's form: ${refused.join(", ")}`,
			{
				fields,
				notOffered: refused,
			},
		);
	}
	const spec = d.node(task.node).spec;
	const merged = mergeParams(d.workflow, d.state, task, values);
	const check = checkParams(formSchema(spec, merged), merged);
	if (!check.ok) {
		throw new EngineError("invalid_params", "some values are missing or invalid", {
			fields: check.fieldErrors,
		});
	}
	task.values = { ...(task.values ?? {}), ...values };
	task.submittedBy = actor.id;
	task.submittedAt = d.now;
	task.awaitingInput = false;
	task.requiredFields = [];
	d.log("ValuesSubmitted", task, { values }, actor.id);
	if (spec.mode === "input") succeedTask(d, task, check.params);
	else runTask(d, task, check.params);
}

/**
 * T3: records who does a task. Without an actor it is the adapter's automatic pick; an admin may
 * assign anyone; a member of the task's role may claim it for themselves.
 */
export function assignTask(d: Draft, taskId: string, assignee: string | null, actor?: Actor): void {
	const task = d.task(taskId);
	if (actor && !actor.isAdmin) {
		const isClaim =
			assignee === actor.id && task.role !== undefined && actor.roles.includes(task.role);
		if (!isClaim)
			throw new EngineError("forbidden", "only an admin assigns a task to someone else");
	}
	if (!isTaskActive(task) || d.state.status !== "STARTED") {
		if (!actor) return; // a late answer to PickAssignee: the task already ended
		throw new EngineError("conflict", `task ${taskId} is ${task.status}; it cannot be assigned`);
	}
	task.assignee = assignee;
	d.log("TaskAssigned", task, { assignee }, actor?.id);
}
