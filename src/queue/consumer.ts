// The queue consumer, Baton's worker: claims an attempt from its ProcessObject, runs the task type
// with its hooks, and reports the outcome. Delivery is at least once, so a stale or duplicate
// message is acknowledged and skipped (G3); each message is acked only after the ProcessObject
// accepted its outcome (https://developers.cloudflare.com/queues/configuration/batching-retries/).
// The completion also claims the jobs it dispatches (T14), which this batch then runs itself.

import { compiledWorkflow } from "../durable/compiled-workflows.ts";
import { processStub } from "../durable/process-client.ts";
import { type Answer, MAX_BATCH } from "../durable/process-rpc.ts";
import {
	boundLogLine,
	type ClaimedJob,
	type ClaimReply,
	type Command,
	type CompleteReply,
	type FailReply,
	LEASE_MS,
	MAX_LOG_LINES,
	mergedParams,
	type TaskHookName,
} from "../engine/index.ts";
import { PermanentTaskError, type TaskContext, type TaskType } from "../tasks/define-task.ts";
import { type TaskRegistry, taskCatalog } from "../tasks/registry.ts";
import { LeaseKeeper } from "./lease-keeper.ts";
import { type TaskMessage, taskMessageSchema } from "./messages.ts";
import { type SecretReader, secretReader } from "./task-secrets.ts";

/** Backoff for infrastructure retries (the ProcessObject unreachable); task retries are the engine's. */
export function redeliveryDelaySeconds(attempts: number): number {
	return Math.min(2 ** attempts, 300);
}

/** T14: the most jobs one completion claims for its worker (a fan-out beyond it goes by the queue). */
export const CLAIM_NEXT_MAX = 25;
/**
 * T14: about the most jobs a batch's completions claim in all, and for how long after the batch
 * began they may: each claimed job costs the invocation one call to its process (a subrequest:
 * 10,000 per invocation on Workers Paid, 50 on Free,
 * https://developers.cloudflare.com/workers/platform/limits/; the batch's own messages take two
 * each), and a long chain should yield to the queue now and then rather than hold one invocation.
 * Completions in flight together may each claim up to CLAIM_NEXT_MAX before the count catches up.
 * Past either bound, the next jobs go by the queue as before.
 */
export const RUN_ON_TASKS = 500;
export const RUN_ON_MS = 30_000;

/** What the batch may still claim with its completions (T14), and the leases of what it runs. */
class RunOnBudget {
	private claimed = 0;
	private readonly until = Date.now() + RUN_ON_MS;
	readonly leases = new LeaseKeeper();

	/** How many jobs the next completion may claim. */
	allowance(): number {
		if (Date.now() > this.until) return 0;
		return Math.max(0, Math.min(CLAIM_NEXT_MAX, RUN_ON_TASKS - this.claimed));
	}

	spend(n: number): void {
		this.claimed += n;
	}
}

/**
 * Handles a batch; `registry` is the deployment's task types (tests pass their own). The jobs the
 * batch's completions claim (T14) run on in `ctx.waitUntil`: the invocation is done once its own
 * messages are answered, so a long chain does not hold the queue's next batch back (a local queue
 * dispatches one batch at a time) and their leases cover them as before. Without a `ctx` they are
 * awaited.
 */
export async function consumeTasks(
	batch: MessageBatch<unknown>,
	env: Env,
	registry: TaskRegistry = taskCatalog,
	ctx?: Pick<ExecutionContext, "waitUntil">,
): Promise<void> {
	const budget = new RunOnBudget();
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
				budget,
				ctx,
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

	/** `n` more runs (jobs claimed by a completion, T14) will send through this sender. */
	join(n: number): void {
		this.active += n;
	}

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
	budget: RunOnBudget,
	ctx: Pick<ExecutionContext, "waitUntil"> | undefined,
): Promise<void> {
	if (!parsed.success) {
		// Nothing sent this; retrying cannot make it valid.
		log("error", { where: "queue", error: "malformed task message", issues: parsed.error.issues });
		message.ack();
		return;
	}
	let next: ClaimedJob[] = [];
	try {
		if (parsed.data.type === "run" && sender) {
			const run = { message: parsed.data, messageId: message.id };
			try {
				next = await runAttempt(run, sender.send, registry, secretReader(env), budget);
				sender.join(next.length);
			} finally {
				sender.leave();
			}
		} else if (parsed.data.type === "revoke") await runRevokeHook(parsed.data, env, registry);
		message.ack();
	} catch (e) {
		log("warn", { where: "queue", ...parsed.data, deliveries: message.attempts, error: String(e) });
		message.retry({ delaySeconds: redeliveryDelaySeconds(message.attempts) });
		return;
	}
	// The message is acked once its own outcome is recorded: the jobs its completion claimed are
	// this invocation's to run, and if it dies their leases bring them back (T6), not a redelivery.
	if (!sender) return;
	const claimed = runClaimed(parsed.data.processId, next, sender, env, registry, budget);
	if (ctx && next.length > 0) ctx.waitUntil(claimed);
	else await claimed;
}

/** T14: runs the jobs a completion claimed for this batch, and those their completions claim. */
async function runClaimed(
	processId: string,
	jobs: ClaimedJob[],
	sender: CommandSender,
	env: Env,
	registry: TaskRegistry,
	budget: RunOnBudget,
): Promise<void> {
	await Promise.all(
		jobs.map(async (job) => {
			let next: ClaimedJob[] = [];
			const m = { type: "run" as const, processId, taskId: job.taskId, attempt: job.attempt };
			try {
				next = await runAttempt(
					{ message: m, claimed: job },
					reportAgain(sender.send),
					registry,
					secretReader(env),
					budget,
				);
				sender.join(next.length);
			} catch (e) {
				// No message to retry: the lease lapses into a new attempt, sent by the queue (T6).
				log("warn", { where: "queue", ...m, claimedBy: "completion", error: String(e) });
			} finally {
				sender.leave();
			}
			await runClaimed(processId, next, sender, env, registry, budget);
		}),
	);
}

/** A claimed job has no message to redeliver it, so its reports (all keyed) are tried again. */
function reportAgain(send: Send): Send {
	return async (command, key) => {
		for (let tries = 1; ; tries++) {
			try {
				return await send(command, key);
			} catch (e) {
				if (tries >= 3) throw e;
				await new Promise((r) => setTimeout(r, 250 * 4 ** (tries - 1)));
			}
		}
	};
}

/**
 * Runs one attempt and reports its outcome; answers the jobs its completion claimed (T14). A
 * delivered message claims its attempt first; a job claimed by a completion already holds it.
 */
async function runAttempt(
	run: { message: Extract<TaskMessage, { type: "run" }>; messageId?: string; claimed?: ClaimedJob },
	send: Send,
	registry: TaskRegistry,
	secret: SecretReader,
	budget: RunOnBudget,
): Promise<ClaimedJob[]> {
	const m = run.message;
	let claim: ClaimReply;
	if (run.claimed) {
		claim = { run: true, taskType: run.claimed.taskType, params: run.claimed.params };
	} else {
		// Keyed by the message id: when the claim's answer was lost, the redelivery of this same
		// message gets the same answer and runs, instead of finding its own lease "busy" until it
		// expires.
		const claimed = await send(
			{ type: "ClaimTask", taskId: m.taskId, attempt: m.attempt },
			`claim:${m.taskId}:${m.attempt}:${run.messageId}`,
		);
		if (!claimed.ok) return []; // the process is gone or finished: nothing to run
		claim = claimed.reply as ClaimReply;
	}
	if (!claim.run) return [];
	// The lease is short (CLAIM_LEASE_MS): it is kept while this attempt runs, so only a worker
	// that died lets it lapse.
	const release = budget.leases.hold(() =>
		send({ type: "RenewLease", taskId: m.taskId, attempt: m.attempt }),
	);
	try {
		return await runClaimedAttempt(m, claim, send, registry, secret, budget);
	} finally {
		release();
	}
}

async function runClaimedAttempt(
	m: Extract<TaskMessage, { type: "run" }>,
	claim: Extract<ClaimReply, { run: true }>,
	send: Send,
	registry: TaskRegistry,
	secret: SecretReader,
	budget: RunOnBudget,
): Promise<ClaimedJob[]> {
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
		return [];
	}
	const params = type.params.safeParse(claim.params);
	if (!params.success) {
		await fail(`Invalid params: ${params.error.message}`, false, "invalid_params");
		return [];
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
		return [];
	}
	const claimNext = budget.allowance();
	const done = await send(
		{
			type: "CompleteTask",
			taskId: m.taskId,
			attempt: m.attempt,
			result,
			...lines.take(),
			...(claimNext > 0 ? { claimNext } : {}),
		},
		`complete:${m.taskId}:${m.attempt}`,
	);
	const next = done.ok ? ((done.reply as CompleteReply | undefined)?.next ?? []) : [];
	budget.spend(next.length);
	if (done.ok) await runHook(type, "onSuccess", ctx, send, result);
	await sendLog(m, lines, send, "after");
	return next;
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
	const began = Date.now();
	let signal: AbortSignal | undefined;
	return {
		processId: m.processId,
		taskId: m.taskId,
		attempt: m.attempt,
		idempotencyKey: `${m.processId}:${m.taskId}`,
		params,
		// Aborted LEASE_MS after the run began, when its lease is no longer renewed: past it the job
		// may be dispatched again. Made when first read: a timer per job would cost every job (1 % of
		// a busy worker's time), and few task types listen.
		get signal() {
			signal ??= AbortSignal.timeout(Math.max(1, began + LEASE_MS - Date.now()));
			return signal;
		},
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
