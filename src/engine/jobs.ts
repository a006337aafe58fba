// Jobs run by the queue consumer (T5, T6, T8): claims with a lease, completions, failures with
// retries and backoff, progress reports, expired leases. Stale attempts are acknowledged, no effect.
import type { ClaimedJob, ClaimReply } from "./commands.ts";
import { offerTask, resolveDispatchLost, sendAttempt } from "./dispatch.ts";
import type { Draft } from "./draft.ts";
import { failTask } from "./failure.ts";
import { checkParams, mergeParams } from "./params.ts";
import { succeedTask } from "./routing.ts";
import { isTaskActive, type TaskState } from "./state.ts";
import { recordTaskLog } from "./task-log.ts";
import { backoffSeconds, isRetriedMode } from "./task-type-spec.ts";
import { CLAIM_LEASE_MS, LEASE_MS, markStarted } from "./tasks.ts";

/** T8: the task whose current attempt is `attempt`, a dispatched job of a running process. */
function currentJob(d: Draft, taskId: string, attempt: number): TaskState | undefined {
	if (d.state.status !== "STARTED") return undefined;
	const task = d.task(taskId);
	const isJob = isRetriedMode(d.node(task.node).spec.mode);
	if (
		!isJob ||
		!isTaskActive(task) ||
		task.attempt !== attempt ||
		task.awaitingInput ||
		task.awaitingAssignee
	)
		return undefined;
	return task;
}

/**
 * G3: the consumer asks before running an attempt. The current attempt of a dispatched job is
 * STARTED with a lease; a live lease answers `busy`; anything else is `stale` or `finished`.
 */
export function claimTask(
	d: Draft,
	taskId: string,
	attempt: number,
	lock: { lockMs?: number; worker?: string } = {},
): ClaimReply {
	const task = d.task(taskId);
	if (d.state.status !== "STARTED" || !isTaskActive(task))
		return { run: false, reason: "finished" };
	if (!currentJob(d, taskId, attempt)) return { run: false, reason: "stale" };
	if (task.status === "STARTED" && (task.leaseUntil ?? 0) > d.now)
		return { run: false, reason: "busy" };
	const spec = d.node(task.node).spec;
	const merged = mergeParams(d.workflow, d.state, task);
	const check = checkParams(spec.params, merged);
	markStarted(d, task);
	// K1: an external task is locked by its worker for the length it asked (the API bounds it).
	task.leaseUntil = d.now + (spec.mode === "external" ? (lock.lockMs ?? LEASE_MS) : CLAIM_LEASE_MS);
	if (spec.mode === "external" && lock.worker !== undefined) task.lockedBy = lock.worker;
	resolveDispatchLost(d, task);
	return { run: true, taskType: spec.name, params: check.ok ? check.params : merged };
}

/**
 * T14: the claim travels with the completion. Up to `max` of the jobs this step dispatched with no
 * delay are claimed for the completing worker, as a ClaimTask would claim them (STARTED, a lease,
 * TaskStarted), and their queue messages are dropped: the worker runs them next, with no queue hop
 * and no claim call. A worker that vanishes leaves a lease that lapses into a new attempt (T6).
 */
export function claimDispatched(d: Draft, max: number): ClaimedJob[] {
	const claimed: ClaimedJob[] = [];
	if (d.state.status !== "STARTED" || d.state.suspended) return claimed;
	const kept = d.effects.filter((effect) => {
		if (claimed.length >= max || effect.type !== "DispatchTask" || effect.delaySeconds !== 0)
			return true;
		const reply = claimTask(d, effect.taskId, effect.attempt);
		if (!reply.run) return true;
		claimed.push({
			taskId: effect.taskId,
			attempt: effect.attempt,
			taskType: reply.taskType,
			params: reply.params,
		});
		return false;
	});
	d.effects.splice(0, d.effects.length, ...kept);
	return claimed;
}

/** T5: the current attempt succeeded, its log lines first; stale completions are ignored (T8). */
export function completeTask(
	d: Draft,
	taskId: string,
	attempt: number,
	result: unknown,
	log?: readonly string[],
): void {
	const task = reportingJob(d, taskId, attempt, log);
	if (task) succeedTask(d, task, result);
}

/** T8: the current attempt that reports, with its log lines recorded first; else undefined. */
function reportingJob(
	d: Draft,
	taskId: string,
	attempt: number,
	log: readonly string[] | undefined,
): TaskState | undefined {
	const task = currentJob(d, taskId, attempt);
	if (task) recordTaskLog(d, task, attempt, log);
	return task;
}

/** T6: a retryable failure with attempts left becomes RETRY and is re-dispatched after a backoff. */
export function failJob(
	d: Draft,
	taskId: string,
	attempt: number,
	error: { message: string; code?: string },
	retryable: boolean,
	log?: readonly string[],
): void {
	const task = reportingJob(d, taskId, attempt, log);
	if (task) failAttempt(d, task, error, retryable);
}

function failAttempt(
	d: Draft,
	task: TaskState,
	error: { message: string; code?: string },
	retryable: boolean,
): void {
	if (!retryable || task.attempt >= task.maxAttempts) {
		failTask(d, task, error);
		return;
	}
	const policy = d.node(task.node).spec.retry;
	task.status = "RETRY";
	task.error = { ...error };
	task.attempt += 1;
	delete task.leaseUntil;
	const delaySeconds = backoffSeconds(policy, task.attempt);
	d.log("TaskRetried", task, { attempt: task.attempt, delaySeconds, error: task.error });
	sendAttempt(d, task, delaySeconds);
}

/**
 * T5: progress 0–100 of the current attempt; a job's report also renews its lease, as RenewLease
 * does (an external task's lock is renewed only by ExtendLock, K2: its worker chose its length).
 */
export function reportProgress(d: Draft, taskId: string, attempt: number, progress: number): void {
	const task = currentJob(d, taskId, attempt);
	if (task?.status !== "STARTED") return;
	task.progress = Math.max(0, Math.min(100, Math.floor(Number.isFinite(progress) ? progress : 0)));
	renewLive(d, task);
	d.log("TaskProgressed", task, { progress: task.progress });
}

/**
 * T6: the worker running a job keeps its lease CLAIM_LEASE_MS from now. Only a live lease of the
 * current attempt is renewed: once lapsed, the new attempt stands. The lease is bookkeeping, not
 * a fact of the process: no history event.
 */
export function renewLease(d: Draft, taskId: string, attempt: number): void {
	const task = currentJob(d, taskId, attempt);
	if (task?.status === "STARTED") renewLive(d, task);
}

function renewLive(d: Draft, task: TaskState): void {
	if (d.node(task.node).spec.mode !== "job" || (task.leaseUntil ?? 0) <= d.now) return;
	task.leaseUntil = Math.max(task.leaseUntil ?? 0, d.now + CLAIM_LEASE_MS);
}

/** K2: the worker holding the current attempt's lock keeps it `lockMs` from now; else nothing. */
export function extendLock(
	d: Draft,
	taskId: string,
	attempt: number,
	lockMs: number,
	worker?: string,
): void {
	const task = currentJob(d, taskId, attempt);
	if (task?.status !== "STARTED" || d.node(task.node).spec.mode !== "external") return;
	if (worker !== undefined && task.lockedBy !== undefined && task.lockedBy !== worker) return;
	if ((task.leaseUntil ?? 0) <= d.now) return;
	task.leaseUntil = d.now + lockMs;
	d.log("LockExtended", task, { attempt, until: task.leaseUntil });
}

/** A STARTED job whose lease ran out (its worker vanished) counts as a retryable failure. */
export function expireLeases(d: Draft): void {
	if (d.state.status !== "STARTED") return;
	for (const task of d.state.tasks) {
		if (task.status !== "STARTED" || task.leaseUntil === undefined || task.leaseUntil > d.now)
			continue;
		const mode = d.node(task.node).spec.mode;
		if (mode === "external") {
			relockable(d, d.editable(task));
			continue;
		}
		if (mode !== "job") continue;
		const lapsed = d.editable(task);
		failAttempt(d, lapsed, { message: "the worker's lease expired", code: "LEASE_EXPIRED" }, true);
		if (d.state.status !== "STARTED") return;
	}
}

/**
 * K2: an external task whose lock lapsed is offered again at once as a new attempt, so the late
 * report of the worker that lost it is stale (T8). A lapse is not a failure: it takes no retry.
 */
function relockable(d: Draft, task: TaskState): void {
	const worker = task.lockedBy;
	task.status = "RETRY";
	task.attempt += 1;
	task.maxAttempts += 1;
	delete task.leaseUntil;
	delete task.lockedBy;
	d.log("LockExpired", task, { attempt: task.attempt, ...(worker ? { worker } : {}) });
	offerTask(d, task, 0);
}
