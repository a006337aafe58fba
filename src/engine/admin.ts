// Admin acts on a running process: revoke or retry a task, record and resolve incidents, raise the
// step budget (P7). An actor, when given, must be an admin.

import { resolveBudgetIncidents } from "./budget.ts";
import type { Actor, TaskHookName } from "./commands.ts";
import type { Draft } from "./draft.ts";
import { revokeTask } from "./ending.ts";
import { EngineError } from "./errors.ts";
import { withdrawFailureRouting } from "./failure.ts";
import { fireIfReady, recheckOrJoins } from "./firing.ts";
import { checkParams, formSchema, mergeParams } from "./params.ts";
import { failedTaskOf } from "./queries.ts";
import { instanceEnded } from "./routing.ts";
import { checkStartParams } from "./start-form.ts";
import { isTaskActive, type TaskState } from "./state.ts";
import { recordTaskLog } from "./task-log.ts";
import { isRetriedMode } from "./task-type-spec.ts";
import { activateTask, createTask, listen } from "./tasks.ts";

function requireAdmin(actor: Actor | undefined, what: string): void {
	if (actor && !actor.isAdmin) throw new EngineError("forbidden", `only an admin may ${what}`);
}

function requireRunning(d: Draft): void {
	if (d.state.status !== "STARTED") {
		throw new EngineError("not_running", `process ${d.state.id} is ${d.state.status}, not running`);
	}
}

/** Revokes one active task; OR joins waiting on it are re-checked (J4). */
export function revokeTaskCommand(d: Draft, taskId: string, actor?: Actor): void {
	requireAdmin(actor, "revoke a task");
	requireRunning(d);
	const task = d.task(taskId);
	if (!isTaskActive(task))
		throw new EngineError("conflict", `task ${taskId} is already ${task.status}`);
	revokeTask(d, task, "revoked", actor?.id);
	// M1: a revoked instance counts as ended, with no result.
	if (task.instanceOf !== undefined) instanceEnded(d, task, null);
	recheckOrJoins(d);
}

/**
 * A new attempt for a task with an open incident or a FAILURE task of a running process: it goes
 * back to PENDING with the retry policy's attempts and is activated again (T2). The task that
 * failed a process (P2) may be retried too: the process is reopened first (P8).
 */
export function retryTaskCommand(d: Draft, taskId: string, actor?: Actor): void {
	requireAdmin(actor, "retry a task");
	const task = d.task(taskId);
	if (d.state.status === "FAILURE") reopenProcess(d, task, actor);
	else requireRunning(d);
	const hasIncident = task.incident !== undefined && isTaskActive(task);
	if (task.status !== "FAILURE" && !hasIncident) {
		throw new EngineError(
			"conflict",
			`task ${taskId} is ${task.status} with no incident: nothing to retry`,
		);
	}
	// C1, M1: a task inside a scope or a multi-instance body that has ended has nowhere to go.
	for (const holder of [task.scope, task.instanceOf]) {
		if (holder !== undefined && !isTaskActive(d.task(holder))) {
			throw new EngineError(
				"conflict",
				`task ${taskId} cannot be retried: ${holder}, which it runs in, has ended; retry that instead`,
			);
		}
	}
	// R4: what the failure started is withdrawn first (or the retry is refused).
	if (task.status === "FAILURE") withdrawFailureRouting(d, task, actor?.id);
	const spec = d.node(task.node).spec;
	d.resolveIncidentOf(task);
	task.status = "PENDING";
	task.attempt += 1;
	task.maxAttempts = task.attempt + (isRetriedMode(spec.mode) ? spec.retry.limit : 0);
	delete task.error;
	delete task.endedAt;
	delete task.leaseUntil;
	d.log("TaskRetried", task, { attempt: task.attempt, manual: true }, actor?.id);
	activateTask(d, task);
	// B1: a host that failed lost its listeners; its new attempt listens again.
	if (
		isTaskActive(task) &&
		!d.state.tasks.some((t) => t.boundaryOf === task.id && isTaskActive(t))
	) {
		listen(d, task);
	}
}

/**
 * P8: a FAILURE process is STARTED again, its end date cleared, so that the task that failed it can
 * be retried. The tasks its failure revoked stay revoked (their arrivals are gone); nothing else is
 * undone. A subprocess is not reopened: its parent's task already took its failure (retry that).
 */
function reopenProcess(d: Draft, task: TaskState, actor?: Actor): void {
	const cause = failedTaskOf(d.state);
	if (cause?.id !== task.id) {
		throw new EngineError(
			"conflict",
			`process ${d.state.id} failed; only the task that failed it (${cause?.id ?? "none"}) can be retried`,
		);
	}
	if (d.state.parent) {
		throw new EngineError(
			"conflict",
			`process ${d.state.id} is a subprocess: retry task ${d.state.parent.taskId} of its parent instead`,
		);
	}
	d.state.status = "STARTED";
	delete d.state.endedAt;
	d.log("ProcessReopened", undefined, { task: task.id, node: task.node }, actor?.id);
}

/** G8: records an incident reported by the adapter (e.g. a dead-lettered message). */
export function recordIncident(d: Draft, kind: string, message: string, taskId?: string): void {
	if (d.state.status !== "STARTED") return;
	d.raiseIncident(kind, message, taskId === undefined ? undefined : d.task(taskId));
}

/** T7: a hook that threw is logged on the task's history; it changes no status, even when finished. */
export function recordHookFailure(
	d: Draft,
	taskId: string,
	hook: TaskHookName,
	message: string,
): void {
	const task = d.state.tasks.find((t) => t.id === taskId);
	if (!task) throw new EngineError("not_found", `no task ${taskId}`);
	d.log("HookFailed", task, { hook, message });
}

/** ctx.log: lines a task's hooks logged after its outcome; recorded even when it is finished. */
export function recordTaskLogCommand(
	d: Draft,
	taskId: string,
	attempt: number,
	lines: readonly string[],
): void {
	const task = d.state.tasks.find((t) => t.id === taskId);
	if (!task) throw new EngineError("not_found", `no task ${taskId}`);
	recordTaskLog(d, task, attempt, lines);
}

export function resolveIncident(d: Draft, incidentId: string, actor?: Actor): void {
	requireAdmin(actor, "resolve an incident");
	const incident = d.state.incidents.find((i) => i.id === incidentId);
	if (!incident) throw new EngineError("not_found", `no incident ${incidentId}`);
	if (incident.resolvedAt !== undefined) return;
	incident.resolvedAt = d.now;
	const shared = d.state.tasks.find((t) => t.incident === incidentId);
	const task = shared ? d.editable(shared) : undefined;
	if (task) delete task.incident;
	d.log("IncidentResolved", task, { incident: incidentId }, actor?.id);
}

/** P7: raises the budget and resumes the firings it held back (start nodes, then arrivals). */
export function raiseStepBudget(d: Draft, stepBudget: number, actor?: Actor): void {
	requireAdmin(actor, "raise the step budget");
	requireRunning(d);
	if (!Number.isInteger(stepBudget) || stepBudget <= d.state.stepBudget) {
		throw new EngineError(
			"conflict",
			`the new budget must be an integer above ${d.state.stepBudget}`,
		);
	}
	const previous = d.state.stepBudget;
	d.state.stepBudget = stepBudget;
	d.log("StepBudgetRaised", undefined, { from: previous, to: stepBudget }, actor?.id);
	resolveBudgetIncidents(d);
	while (d.state.pendingStarts.length > 0 && d.state.stepsUsed < d.state.stepBudget) {
		const key = d.state.pendingStarts.shift() as string;
		createTask(d, key, []);
	}
	for (const arrival of [...d.state.arrivals]) {
		if (!d.state.arrivals.includes(arrival)) continue;
		const to = d.workflow.transitions[arrival.transition]?.to;
		if (to !== undefined && d.state.status === "STARTED")
			fireIfReady(d, d.node(to), arrival.transition);
	}
	recheckOrJoins(d);
}

/**
 * O3: an admin corrects values before a retry: the process params (no task), or the values a
 * task runs with when it failed or has an open incident. The corrected params must still pass the
 * task type's schema (T2) or the start form (T10); the history keeps each old and new value.
 */
export function correctValues(
	d: Draft,
	values: Record<string, unknown>,
	taskId?: string,
	actor?: Actor,
): void {
	requireAdmin(actor, "correct values");
	if (d.state.status !== "STARTED" && d.state.status !== "FAILURE") {
		throw new EngineError("not_running", `process ${d.state.id} is ${d.state.status}`);
	}
	if (Object.keys(values).length === 0) {
		throw new EngineError("invalid_params", "give at least one value to correct");
	}
	if (taskId === undefined) {
		const next = { ...d.state.params, ...values };
		const check = checkStartParams(d.workflow.definition, next, d.workflow.startForm);
		if (!check.ok) {
			throw new EngineError("invalid_params", "the corrected params do not fit the start form", {
				fields: check.fields,
			});
		}
		d.log("ValuesCorrected", undefined, { changes: changesOf(d.state.params, values) }, actor?.id);
		d.state.params = next;
		return;
	}
	const task = d.task(taskId);
	const failed = task.status === "FAILURE" || (task.incident !== undefined && isTaskActive(task));
	if (!failed) {
		throw new EngineError(
			"conflict",
			`task ${taskId} is ${task.status} with no incident: values are corrected only before a retry`,
		);
	}
	const spec = d.node(task.node).spec;
	const merged = { ...mergeParams(d.workflow, d.state, task), ...values };
	const check = checkParams(spec.mode === "input" ? formSchema(spec, merged) : spec.params, merged);
	if (!check.ok) {
		throw new EngineError("invalid_params", "the corrected values do not fit the task's params", {
			fields: check.fieldErrors,
		});
	}
	const before = { ...mergeParams(d.workflow, d.state, task) };
	task.values = { ...(task.values ?? {}), ...values };
	d.log("ValuesCorrected", task, { changes: changesOf(before, values) }, actor?.id);
}

function changesOf(
	before: Record<string, unknown>,
	values: Record<string, unknown>,
): { name: string; old: unknown; new: unknown }[] {
	return Object.entries(values).map(([name, value]) => ({
		name,
		old: Object.hasOwn(before, name) ? before[name] : null,
		new: value,
	}));
}
