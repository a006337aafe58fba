// A worker's report on the external task it locked (K1, K2): complete, fail, extend its lock or
// report progress. Judged inside the task's ProcessObject, in the same synchronous stretch as the
// commit, so the verdict is the truth of that moment: only the worker holding the lock of the
// current attempt changes anything; any other report is acknowledged as stale, with no effect (T8).
import {
	type Command,
	type CompiledWorkflow,
	findTask,
	isTaskActive,
	type ProcessState,
	type TaskState,
	type TaskStatus,
} from "../engine/index.ts";

export type WorkerAct =
	| { kind: "complete"; result: unknown; log?: string[] }
	| {
			kind: "fail";
			error: { message: string; code?: string };
			retryable: boolean;
			log?: string[];
	  }
	| { kind: "extend-lock"; lockMs: number }
	| { kind: "progress"; progress: number };

export interface WorkerReport {
	taskId: string;
	attempt: number;
	worker: string;
	/** The task types the caller may serve; null: any (an administrator's own session). */
	types: readonly string[] | null;
	act: WorkerAct;
}

/**
 * Why a report changed nothing: the task or its process ended (`finished`); the attempt is no
 * longer current, its lock having lapsed and the task offered again (`superseded`); or this worker
 * does not hold the attempt's lock (`not_holder`: another does, or nobody fetched it).
 */
export type StaleReason = "finished" | "superseded" | "not_holder";

/** The task as the worker may see it after its report. */
export interface ExternalTaskBrief {
	status: TaskStatus;
	attempt: number;
	progress: number;
	lockedBy?: string;
	lockedUntil?: number;
}

export type ReportAnswer =
	| { outcome: "applied"; task: ExternalTaskBrief; duplicate?: true }
	| { outcome: "stale"; reason: StaleReason; task: ExternalTaskBrief }
	| { outcome: "not_found" }
	| { outcome: "forbidden"; taskType: string };

/** The task and its type, when it is a task of an external type in this process. */
export function externalTaskOf(
	workflow: CompiledWorkflow,
	state: ProcessState,
	taskId: string,
): { task: TaskState; taskType: string } | undefined {
	const task = findTask(state, taskId);
	const spec = task ? workflow.nodes.get(task.node)?.spec : undefined;
	if (!task || spec?.mode !== "external") return undefined;
	return { task, taskType: spec.name };
}

/** K2: the attempt's lock ran out and the alarm has not turned it into a new attempt yet. */
export function lockLapsed(task: TaskState, now: number): boolean {
	return task.status === "STARTED" && task.leaseUntil !== undefined && task.leaseUntil <= now;
}

/** Why the report is stale, or undefined when it comes from the holder of the current lock. */
export function staleReason(
	state: ProcessState,
	task: TaskState,
	report: WorkerReport,
): StaleReason | undefined {
	if (state.status !== "STARTED" || !isTaskActive(task)) return "finished";
	if (task.attempt !== report.attempt) return "superseded";
	if (task.status !== "STARTED" || task.lockedBy !== report.worker) return "not_holder";
	return undefined;
}

/** The engine's command for the report. */
export function commandOf(report: WorkerReport): Command {
	const { taskId, attempt, act } = report;
	switch (act.kind) {
		case "complete":
			return {
				type: "CompleteTask",
				taskId,
				attempt,
				result: act.result,
				...(act.log ? { log: act.log } : {}),
			};
		case "fail":
			return {
				type: "FailTask",
				taskId,
				attempt,
				error: act.error,
				retryable: act.retryable,
				...(act.log ? { log: act.log } : {}),
			};
		case "extend-lock":
			return { type: "ExtendLock", taskId, attempt, lockMs: act.lockMs, worker: report.worker };
		case "progress":
			return { type: "ReportProgress", taskId, attempt, progress: act.progress };
	}
}

/**
 * Outcomes are keyed by task, attempt and worker, so a worker that lost the answer and reports
 * again is told it was applied (not that it is stale); extending and progress repeat harmlessly.
 */
export function reportKey(report: WorkerReport): string | undefined {
	const { kind } = report.act;
	if (kind !== "complete" && kind !== "fail") return undefined;
	return `external:${kind}:${report.taskId}:${report.attempt}:${report.worker}`;
}

export function briefOf(task: TaskState): ExternalTaskBrief {
	const brief: ExternalTaskBrief = {
		status: task.status,
		attempt: task.attempt,
		progress: task.progress,
	};
	if (task.status === "STARTED" && task.lockedBy !== undefined) {
		brief.lockedBy = task.lockedBy;
		if (task.leaseUntil !== undefined) brief.lockedUntil = task.leaseUntil;
	}
	return brief;
}
