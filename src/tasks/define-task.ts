// defineTask: a task type = the engine's spec (name, mode, params schema, retry policy) plus the
// code the queue consumer runs (run and the lifecycle hooks). Task code never reads env. An
// external type (K1) has no code here: its workers run it outside and report over the API.
import type { z } from "zod";
import {
	DEFAULT_RETRY,
	type ExecutionMode,
	type RetryPolicy,
	type TaskTypeSpec,
} from "../engine/index.ts";

/** What task code gets: its params and injected services. */
export interface TaskContext<P = Record<string, unknown>> {
	processId: string;
	taskId: string;
	attempt: number;
	/** `${processId}:${taskId}`: the same on every attempt, for external side effects (G3). */
	idempotencyKey: string;
	params: P;
	signal: AbortSignal;
	progress(n: number): Promise<void>;
	log(message: string): void;
	fetch: typeof fetch;
	/**
	 * T12: the value of a secret the node names (`{ "secret": "NAME" }`), read from the Worker's
	 * environment only inside the run; throws a PermanentTaskError when it may not be read or is
	 * not set. Never put its value in a result, a log line or an error message.
	 */
	secret(name: string): string;
}

export interface TaskHooks<P> {
	/** The job: its return value (any JSON) is the task's result. */
	run?(ctx: TaskContext<P>): unknown;
	onStart?(ctx: TaskContext<P>): void | Promise<void>;
	onSuccess?(ctx: TaskContext<P>, result: unknown): void | Promise<void>;
	onFailure?(ctx: TaskContext<P>, error: unknown): void | Promise<void>;
	onRetry?(ctx: TaskContext<P>, error: unknown): void | Promise<void>;
	onRevoke?(ctx: TaskContext<P>): void | Promise<void>;
}

/** A task type as the registry holds it: the spec plus the runtime functions. */
export interface TaskType<P = Record<string, unknown>> extends TaskTypeSpec, TaskHooks<P> {}

export interface TaskTypeOptions<S extends z.ZodObject> extends TaskHooks<z.output<S>> {
	name: string;
	title?: string;
	description?: string;
	/** Default "job"; "external": served by workers outside the Worker (K1), with no code here. */
	mode?: ExecutionMode;
	params: S;
	/** Params shown to a person as the task's headline and details, never as inputs (T11). */
	shows?: readonly (keyof z.output<S> & string)[];
	formFor?(params: Record<string, unknown>): z.ZodObject;
	result?: z.ZodType;
	retry?: Partial<RetryPolicy>;
	/**
	 * For a job whose result depends only on its params, computed synchronously with no I/O: it
	 * becomes the type's `run`, and nodes marked `inline` run it inside the engine's step (T9).
	 */
	runInline?(params: z.output<S>): unknown;
}

const HOOKS = ["run", "runInline", "onStart", "onSuccess", "onFailure", "onRetry", "onRevoke"];

/** Defines a task type; retry defaults to 3 attempts after the first with exponential backoff (T6). */
export function defineTask<S extends z.ZodObject>(options: TaskTypeOptions<S>): TaskType {
	const { retry, mode, ...rest } = options;
	const code = HOOKS.filter((hook) => hook in options);
	if (mode === "external" && code.length > 0) {
		// Nothing in the Worker would ever call them: the type's workers run outside (K1).
		throw new Error(
			`task type "${options.name}" is external: its workers run it, so it takes no ${code.join(", ")}`,
		);
	}
	const pure = options.runInline;
	return {
		...(pure && !rest.run ? { run: (ctx: TaskContext<z.output<S>>) => pure(ctx.params) } : {}),
		...rest,
		mode: mode ?? "job",
		retry: { ...DEFAULT_RETRY, ...(retry ?? {}) },
	} as TaskType;
}

/** A failure thrown by task code, with a code that failure routes and incidents show. */
abstract class TaskError extends Error {
	readonly code: string | undefined;
	constructor(message: string, options?: { code?: string; cause?: unknown }) {
		super(message, options?.cause === undefined ? undefined : { cause: options.cause });
		this.name = new.target.name;
		this.code = options?.code;
	}
}

/** Thrown by task code: the attempt failed, another may succeed (T6). */
export class RetryableTaskError extends TaskError {}

/** Thrown by task code: retrying will not help; the task fails at once. */
export class PermanentTaskError extends TaskError {}
