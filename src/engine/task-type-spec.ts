// Task types as the engine sees them: a name, an execution mode, a params schema (which doubles as
// the form) and a retry policy. The code that runs them lives in src/tasks, never here.
import type { z } from "zod";

/** T6: attempts after the first, with exponential backoff between them. */
export interface RetryPolicy {
	/** Attempts after the first (default 3). */
	limit: number;
	backoffSeconds: number;
	factor: number;
	maxBackoffSeconds: number;
}

/**
 * How a task of this type runs:
 * - `job`: dispatched to the queue and run by a worker;
 * - `input`: a person answers; the submitted values are the result;
 * - `timer`: STARTED until a date or for a duration (params `until` or `duration`);
 * - `subprocess`: STARTED until the child process ends (params `workflow`, `version?`, `params?`);
 * - `message`: STARTED until a message of its name and correlation key arrives (N1; params
 *   `message`, `correlationKey`); the message's payload is its result;
 * - `send`: publishes a message (N2; params `message`, `correlationKey`, `payload?`) and succeeds;
 * - `error`: on an end node, ends its scope or process with an error code (X1); as a boundary,
 *   catches its host's error by code (B4);
 * - `scope`: STARTED while its inner graph runs (C1);
 * - `external`: offered to workers outside the Worker, who fetch and lock it over the API (K1).
 */
export type ExecutionMode =
	| "job"
	| "input"
	| "timer"
	| "subprocess"
	| "message"
	| "send"
	| "error"
	| "scope"
	| "external";

export interface TaskTypeSpec {
	name: string;
	title?: string;
	description?: string;
	mode: ExecutionMode;
	/** The params schema; `.meta({ title, description })` on fields makes the form. */
	params: z.ZodObject;
	/**
	 * Params a person reads on the task's page as its headline and details, never as inputs
	 * (question: its title and description). They are the author's words (T11).
	 */
	shows?: readonly string[];
	/** A form derived from the params (ask: the questions define the form). */
	formFor?(params: Record<string, unknown>): z.ZodObject;
	/** What the task returns, when known: lets validation spot conditions that never match. */
	result?: z.ZodType;
	/**
	 * A job whose result depends only on its params, computed synchronously with no I/O. Such a
	 * job may run inline (T9): the engine calls this inside the step instead of dispatching it.
	 */
	runInline?(params: Record<string, unknown>): unknown;
	retry: RetryPolicy;
}

export interface TaskCatalog {
	get(name: string): TaskTypeSpec | undefined;
	list(): TaskTypeSpec[];
}

export const DEFAULT_RETRY: RetryPolicy = {
	limit: 3,
	backoffSeconds: 10,
	factor: 2,
	maxBackoffSeconds: 3600,
};

/** T6: the delay before attempt `nextAttempt` (2, 3, …): backoff × factor^(n−2), capped. */
export function backoffSeconds(policy: RetryPolicy, nextAttempt: number): number {
	const exponent = Math.max(0, nextAttempt - 2);
	const delay = policy.backoffSeconds * policy.factor ** exponent;
	return Math.min(policy.maxBackoffSeconds, Math.round(delay));
}

/** A catalog over a fixed list of specs, by name. */
export function catalogOf(specs: readonly TaskTypeSpec[]): TaskCatalog {
	const byName = new Map(specs.map((s) => [s.name, s]));
	return { get: (name) => byName.get(name), list: () => [...byName.values()] };
}

/** T6: whether tasks of this mode make attempts that can fail and be retried (jobs, external). */
export function isRetriedMode(mode: ExecutionMode): boolean {
	return mode === "job" || mode === "external";
}
