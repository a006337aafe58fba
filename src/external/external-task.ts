// What an external task is on its way between a process, its task type's board and a worker (K1,
// K2): the offer a process's outbox sends, the task a fetch hands out, the limits every door
// applies. Shared by the board, the outbox, the API and the token scopes, so none of them imports
// another's implementation. docs/architecture.md, "External tasks", has the design.

/** A task type's name, as workflows declare them in `externalTasks` (and registered types use). */
export const TASK_TYPE_RE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/** A worker's name: visible ASCII, so a host name, a pod name or a UUID fits. */
export const WORKER_ID_RE = /^[\x21-\x7e]{1,100}$/;

/** The most tasks one fetch hands out. */
export const MAX_TASKS_PER_FETCH = 50;
/** The most task types one fetch asks for. */
export const MAX_TYPES_PER_FETCH = 20;
/** A lock is at least a second (shorter ones lapse before the answer arrives) and at most an hour. */
export const MIN_LOCK_MS = 1_000;
export const MAX_LOCK_MS = 60 * 60 * 1000;
/** The job lease's length (LEASE_MS), when a fetch names none. */
export const DEFAULT_LOCK_MS = 5 * 60 * 1000;
/** The longest a fetch waits for work: well inside the timeouts of proxies and HTTP clients. */
export const MAX_WAIT_MS = 30_000;

/** K1: an attempt offered to the workers of its type, as the process's outbox sends it. */
export interface Offer {
	processId: string;
	taskId: string;
	attempt: number;
	/** 0 (highest) to 9: the task's priority. */
	priority: number;
	/** When the task was created: the oldest goes first, and a new attempt keeps its place. */
	since: number;
	/** When it may be handed out (after a retry's backoff, T6), epoch ms. */
	availableAt: number;
}

/** What a worker asks of one board: up to `max` ready attempts, locked for `lockMs`. */
export interface BoardFetch {
	worker: string;
	max: number;
	lockMs: number;
}

/** A task handed to a worker: locked for it until `lockedUntil` (K1). */
export interface LockedTask {
	id: string;
	processId: string;
	taskType: string;
	attempt: number;
	/** The merged params (T1), as the claim gives them. */
	params: Record<string, unknown>;
	/** `${processId}:${taskId}`, the same on every attempt, as the queue's TaskContext has it (G3). */
	idempotencyKey: string;
	/** Epoch ms; measured before the claim was sent, so never later than the process's own. */
	lockedUntil: number;
}

/** A board's contents, for tests and the consistency checks. */
export interface BoardContents {
	offers: (Offer & { taskType: string })[];
	/** Polls waiting for work right now. */
	waiting: number;
}

/** The TaskBoard's RPC methods (the class implements this; callers import only this). */
export interface TaskBoardRpc {
	offer(taskType: string, offer: Offer): Promise<void>;
	withdraw(taskId: string): Promise<void>;
	/** Claims up to `max` ready offers for the worker, at once (none ready: none). */
	fetchAndLock(taskType: string, request: BoardFetch): Promise<LockedTask[]>;
	/**
	 * A long poll's wait: true as soon as an offer is ready (at once if one is), false after
	 * `waitMs` (or at once when too many polls wait already). It claims nothing: the poll claims
	 * afterwards, so a poll whose client went away meanwhile never locks a task.
	 */
	waitForWork(waitMs: number): Promise<boolean>;
	contents(): Promise<BoardContents>;
}

/** The idempotency key a worker sends with its side effects: the same on every attempt (G3). */
export function idempotencyKeyOf(processId: string, taskId: string): string {
	return `${processId}:${taskId}`;
}
