// What can be asked of a process: the commands `step` accepts, and who asks (Actor).

/** Who issues a command; the adapter authenticates, the engine authorises task-level acts (T4). */
export interface Actor {
	id: string;
	name?: string;
	roles: string[];
	isAdmin?: boolean;
}

/** H3, H4: the person a task is handed to, with the roles they hold now (read by the adapter). */
export interface HandOverTarget {
	id: string;
	roles: readonly string[];
}

export type Command =
	| { type: "StartProcess" }
	| { type: "StopProcess"; actor?: Actor }
	/**
	 * The queue consumer asks to run a job, or a worker fetches an external task (K1, with the
	 * lock's length and the worker's name); reply is a ClaimReply.
	 */
	| { type: "ClaimTask"; taskId: string; attempt: number; lockMs?: number; worker?: string }
	/** K2: the worker holding an external task's lock keeps it `lockMs` longer from now. */
	| { type: "ExtendLock"; taskId: string; attempt: number; lockMs: number; worker?: string }
	/**
	 * `log`: the lines the run logged (ctx.log), recorded before the outcome. `claimNext` (T14): the
	 * caller also claims up to this many of the jobs the completion dispatches at once, and runs
	 * them itself; the reply is a CompleteReply.
	 */
	| {
			type: "CompleteTask";
			taskId: string;
			attempt: number;
			result?: unknown;
			log?: string[];
			claimNext?: number;
	  }
	| {
			type: "FailTask";
			taskId: string;
			attempt: number;
			error: { message: string; code?: string };
			retryable: boolean;
			log?: string[];
	  }
	/** Lines a task's hooks logged after its outcome (or onRevoke); recorded even when finished. */
	| { type: "RecordTaskLog"; taskId: string; attempt: number; lines: string[] }
	| { type: "ReportProgress"; taskId: string; attempt: number; progress: number }
	/** T14: the worker of a job claimed with a completion keeps its short lease while it runs. */
	| { type: "RenewLease"; taskId: string; attempt: number }
	| { type: "SubmitValues"; taskId: string; values: Record<string, unknown>; actor: Actor }
	| { type: "RevokeTask"; taskId: string; actor?: Actor }
	/** Admin: a task with an incident, or a FAILURE task of a running process, gets a new attempt. */
	| { type: "RetryTask"; taskId: string; actor?: Actor }
	| { type: "AssignTask"; taskId: string; assignee: string | null; actor?: Actor }
	/** H2: the assignee gives the task back to its role's queue. */
	| { type: "UnclaimTask"; taskId: string; actor: Actor; note?: string }
	/** H3: whoever may act on the task hands it to another member of its role. */
	| { type: "DelegateTask"; taskId: string; to: HandOverTarget; actor: Actor; note?: string }
	/**
	 * H4: an admin, or (`granted`) a holder of the reassign grant on the workflow, gives the task
	 * to a member of its role, or back to the queue (`to` null).
	 */
	| {
			type: "ReassignTask";
			taskId: string;
			to: HandOverTarget | null;
			actor: Actor;
			granted: boolean;
			note?: string;
	  }
	| { type: "FireTimer"; taskId: string }
	/** W1, uses ctx.now: every timer due by now fires, earliest first, in one step. */
	| { type: "FireDueTimers" }
	| {
			type: "EndSubprocess";
			taskId: string;
			status: "SUCCESS" | "FAILURE" | "REVOKED";
			results: unknown[];
			/** X1: the child's error (an error end event's code) that a boundary may catch. */
			error?: { message: string; code?: string };
	  }
	/**
	 * N1: a published message for a waiting `message` task or boundary. Send it keyed by the
	 * message id; the reply says whether this task took it (false: it no longer waits, T8).
	 */
	| {
			type: "DeliverMessage";
			taskId: string;
			messageId: string;
			name: string;
			correlationKey: string;
			payload: unknown;
	  }
	| { type: "DeliverEvent"; taskId: string; payload: unknown }
	/** Uses ctx.now: STARTED jobs past their lease get a new attempt. */
	| { type: "ExpireLeases" }
	/** T13, uses ctx.now: dispatched jobs not claimed by their deadline are sent again. */
	| { type: "RedispatchJobs" }
	| { type: "RecordIncident"; taskId?: string; kind: string; message: string }
	/** T7: a task type's hook threw in the worker; logged on the task, no status changes. */
	| { type: "RecordHookFailure"; taskId: string; hook: TaskHookName; message: string }
	| { type: "ResolveIncident"; incidentId: string; actor?: Actor }
	| { type: "RaiseStepBudget"; stepBudget: number; actor?: Actor }
	/** O1: an admin suspends a running process: nothing starts, fires or is accepted from people. */
	| { type: "SuspendProcess"; actor?: Actor; reason?: string }
	/** O1: the suspended process goes on; what came in or came due meanwhile runs now, in order. */
	| { type: "ResumeProcess"; actor?: Actor }
	/**
	 * O3: an admin corrects values before a retry: the process params (no taskId) or the values
	 * a failed task runs with; the history keeps the old and the new.
	 */
	| { type: "CorrectValues"; taskId?: string; values: Record<string, unknown>; actor?: Actor };

export type CommandType = Command["type"];

export type TaskHookName = "onStart" | "onSuccess" | "onFailure" | "onRetry" | "onRevoke";

/** Reply to DeliverMessage: whether the task took the message. */
export interface DeliverReply {
	delivered: boolean;
}

/** Reply to FailTask: where the task stands now (RETRY: another attempt is dispatched). */
export interface FailReply {
	status: "RETRY" | "FAILURE" | "STARTED" | "PENDING" | "SUCCESS" | "REVOKED";
}

/** T14: a job claimed by the completion that dispatched it, for the completing worker to run. */
export interface ClaimedJob {
	taskId: string;
	attempt: number;
	taskType: string;
	params: Record<string, unknown>;
}

/** Reply to a CompleteTask with `claimNext` (T14): the jobs its caller now holds the lease of. */
export interface CompleteReply {
	next: ClaimedJob[];
}

/** Reply to ClaimTask: run it (with the cleaned params), or why not. */
export type ClaimReply =
	| { run: true; taskType: string; params: Record<string, unknown> }
	| { run: false; reason: "stale" | "busy" | "finished" | "suspended" };
