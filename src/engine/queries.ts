// Read-only questions about a process: progress (P6), stuck (P5), when to wake up, and which
// branches a waiting OR join still waits for (J4).
import type { Command } from "./commands.ts";
import type { CompiledWorkflow } from "./compiled.ts";
import { isAwaitingClaim } from "./dispatch.ts";
import { branchesStillComing } from "./join.ts";
import { isProcessFinished, isTaskActive, type ProcessState, type TaskState } from "./state.ts";

/** P6: the floor of the mean progress of the tasks, 0 when there are none. */
export function processProgress(state: ProcessState): number {
	if (state.tasks.length === 0) return 0;
	let sum = 0;
	for (const task of state.tasks) sum += task.progress;
	return Math.floor(sum / state.tasks.length);
}

/** P5: STARTED with no active task, nothing left to fire: it will never move on its own. */
export function isStuck(_workflow: CompiledWorkflow, state: ProcessState): boolean {
	if (state.status !== "STARTED" || state.suspended) return false;
	if (state.tasks.some(isTaskActive)) return false;
	const blockedByBudget = state.stepsUsed >= state.stepBudget;
	return !(blockedByBudget && (state.arrivals.length > 0 || state.pendingStarts.length > 0));
}

/**
 * The earliest moment the adapter must wake up for (its alarm): a timer due, a job lease expiring,
 * a dispatched job's claim deadline (T13).
 */
export function nextWakeAt(state: ProcessState): number | undefined {
	// O1: a suspended process sleeps; what comes due meanwhile runs on resume.
	if (isProcessFinished(state) || state.suspended) return undefined;
	let next: number | undefined;
	for (const task of state.tasks) {
		if (task.status === "STARTED") {
			for (const at of [task.timerDueAt, task.leaseUntil]) {
				if (at !== undefined && (next === undefined || at < next)) next = at;
			}
		} else if (isAwaitingClaim(task)) {
			const at = task.dispatchDueBy as number;
			if (next === undefined || at < next) next = at;
		}
	}
	return next;
}

/**
 * P8: the task whose failure failed the process (P2), which an admin may retry: the last FAILURE
 * task that ended in the same step as the process. Undefined unless the process is FAILURE.
 */
export function failedTaskOf(state: ProcessState): TaskState | undefined {
	if (state.status !== "FAILURE" || state.endedAt === undefined) return undefined;
	// C1, M1, B1: a failure inside a scope or an instance passed up to the top-level task that holds it.
	return state.tasks.findLast(
		(t) =>
			t.status === "FAILURE" &&
			t.endedAt === state.endedAt &&
			t.scope === undefined &&
			t.instanceOf === undefined &&
			t.boundaryOf === undefined,
	);
}

/** One command the adapter's alarm must run now, with its idempotency key when it has one. */
export interface DueCommand {
	command: Command;
	key?: string;
}

/**
 * What is due at `now`, as the commands that carry it out, in order: the timers that came (W1),
 * expired leases (a new attempt, T6), unclaimed dispatches past their
 * deadline (sent again, T13). The alarm runs these instead of re-deriving them.
 */
export function dueWork(state: ProcessState, now: number): DueCommand[] {
	if (state.status !== "STARTED" || state.suspended) return [];
	const due: DueCommand[] = [];
	let timers = false;
	let leases = false;
	let dispatches = false;
	for (const task of state.tasks) {
		if (task.status === "STARTED") {
			if (task.timerDueAt !== undefined && task.timerDueAt <= now) timers = true;
			if (task.leaseUntil !== undefined && task.leaseUntil <= now) leases = true;
		} else if (isAwaitingClaim(task) && (task.dispatchDueBy as number) <= now) {
			dispatches = true;
		}
	}
	// W1: one step fires every due timer; a fired timer's task is no longer waiting, so a repeat
	// of the command (an alarm run twice) fires nothing twice.
	if (timers) due.push({ command: { type: "FireDueTimers" } });
	if (leases) due.push({ command: { type: "ExpireLeases" } });
	if (dispatches) due.push({ command: { type: "RedispatchJobs" } });
	return due;
}

/** J4: the parent node keys of the incoming transitions a waiting OR join still waits for. */
export function waitingBranches(
	workflow: CompiledWorkflow,
	state: ProcessState,
	nodeKey: string,
): string[] {
	const node = workflow.nodes.get(nodeKey);
	if (node?.join !== "or") return [];
	return branchesStillComing(workflow, state, node).map((i) => workflow.transitions[i]?.from ?? "");
}

/**
 * Whether an admin's RetryTask may apply to this task (T6, P8): a failed task or one with an
 * incident while the process runs, or the task that failed its process (which reopens it). The
 * engine still has the last word (R4 refuses a retry whose failure route already finished).
 */
export function isRetryable(state: ProcessState, task: TaskState): boolean {
	if (state.status === "STARTED") {
		return task.status === "FAILURE" || (task.incident !== undefined && isTaskActive(task));
	}
	return state.parent === undefined && failedTaskOf(state)?.id === task.id;
}
