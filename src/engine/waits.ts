// Tasks that wait inside the process: timers (`wait`), subprocesses and outside events. Their end
// arrives as a command; one that no longer applies is acknowledged with no effect (T8).
import type { DeliverReply } from "./commands.ts";
import type { Draft } from "./draft.ts";
import { revokeTask } from "./ending.ts";
import { failTask } from "./failure.ts";
import { recheckOrJoins } from "./firing.ts";
import { succeedTask } from "./routing.ts";
import type { TaskState } from "./state.ts";
import type { ExecutionMode } from "./task-type-spec.ts";

function waiting(d: Draft, taskId: string, mode: ExecutionMode): TaskState | undefined {
	if (d.state.status !== "STARTED") return undefined;
	const task = d.task(taskId);
	if (task.status !== "STARTED" || d.node(task.node).spec.mode !== mode) return undefined;
	return task;
}

/** A `wait` task's date came: it succeeds (result null) and the process routes on. */
export function fireTimer(d: Draft, taskId: string): void {
	const task = waiting(d, taskId, "timer");
	if (task && (task.timerDueAt ?? 0) <= d.now) succeedTask(d, task, null);
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
): void {
	const task = waiting(d, taskId, "subprocess");
	if (!task) return;
	if (status === "SUCCESS") {
		succeedTask(d, task, [...results]);
	} else if (status === "FAILURE") {
		task.result = [...results];
		failTask(d, task, { message: "the subprocess failed", code: "SUBPROCESS_FAILED" });
	} else {
		revokeTask(d, task, "the subprocess was revoked", undefined, true);
		recheckOrJoins(d);
	}
}

/** An outside event for an `event` task: it succeeds with the payload as its result. */
export function deliverEvent(d: Draft, taskId: string, payload: unknown): void {
	const task = waiting(d, taskId, "message");
	if (task) succeedTask(d, task, payload === undefined ? null : payload);
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
	succeedTask(d, task, message.payload === undefined ? null : message.payload);
	d.reply = { delivered: true } satisfies DeliverReply;
}
