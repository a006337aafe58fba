// Process state: plain JSON that survives JSON.parse(JSON.stringify()) after every step. Owns the
// status tables of processes and tasks and the creation of a new process (S1).

import type { Command } from "./commands.ts";
import type { CompiledWorkflow } from "./compile.ts";
import type { HistoryEvent } from "./events.ts";
import { DEFAULT_STEP_BUDGET } from "./model.ts";
import { startParamsOrThrow } from "./start-form.ts";

/**
 * Process statuses. Legal transitions:
 * PENDING → STARTED (StartProcess); STARTED → SUCCESS (P1) | FAILURE (P2) | REVOKED (P3).
 * Finished (SUCCESS, FAILURE, REVOKED) is final (P4).
 */
export type ProcessStatus = "PENDING" | "STARTED" | "SUCCESS" | "FAILURE" | "REVOKED";

/**
 * Task statuses. Legal transitions:
 * PENDING → STARTED (claimed / timer, subprocess or event set) | SUCCESS (input answered) | REVOKED;
 * STARTED → SUCCESS | RETRY | FAILURE | REVOKED; RETRY → STARTED | FAILURE | REVOKED;
 * FAILURE → PENDING (admin retry while the process runs). Active = PENDING, STARTED, RETRY.
 */
export type TaskStatus = "PENDING" | "STARTED" | "RETRY" | "SUCCESS" | "FAILURE" | "REVOKED";

export interface Incident {
	id: string;
	kind: "no_assignee" | "dead_letter" | "step_budget" | "stuck" | "task_failed" | (string & {});
	taskId?: string;
	message: string;
	at: number;
	resolvedAt?: number;
}

/** A token on a transition (index into the definition's transitions), left by a routed task. */
export interface Arrival {
	id: string;
	transition: number;
	fromTask: string;
	at: number;
	/** C1: the scope task instance the token runs in (absent at the top level). */
	scope?: string;
}

/** M1: the body of a multi-instance node: one task that holds its instances' outcome. */
export interface MultiInstanceState {
	items: unknown[];
	/** Instances created so far (sequential: one at a time). */
	created: number;
	/** Instances that ended (any status). */
	completed: number;
	/** Results in item order; null until the instance succeeds. */
	results: unknown[];
}

/** N1: what a `message` task or boundary waits for. */
export interface MessageWait {
	name: string;
	correlationKey: string;
}

export interface TaskState {
	/** `${processId}/t${n}`, n from the process's `seq`. */
	id: string;
	node: string;
	status: TaskStatus;
	/** 1-based, current attempt. */
	attempt: number;
	maxAttempts: number;
	role?: string;
	assignee?: string | null;
	priority: number;
	/** Task-level params (T1). */
	params: Record<string, unknown>;
	/** Values a person submitted (T4). */
	values?: Record<string, unknown>;
	/** Fields still required before the task can run (T2). */
	requiredFields: string[];
	/** True while the task waits for a person (a RequestInput was emitted). */
	awaitingInput: boolean;
	result?: unknown;
	error?: { message: string; code?: string };
	progress: number;
	createdAt: number;
	startedAt?: number;
	endedAt?: number;
	leaseUntil?: number;
	timerDueAt?: number;
	childProcessId?: string;
	correlationKey?: string;
	submittedBy?: string;
	submittedAt?: number;
	/** Id of the open incident on this task, if any. */
	incident?: string;
	/** The arrivals consumed when this task was created (empty for a start task). */
	firedBy: Arrival[];
	/** T13: when the dispatched, not yet claimed, current attempt must be claimed by (epoch ms). */
	dispatchDueBy?: number;
	/** T13: how many times the current attempt's dispatch was sent again. */
	redispatches?: number;
	/** T3: a task of a node with a role waits for its assignee before it is activated. */
	awaitingAssignee?: boolean;
	/** R4: the arrivals its failure deposited (failure routes or the alternative way, R3). */
	failureArrivals?: string[];
	/** H1: when the task is due (epoch ms): past it, it is overdue. */
	dueAt?: number;
	/** H1: when to look at the task again (epoch ms). */
	followUpAt?: number;
	/** B1: a boundary task: the id of the host task it listens on. */
	boundaryOf?: string;
	/** B3: a cycle timer (`R3/PT1H`): firings left after this one (null: unbounded) and the period. */
	cycle?: { remaining: number | null; everyMs: number };
	/** C1: the scope task instance this task runs in (absent at the top level). */
	scope?: string;
	/** M1: an instance of a multi-instance node: its body task and its item's index. */
	instanceOf?: string;
	instanceIndex?: number;
	/** M1: the body of a multi-instance node. */
	multi?: MultiInstanceState;
	/** N1: the message a waiting `message` task or boundary subscribed to. */
	message?: MessageWait;
	/** E1: the task of the event-based gateway whose race this wait is in. */
	raceOf?: string;
	/** K1: the worker that holds the lock of an external task's current attempt (until leaseUntil). */
	lockedBy?: string;
}

export interface ProcessState {
	id: string;
	name?: string;
	workflow: { key: string; version: number };
	status: ProcessStatus;
	params: Record<string, unknown>;
	priority: number;
	createdAt: number;
	startedAt?: number;
	endedAt?: number;
	/** In creation order. */
	tasks: TaskState[];
	/** Unconsumed arrivals, in deposit order. */
	arrivals: Arrival[];
	/** Task counter: the last task is `t${seq}`. */
	seq: number;
	arrivalSeq: number;
	incidentSeq: number;
	stepBudget: number;
	/** Task creations so far (P7). */
	stepsUsed: number;
	/** Start nodes not yet created because the step budget ran out (P7). */
	pendingStarts: string[];
	incidents: Incident[];
	/** Results of the end-node tasks that succeeded (P1). */
	results: unknown[];
	parent?: { processId: string; taskId: string };
	/** S4: the message that started the process, until its start nodes took it. */
	startMessage?: StartMessage;
	/** O1: set while an admin has the process suspended. */
	suspended?: { at: number; by?: string; reason?: string };
	/** O1: what came in while suspended (completions, messages, a child's end), applied on resume. */
	held?: HeldCommand[];
}

/** O1: a command that arrived while the process was suspended, kept to run on resume. */
export interface HeldCommand {
	command: Command;
	at: number;
}

export interface StepContext {
	/** The current time, epoch ms: the engine never reads a clock. */
	now: number;
}

export interface CreateProcessInit {
	id: string;
	params?: Record<string, unknown>;
	priority?: number | null;
	parent?: { processId: string; taskId: string };
	stepBudget?: number;
	name?: string;
	/** S4: the message that starts this process; start nodes that catch its name take it. */
	startMessage?: StartMessage;
}

/** S4: a message that starts a process (a message start). */
export interface StartMessage {
	id: string;
	name: string;
	payload: unknown;
}

/** The statuses of a task that has not ended: what lists, counts and permission checks call active. */
export const ACTIVE_TASK_STATUSES = [
	"PENDING",
	"STARTED",
	"RETRY",
] as const satisfies readonly TaskStatus[];
export type ActiveTaskStatus = (typeof ACTIVE_TASK_STATUSES)[number];

const ACTIVE: ReadonlySet<string> = new Set(ACTIVE_TASK_STATUSES);
/** The statuses of a process that has ended: final (P4). */
export const FINISHED_PROCESS_STATUSES = [
	"SUCCESS",
	"FAILURE",
	"REVOKED",
] as const satisfies readonly ProcessStatus[];
/** The statuses of a process that has not ended. */
export const RUNNING_PROCESS_STATUSES = [
	"PENDING",
	"STARTED",
] as const satisfies readonly ProcessStatus[];

const FINISHED: ReadonlySet<ProcessStatus> = new Set(FINISHED_PROCESS_STATUSES);

/** True for an active status; takes any text, such as an index row's status. */
export function isActiveTaskStatus(status: string): status is ActiveTaskStatus {
	return ACTIVE.has(status);
}

export function isTaskActive(task: TaskState): boolean {
	return isActiveTaskStatus(task.status);
}

export function isProcessFinished(state: ProcessState): boolean {
	return FINISHED.has(state.status);
}

/**
 * S1: a new process is PENDING with no tasks; a null priority inherits the workflow's. Its params
 * are what the starter gave, checked against the start form with its defaults (T10).
 */
export function createProcess(
	workflow: CompiledWorkflow,
	init: CreateProcessInit,
	ctx: StepContext,
): ProcessState {
	const def = workflow.definition;
	const state: ProcessState = {
		id: init.id,
		workflow: { key: def.key, version: workflow.version },
		status: "PENDING",
		params: startParamsOrThrow(workflow, init.params ?? {}),
		priority: init.priority ?? workflow.priority,
		createdAt: ctx.now,
		tasks: [],
		arrivals: [],
		seq: 0,
		arrivalSeq: 0,
		incidentSeq: 0,
		stepBudget: init.stepBudget ?? def.stepBudget ?? DEFAULT_STEP_BUDGET,
		stepsUsed: 0,
		pendingStarts: [],
		incidents: [],
		results: [],
	};
	if (init.name !== undefined) state.name = init.name;
	if (init.parent) state.parent = { ...init.parent };
	if (init.startMessage) state.startMessage = { ...init.startMessage };
	return state;
}

/** The history event of a process's creation (createProcess returns only the state). */
export function processCreatedEvent(state: ProcessState): HistoryEvent {
	return {
		type: "ProcessCreated",
		at: state.createdAt,
		data: { workflow: { ...state.workflow }, params: state.params, priority: state.priority },
	};
}

/** The task with this id, or undefined. */
export function findTask(state: ProcessState, taskId: string): TaskState | undefined {
	return state.tasks.find((t) => t.id === taskId);
}
