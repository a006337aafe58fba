// T13: the dispatch watchdog. A job sent to the queue must be claimed within a deadline; a message
// the queue lost (a crash-killed local queue, an outage) would otherwise leave the task PENDING or
// RETRY for ever. Past its deadline the same attempt is sent again (the claim makes a duplicate
// harmless, G3), with a growing deadline; after a few re-sends the task gets an incident, which
// its claim resolves.
import type { Draft } from "./draft.ts";
import type { TaskState } from "./state.ts";

/** How long a dispatched job may wait, past its delay, for a worker to claim it. */
export const DISPATCH_TIMEOUT_MS = 30_000;
/** After this many re-sends of one attempt the task gets a `dispatch_lost` incident. */
export const REDISPATCHES_BEFORE_INCIDENT = 3;
/** The growing deadline between re-sends stops growing here. */
export const MAX_REDISPATCH_WAIT_MS = 10 * 60_000;
/** The incident kind of a job that is not claimed after repeated re-sends. */
export const DISPATCH_LOST = "dispatch_lost";

/** Sends the task's current attempt to the queue and records when it must be claimed by. */
export function dispatchJob(d: Draft, task: TaskState, delaySeconds: number): void {
	task.dispatchDueBy = d.now + delaySeconds * 1000 + DISPATCH_TIMEOUT_MS;
	delete task.redispatches;
	d.emit({ type: "DispatchTask", taskId: task.id, attempt: task.attempt, delaySeconds });
}

/**
 * K1: offers an external task's current attempt to the workers of its type. No claim deadline: a
 * worker may come hours later, and the offer itself travels through the outbox (G6).
 */
export function offerTask(d: Draft, task: TaskState, delaySeconds: number): void {
	clearDispatch(task);
	const taskType = d.node(task.node).spec.name;
	d.emit({
		type: "OfferTask",
		taskId: task.id,
		attempt: task.attempt,
		taskType,
		priority: task.priority,
		delaySeconds,
	});
	d.log("TaskOffered", task, { attempt: task.attempt, taskType, delaySeconds });
}

/** Sends a job to the queue, or offers an external task to its workers (K1), after a delay. */
export function sendAttempt(d: Draft, task: TaskState, delaySeconds: number): void {
	if (d.node(task.node).spec.mode === "external") offerTask(d, task, delaySeconds);
	else dispatchJob(d, task, delaySeconds);
}

/** T13: a job whose current attempt was dispatched and not yet claimed. */
export function isAwaitingClaim(task: TaskState): boolean {
	return (
		task.dispatchDueBy !== undefined &&
		(task.status === "PENDING" || task.status === "RETRY") &&
		!task.awaitingInput
	);
}

/** The attempt was claimed (or the task stopped waiting for one): no deadline any more. */
export function clearDispatch(task: TaskState): void {
	delete task.dispatchDueBy;
	delete task.redispatches;
}

/**
 * T13 (the ProcessObject's alarm, with ctx.now): every unclaimed job past its deadline is sent
 * again, same attempt, and waits twice as long as before for its claim; the history records each
 * re-send, and the REDISPATCHES_BEFORE_INCIDENT-th raises a `dispatch_lost` incident on the task.
 */
export function redispatchJobs(d: Draft): void {
	if (d.state.status !== "STARTED") return;
	for (const shared of d.state.tasks) {
		if (!isAwaitingClaim(shared) || (shared.dispatchDueBy ?? Infinity) > d.now) continue;
		if (d.node(shared.node).spec.mode !== "job") continue;
		const task = d.editable(shared);
		const resends = (task.redispatches ?? 0) + 1;
		task.redispatches = resends;
		task.dispatchDueBy =
			d.now + Math.min(DISPATCH_TIMEOUT_MS * 2 ** resends, MAX_REDISPATCH_WAIT_MS);
		d.emit({ type: "DispatchTask", taskId: task.id, attempt: task.attempt, delaySeconds: 0 });
		d.log("TaskRedispatched", task, {
			attempt: task.attempt,
			resends,
			claimBy: task.dispatchDueBy,
		});
		if (resends === REDISPATCHES_BEFORE_INCIDENT && !hasOpenIncident(d, task)) {
			d.raiseIncident(
				DISPATCH_LOST,
				`attempt ${task.attempt} of task "${task.node}" was sent ${resends + 1} times and no worker claimed it`,
				task,
			);
		}
	}
}

/** T13: the claim that finally came closes the task's `dispatch_lost` incident. */
export function resolveDispatchLost(d: Draft, task: TaskState): void {
	if (task.incident === undefined) return;
	const incident = d.state.incidents.find((i) => i.id === task.incident);
	if (incident?.kind === DISPATCH_LOST) d.resolveIncidentOf(task);
}

function hasOpenIncident(d: Draft, task: TaskState): boolean {
	if (task.incident === undefined) return false;
	return d.state.incidents.some((i) => i.id === task.incident && i.resolvedAt === undefined);
}
