// The queue consumer, Baton's worker: claims an attempt from its ProcessObject, runs the task type
// with its hooks, and reports the outcome. Delivery is at least once, so a stale or duplicate
// message is acknowledged and skipped (G3); each message is acked only after the ProcessObject
// accepted its outcome (https://developers.cloudflare.com/queues/configuration/batching-retries/).

import { compiledWorkflow } from "../durable/compiled-workflows.ts";
import { processStub } from "../durable/process-client.ts";
import { type Answer, MAX_BATCH } from "../durable/process-rpc.ts";
import {
	boundLogLine,
	type ClaimReply,
	type Command,
	type FailReply,
	LEASE_MS,
	MAX_LOG_LINES,
	mergedParams,
	type TaskHookName,
} from "../engine/index.ts";
import { PermanentTaskError, type TaskContext, type TaskType } from "../tasks/define-task.ts";
import { type TaskRegistry, taskCatalog } from "../tasks/registry.ts";
import { type TaskMessage, taskMessageSchema } from "./messages.ts";
import { type SecretReader, secretReader } from "./task-secrets.ts";

/** Backoff for infrastructure retries (the ProcessObject unreachable); task retries are the engine's. */
export function redeliveryDelaySeconds(attempts: number): number {
	return Math.min(2 ** attempts, 300);
}

/** Handles a batch; `registry` is the deployment's task types (tests pass their own). */
export async function consumeTasks(
	batch: MessageBatch<unknown>,
	env: Env,
	registry: TaskRegistry = taskCatalog,
): Promise<void> {
	const parsed = batch.messages.map((message) => ({
		message,
		body: taskMessageSchema.safeParse(message.body),
	}));
	// One sender per process, told how many of the batch's runs will use it.
	const senders = new Map<string, CommandSender>();
	for (const { body } of parsed) {
		if (!body.success || body.data.type !== "run") continue;
		const { processId } = body.data;
		let sender = senders.get(processId);
		if (!sender) {
			sender = new CommandSender(processStub(env, processId));
			senders.set(processId, sender);
		}
		sender.active += 1;
	}
	await Promise.all(
		parsed.map(({ message, body }) =>
			consumeOne(
				message,
				body,
				env,
				registry,
				body.success ? senders.get(body.data.processId) : undefined,
			),
		),
	);
}

type Send = (command: Command, key?: string) => Promise<Answer>;

/**
 * The commands a batch's runs send to one process, coalesced: when every run still going has a
 * command waiting (the claims at first, then the outcomes of tasks that end together), they travel
 * in one `executeBatch` round trip and share one commit. Each keeps its own key and answer, so the
 * guarantees are those of one `execute` per command. A run that is slower than the others does not
 * hold them back for long: what waits is sent at the next turn of the event loop anyway.
 */
class CommandSender {
	/** Runs of the batch for this process that have not ended. */
	active = 0;
	private pending: {
		command: Command;
		key: string | undefined;
		resolve: (a: Answer) => void;
		reject: (e: unknown) => void;
	}[] = [];
	private timer: ReturnType<typeof setTimeout> | undefined;
	private readonly stub: ReturnType<typeof processStub>;

	constructor(stub: ReturnType<typeof processStub>) {
		this.stub = stub;
	}

	readonly send: Send = (command, key) =>
		new Promise<Answer>((resolve, reject) => {
			this.pending.push({ command, key, resolve, reject });
			this.flushWhenReady();
		});

	/** A run is over: the others may have been waiting for it. */
	leave(): void {
		this.active -= 1;
		this.flushWhenReady();
	}

	private flushWhenReady(): void {
		if (this.pending.length === 0) return;
		if (this.pending.length >= this.active) {
			if (this.timer !== undefined) clearTimeout(this.timer);
			this.timer = undefined;
			void this.flush();
		} else {
			this.timer ??= setTimeout(() => {
				this.timer = undefined;
				void this.flush();
			}, 0);
		}
	}

	private async flush(): Promise<void> {
		while (this.pending.length > 0) {
			const batch = this.pending.splice(0, MAX_BATCH);
			try {
				const answers =
					batch.length === 1 && batch[0]
						? [await this.stub.execute(batch[0].command, batch[0].key)]
						: await this.stub.executeBatch(
								batch.map(({ command, key }) =>
									key === undefined ? { command } : { command, key },
								),
							);
				batch.forEach((p, i) => {
					const answer = answers[i];
					if (answer) p.resolve(answer);
					else p.reject(new Error("no answer for a batched command"));
				});
			} catch (e) {
				for (const p of batch) p.reject(e);
			}
		}
	}
}

async function consumeOne(
	message: Message<unknown>,
	parsed: ReturnType<typeof taskMessageSchema.safeParse>,
	env: Env,
	registry: TaskRegistry,
	sender: CommandSender | undefined,
): Promise<void> {
	if (!parsed.success) {
		// Nothing sent this; retrying cannot make it valid.
		log("error", { where: "queue", error: "malformed task message", issues: parsed.error.issues });
		message.ack();
		return;
	}
	try {
		if (parsed.data.type === "run" && sender) {
			try {
				await runAttempt(parsed.data, message.id, sender.send, registry, secretReader(env));
			} finally {
				sender.leave();
			}
		} else if (parsed.data.type === "revoke") await runRevokeHook(parsed.data, env, registry);
		message.ack();
	} catch (e) {
		log("warn", { where: "queue", ...parsed.data, deliveries: message.attempts, error: String(e) });
		message.retry({ delaySeconds: redeliveryDelaySeconds(message.attempts) });
	}
}

async function runAttempt(
	m: Extract<TaskMessage, { type: "run" }>,
	messageId: string,
	send: Send,
	registry: TaskRegistry,
	secret: SecretReader,
): Promise<void> {
	// Keyed by the message id: when the claim's answer was lost, the redelivery of this same message
	// gets the same answer and runs, instead of finding its own lease "busy" until it expires.
	const claimed = await send(
		{ type: "ClaimTask", taskId: m.taskId, attempt: m.attempt },
		`claim:${m.taskId}:${m.attempt}:${messageId}`,
	);
	if (!claimed.ok) return; // the process is gone or finished: nothing to run
	const claim = claimed.reply as ClaimReply;
	if (!claim.run) return;

	const type = registry.getRunnable(claim.taskType);
	const lines = new LogLines();
	const fail = (message: string, retryable: boolean, code?: string) =>
		send(
			{
				type: "FailTask",
				taskId: m.taskId,
				attempt: m.attempt,
				error: code ? { message, code } : { message },
				retryable,
				...lines.take(),
			},
			`fail:${m.taskId}:${m.attempt}`,
		);
	if (!type?.run) {
		await fail(
			`No runnable task type "${claim.taskType}" in this deployment.`,
			false,
			"unknown_task_type",
		);
		return;
	}
	const params = type.params.safeParse(claim.params);
	if (!params.success) {
		await fail(`Invalid params: ${params.error.message}`, false, "invalid_params");
		return;
	}
	const ctx = taskContext(m, params.data as Record<string, unknown>, send, lines, secret);
	await runHook(type, "onStart", ctx, send);
	let result: unknown;
	try {
		result = (await type.run(ctx)) ?? null;
	} catch (error) {
		const retryable = !(error instanceof PermanentTaskError);
		const code = (error as { code?: unknown }).code;
		const answer = await fail(
			errorMessage(error),
			retryable,
			typeof code === "string" ? code : undefined,
		);
		const status = answer.ok ? (answer.reply as FailReply).status : undefined;
		if (status === "RETRY") await runHook(type, "onRetry", ctx, send, error);
		else if (status === "FAILURE") await runHook(type, "onFailure", ctx, send, error);
		await sendLog(m, lines, send, "after");
		return;
	}
	const done = await send(
		{ type: "CompleteTask", taskId: m.taskId, attempt: m.attempt, result, ...lines.take() },
		`complete:${m.taskId}:${m.attempt}`,
	);
	if (done.ok) await runHook(type, "onSuccess", ctx, send, result);
	await sendLog(m, lines, send, "after");
}

/**
 * ctx.log: the lines of one run (onStart, run) go with its outcome; lines its hooks log after the
 * outcome go in one RecordTaskLog. At most MAX_LOG_LINES are kept, each bounded in length; the
 * rest are counted, and the count is recorded as a last line.
 */
class LogLines {
	private lines: string[] = [];
	private dropped = 0;

	add(message: unknown): void {
		if (this.lines.length < MAX_LOG_LINES) this.lines.push(boundLogLine(message));
		else this.dropped += 1;
	}

	/** The lines so far, as a command's `log` field (none when nothing was logged), then empty. */
	take(): { log?: string[] } {
		if (this.lines.length === 0 && this.dropped === 0) return {};
		const log = this.lines;
		if (this.dropped > 0)
			log.push(`… ${this.dropped} more line${this.dropped === 1 ? "" : "s"} not recorded`);
		this.lines = [];
		this.dropped = 0;
		return { log };
	}
}

async function sendLog(
	m: { taskId: string; attempt: number },
	lines: LogLines,
	send: Send,
	when: "after" | "revoke",
): Promise<void> {
	const { log } = lines.take();
	if (!log) return;
	await send(
		{ type: "RecordTaskLog", taskId: m.taskId, attempt: m.attempt, lines: log },
		`log:${m.taskId}:${m.attempt}:${when}`,
	);
}

async function runRevokeHook(
	m: Extract<TaskMessage, { type: "revoke" }>,
	env: Env,
	registry: TaskRegistry,
): Promise<void> {
	const type = registry.getRunnable(m.taskType);
	if (!type?.onRevoke) return;
	const stub = processStub(env, m.processId);
	const send = async (command: Command, key?: string): Promise<Answer> =>
		stub.execute(command, key);
	// The same merged params (T1) the task's run got, from the pinned definition.
	const view = await stub.view();
	const known = view?.state.tasks.some((t) => t.id === m.taskId);
	const params =
		view && known ? mergedParams(compiledWorkflow(view.definition), view.state, m.taskId) : {};
	const lines = new LogLines();
	await runHook(type, "onRevoke", taskContext(m, params, send, lines, secretReader(env)), send);
	await sendLog(m, lines, send, "revoke");
}

/** T7: a hook that throws is written to the task's history and changes no status. */
async function runHook(
	type: TaskType,
	hook: TaskHookName,
	ctx: TaskContext,
	send: (command: Command, key?: string) => Promise<Answer>,
	arg?: unknown,
): Promise<void> {
	const fn = type[hook] as ((ctx: TaskContext, arg?: unknown) => unknown) | undefined;
	if (!fn) return;
	try {
		await fn(ctx, arg);
	} catch (error) {
		await send(
			{ type: "RecordHookFailure", taskId: ctx.taskId, hook, message: errorMessage(error) },
			`hook:${ctx.taskId}:${ctx.attempt}:${hook}`,
		);
	}
}

function taskContext(
	m: { processId: string; taskId: string; attempt: number },
	params: Record<string, unknown>,
	send: (command: Command, key?: string) => Promise<Answer>,
	lines: LogLines,
	secret: SecretReader,
): TaskContext {
	return {
		processId: m.processId,
		taskId: m.taskId,
		attempt: m.attempt,
		idempotencyKey: `${m.processId}:${m.taskId}`,
		params,
		// Aborted after the lease the engine grants a claim: past it the job may be dispatched again.
		signal: AbortSignal.timeout(LEASE_MS),
		progress: async (n: number) => {
			await send({ type: "ReportProgress", taskId: m.taskId, attempt: m.attempt, progress: n });
		},
		log: (message: string) => {
			lines.add(message);
			log("info", { processId: m.processId, taskId: m.taskId, attempt: m.attempt, message });
		},
		fetch: (input, init) => fetch(input, init),
		secret,
	};
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function log(level: "info" | "warn" | "error", fields: Record<string, unknown>): void {
	console.log(JSON.stringify({ level, ...fields }));
}
