// T9: inline tasks. A pure, synchronous job on a node marked `inline` runs inside the step that
// activated it: it starts and ends there, with the same history as a dispatched job and no queue
// message. The tasks run after the command, in activation order, so routing deposits every arrival
// before any child runs, as it does when the queue runs them later.
import type { Draft } from "./draft.ts";
import { failTask } from "./failure.ts";
import { checkParams, mergeParams } from "./params.ts";
import { succeedTask } from "./routing.ts";
import { isTaskActive } from "./state.ts";
import { markStarted } from "./tasks.ts";

function isThenable(value: unknown): boolean {
	return (
		typeof value === "object" &&
		value !== null &&
		typeof (value as { then?: unknown }).then === "function"
	);
}

/** Runs the inline tasks activated by the command, and those they activate in turn. */
export function runInlineTasks(d: Draft): void {
	// A loop of inline nodes ends at the step budget (P7): createTask stops creating tasks.
	for (let next = d.inlineRuns.shift(); next !== undefined; next = d.inlineRuns.shift()) {
		if (d.state.status !== "STARTED") {
			d.inlineRuns.length = 0;
			return;
		}
		const task = d.task(next.taskId);
		// Revoked by an XOR join, a boundary or a stop since it was activated: nothing to do (T8).
		if (!isTaskActive(task)) continue;
		if (next.kind === "succeed") {
			succeedTask(d, task, next.result);
			continue;
		}
		if (next.kind === "fail") {
			failTask(d, task, next.error);
			continue;
		}
		if (task.status !== "PENDING" || task.awaitingInput) continue;
		const spec = d.node(task.node).spec;
		const merged = mergeParams(d.workflow, d.state, task);
		const check = checkParams(spec.params, merged);
		markStarted(d, task);
		let result: unknown;
		try {
			result = spec.runInline?.(check.ok ? check.params : merged);
		} catch (error) {
			// A pure function fails the same way every time: no retry (T6 would only repeat it).
			const message = error instanceof Error ? error.message : String(error);
			failTask(d, task, { message, code: "inline_task_failed" });
			continue;
		}
		if (isThenable(result)) {
			// An async runInline would finish after the step's commit: refuse it rather than lose it.
			failTask(d, task, {
				message: `task type "${spec.name}" returned a promise from runInline; inline task types must be synchronous`,
				code: "inline_task_failed",
			});
			continue;
		}
		succeedTask(d, task, result ?? null);
	}
}
