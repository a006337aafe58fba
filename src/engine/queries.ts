// Read-only questions about a process: progress (P6), stuck (P5), when to wake up, and which
// branches a waiting OR join still waits for (J4).
import type { CompiledWorkflow } from "./compiled.ts";
import { branchesStillComing } from "./join.ts";
import { isProcessFinished, isTaskActive, type ProcessState } from "./state.ts";

/** P6: the floor of the mean progress of the tasks, 0 when there are none. */
export function processProgress(state: ProcessState): number {
	if (state.tasks.length === 0) return 0;
	let sum = 0;
	for (const task of state.tasks) sum += task.progress;
	return Math.floor(sum / state.tasks.length);
}

/** P5: STARTED with no active task, nothing left to fire: it will never move on its own. */
export function isStuck(_workflow: CompiledWorkflow, state: ProcessState): boolean {
	if (state.status !== "STARTED") return false;
	if (state.tasks.some(isTaskActive)) return false;
	const blockedByBudget = state.stepsUsed >= state.stepBudget;
	return !(blockedByBudget && (state.arrivals.length > 0 || state.pendingStarts.length > 0));
}

/** The earliest timer due or job lease expiry the adapter must wake up for (its alarm). */
export function nextWakeAt(state: ProcessState): number | undefined {
	if (isProcessFinished(state)) return undefined;
	let next: number | undefined;
	for (const task of state.tasks) {
		if (task.status !== "STARTED") continue;
		for (const at of [task.timerDueAt, task.leaseUntil]) {
			if (at !== undefined && (next === undefined || at < next)) next = at;
		}
	}
	return next;
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
