// Tasks that wait inside the process: timers (`wait`), subprocesses and outside events. Their end
// arrives as a command; one that no longer applies is acknowledged with no effect (T8).
import type { DeliverReply } from "./commands.ts";
import type { Draft } from "./draft.ts";
import { revokeTask } from "./ending.ts";
import { failTask } from "./failure.ts";
import { recheckOrJoins } from "./firing.ts";
import { succeedTask } from "./routing.ts";
import { isTaskActive, type TaskState } from "./state.ts";
import type { ExecutionMode } from "./task-type-spec.ts";
import { createListener } from "./tasks.ts";

function waiting(d: Draft, taskId: string, mode: ExecutionMode): TaskState | undefined {
	if (d.state.status !== "STARTED") return undefined;
	const task = d.task(taskId);
	if (task.status !== "STARTED" || d.node(task.node).spec.mode !== mode) return undefined;
	return task;
}

/** A `wait` task's date came: it succeeds (result null) and the process routes on. */
export function fireTimer(d: Draft, taskId: string): void {
	const task = waiting(d, taskId, "timer");
	if (task && task.timerDueAt !== undefined && task.timerDueAt <= d.now) happened(d, task, null);
}

/**
 * W1: every timer due by now fires, earliest due time first (creation order between equals), in
 * one step. A timer revoked by an earlier one in the same step (an interrupting boundary, a race)
 * does nothing; a cycle's next listener is not due yet.
 */
export function fireDueTimers(d: Draft): void {
	if (d.state.status !== "STARTED") return;
	const due = d.state.tasks
		.filter((t) => t.status === "STARTED" && t.timerDueAt !== undefined && t.timerDueAt <= d.now)
		.sort((a, b) => (a.timerDueAt as number) - (b.timerDueAt as number));
	for (const task of due) {
		if (d.state.status !== "STARTED") return;
		fireTimer(d, task.id);
	}
}

/** A wait happened: a boundary listener fires on its host (B1), any other wait succeeds. */
function happened(d: Draft, task: TaskState, result: unknown): void {
	if (task.boundaryOf === undefined) succeedTask(d, task, result);
	else fireBoundary(d, task, result);
}

/**
 * B1–B3: a boundary fires. Interrupting: its host is revoked first (with what lives on it, the
 * firing listener spared). Non-interrupting: the host goes on, and a cycle with firings left sets
 * its next listener one period after this due time. Then the boundary takes its own path.
 */
function fireBoundary(d: Draft, listener: TaskState, result: unknown): void {
	const host = d.task(listener.boundaryOf as string);
	const node = d.node(listener.node);
	const name = node.def.name ?? node.key;
	if (!isTaskActive(host)) {
		// B1: a host that ended took its listeners with it; this one is left over (T8).
		revokeTask(d, listener, `host "${host.node}" ended`);
		return;
	}
	d.log("BoundaryFired", listener, {
		host: host.id,
		hostNode: host.node,
		name,
		interrupting: node.interrupting,
		...(listener.timerDueAt === undefined ? {} : { dueAt: listener.timerDueAt }),
	});
	if (node.interrupting) {
		revokeTask(d, host, `boundary "${name}" fired`, undefined, false, listener.id);
	} else if (listener.cycle && listener.timerDueAt !== undefined) {
		const { remaining, everyMs } = listener.cycle;
		if (remaining === null || remaining > 0) {
			createListener(d, host, node.key, {
				dueAt: listener.timerDueAt + everyMs,
				cycle: { remaining: remaining === null ? null : remaining - 1, everyMs },
			});
		}
	}
	succeedTask(d, listener, result);
}

/**
 * A subprocess task mirrors its child's end (W21): SUCCESS with the child's results as its result,
 * FAILURE (then failure routing), or REVOKED.
 */
export function endSubprocess(
	d: Draft,
	taskId: string,
	status: "SUCCESS" | "FAILURE" | "REVOKED",
	results: unknown[],
	error?: { message: string; code?: string },
): void {
	const task = waiting(d, taskId, "subprocess");
	if (!task) return;
	if (status === "SUCCESS") {
		succeedTask(d, task, [...results]);
	} else if (status === "FAILURE") {
		task.result = [...results];
		// X1: the child's error code (an error end event's) passes up, for a boundary to catch.
		failTask(d, task, error ?? { message: "the subprocess failed", code: "SUBPROCESS_FAILED" });
	} else {
		revokeTask(d, task, "the subprocess was revoked", undefined, true);
		recheckOrJoins(d);
	}
}

/** An outside event for an `event` task: it succeeds with the payload as its result. */
export function deliverEvent(d: Draft, taskId: string, payload: unknown): void {
	const task = waiting(d, taskId, "message");
	if (task) happened(d, task, payload === undefined ? null : payload);
}

/**
 * N1: a message for a waiting `message` task or boundary of that name and correlation key: it
 * succeeds with the payload as its result. The reply says whether it took the message (T8: one
 * that no longer waits, or waits for another message, does not).
 */
export function deliverMessage(
	d: Draft,
	taskId: string,
	message: { messageId: string; name: string; correlationKey: string; payload: unknown },
): void {
	const task = waiting(d, taskId, "message");
	const wanted = task?.message;
	if (
		!task ||
		!wanted ||
		wanted.name !== message.name ||
		wanted.correlationKey !== message.correlationKey
	) {
		d.reply = { delivered: false } satisfies DeliverReply;
		return;
	}
	d.log("MessageReceived", task, { messageId: message.messageId, name: message.name });
	happened(d, task, message.payload === undefined ? null : message.payload);
	d.reply = { delivered: true } satisfies DeliverReply;
}
