// Revoking tasks and ending the process: end (P1), failure (P2), stop (P3). A finished process is
// frozen (P4): the step function refuses to create, start or complete anything in it.
import type { Draft } from "./draft.ts";
import { EngineError } from "./errors.ts";
import { isTaskActive, type TaskState } from "./state.ts";

/**
 * Revokes an active task and tells the adapter what to undo: the worker's onRevoke (every mode but
 * input), the timer, the child process. `childEnded` skips stopping a child that already ended.
 */
export function revokeTask(
	d: Draft,
	shared: TaskState,
	reason: string,
	actor?: string,
	childEnded = false,
	spare?: string,
): void {
	if (!isTaskActive(shared)) return;
	const task = d.editable(shared);
	const spec = d.node(task.node).spec;
	task.status = "REVOKED";
	task.endedAt = d.now;
	delete task.leaseUntil;
	if (spec.mode === "timer" && task.timerDueAt !== undefined) {
		d.emit({ type: "CancelTimer", taskId: task.id });
	}
	if (spec.mode === "subprocess" && task.childProcessId !== undefined && !childEnded) {
		d.emit({ type: "StopSubprocess", taskId: task.id, childProcessId: task.childProcessId });
	}
	if (spec.mode === "message" && task.message) {
		d.emit({ type: "Unsubscribe", taskId: task.id, ...task.message });
	}
	if (spec.mode === "external")
		d.emit({ type: "WithdrawOffer", taskId: task.id, taskType: spec.name });
	// Only jobs have task code whose onRevoke may undo something; the built-in waits have none.
	if (spec.mode === "job") {
		d.emit({ type: "RevokeTask", taskId: task.id, attempt: task.attempt, taskType: spec.name });
	}
	d.log("TaskRevoked", task, { reason }, actor);
	endDependents(d, task, reason, actor, spare);
}

/**
 * B1, C1, M1: a task that ended takes with it what lives on it: its boundary listeners, the tasks
 * and tokens of its scope instance, and its instances. Each is revoked once (revokeTask skips the
 * ended), with the reason of the end that caused it; `spare` is the boundary that is firing.
 */
export function endDependents(
	d: Draft,
	host: TaskState,
	reason: string,
	actor?: string,
	spare?: string,
): void {
	if (!d.workflow.hasHosts) return;
	const node = d.node(host.node);
	const isScope = node.spec.mode === "scope";
	if (node.boundaries.length === 0 && !isScope && host.multi === undefined) return;
	for (const task of d.state.tasks) {
		if (!isTaskActive(task) || task.id === spare) continue;
		if (task.boundaryOf === host.id || task.scope === host.id || task.instanceOf === host.id) {
			revokeTask(d, task, reason, actor);
		}
	}
	if (isScope) discardArrivalsOf(d, host.id);
}

/** C1: the tokens left inside a scope instance that ended can never fire anything. */
function discardArrivalsOf(d: Draft, scope: string): void {
	const discarded = d.state.arrivals.filter((a) => a.scope === scope);
	if (discarded.length === 0) return;
	d.state.arrivals = d.state.arrivals.filter((a) => a.scope !== scope);
	d.log("ArrivalsDiscarded", undefined, { scope, arrivals: discarded.map((a) => a.id) });
}

const FINISH_EVENT = {
	SUCCESS: "ProcessSucceeded",
	FAILURE: "ProcessFailed",
	REVOKED: "ProcessRevoked",
} as const;

/** P1–P3: the process ends with `status`; every other active task is revoked; nothing follows. */
export function finishProcess(
	d: Draft,
	status: "SUCCESS" | "FAILURE" | "REVOKED",
	reason: string,
	actor?: string,
	error?: { message: string; code?: string },
): void {
	const state = d.state;
	state.status = status;
	state.endedAt = d.now;
	for (const task of state.tasks) revokeTask(d, task, reason, actor);
	const effect: Extract<Parameters<Draft["emit"]>[0], { type: "FinishProcess" }> = {
		type: "FinishProcess",
		status,
		results: [...state.results],
	};
	if (state.parent) effect.parent = { ...state.parent };
	if (error) effect.error = { ...error };
	d.emit(effect);
	d.log(
		FINISH_EVENT[status],
		undefined,
		error ? { results: state.results, error } : { results: state.results },
		actor,
	);
}

/** P3: stop requires STARTED; every active task is revoked, subprocesses stopped, status REVOKED. */
export function stopProcess(d: Draft, actor?: string): void {
	if (d.state.status !== "STARTED") {
		throw new EngineError("not_running", `process ${d.state.id} is ${d.state.status}, not running`);
	}
	finishProcess(d, "REVOKED", "process stopped", actor);
}
