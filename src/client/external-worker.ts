// A worker for Baton's external task types (K1, K2), for teams whose code runs outside Baton: it
// long-polls fetch-and-lock for the types it serves, runs a handler per task (up to `concurrency`
// at once), keeps each lock extended while its handler runs, and completes or fails the task with
// what the handler returned or threw. Plain `fetch`, timers and AbortController only: it runs in
// Node 18+, Deno, Bun, browsers and Workers alike. Copy this one file into a project, or import it.
// docs/external-workers.md has the API it speaks and the guarantees it relies on.

/** A task locked for this worker, as fetch-and-lock hands it out. */
export interface ExternalTask {
	id: string;
	processId: string;
	taskType: string;
	attempt: number;
	params: Record<string, unknown>;
	/** The same on every attempt of the task: send it with your side effects. */
	idempotencyKey: string;
	/** Epoch ms; the worker extends the lock before then while the handler runs. */
	lockedUntil: number;
}

export interface TaskContext {
	/** Aborted when the lock is lost (it lapsed, or the task was revoked): stop, nothing is reported. */
	signal: AbortSignal;
	/** Reports progress, 0–100 (it does not extend the lock); never throws. */
	progress(percent: number): Promise<void>;
}

/** What a handler returns becomes the task's result (any JSON value); what it throws, its failure. */
export type TaskHandler = (task: ExternalTask, ctx: TaskContext) => unknown;

/**
 * Thrown by a handler: the attempt failed, with a `code` that failure routes and error boundaries
 * match. `retryable: false` fails the task at once; otherwise it is retried after its backoff while
 * attempts are left. Any other error counts as retryable, with its `code` if it has a string one.
 */
export class ExternalTaskError extends Error {
	readonly code: string | undefined;
	readonly retryable: boolean;
	constructor(message: string, options: { code?: string; retryable?: boolean } = {}) {
		super(message);
		this.name = "ExternalTaskError";
		this.code = options.code;
		this.retryable = options.retryable ?? true;
	}
}

/** An answer of the API other than 2xx. */
export class BatonApiError extends Error {
	readonly status: number;
	readonly code: string | undefined;
	constructor(status: number, code: string | undefined, message: string) {
		super(`${status}${code ? ` ${code}` : ""}: ${message}`);
		this.name = "BatonApiError";
		this.status = status;
		this.code = code;
	}

	/** Worth another try: the server was busy or failing, not the request wrong. */
	get isTransient(): boolean {
		return this.status === 429 || this.status >= 500;
	}
}

export interface ExternalWorkerOptions {
	/** Baton's origin, e.g. https://baton.example.com. */
	baseUrl: string;
	/** An API token with the external-tasks scope, naming the task types below. */
	token: string;
	/** This worker's name: shown as the lock holder on Baton's pages. */
	workerId: string;
	types: string[];
	handler: TaskHandler;
	/** How long each lock lasts; it is extended at half-time while the handler runs. Default 60 s. */
	lockMs?: number;
	/** How many handlers run at once. Default 1. */
	concurrency?: number;
	/** How long a poll waits for work when none is ready (at most 30 s). Default 20 s. */
	waitMs?: number;
	/** The first wait after a failed call, doubling up to 30 s. Default 1 s. */
	backoffMs?: number;
	/** Default: the global fetch. */
	fetch?: typeof fetch;
	/** Called with what went wrong and where; the worker goes on. Default: console.error. */
	onError?: (error: unknown, where: string) => void;
}

export interface WorkerStats {
	fetched: number;
	completed: number;
	failed: number;
	/** Tasks whose lock was lost before their outcome was reported (nothing was reported). */
	lost: number;
}

interface Reported {
	stale: boolean;
	reason?: string;
	lockedUntil?: number;
}

const MAX_BACKOFF_MS = 30_000;
/** A report that cannot be sent is tried this many times before the lock is left to lapse. */
const REPORT_TRIES = 5;

export class ExternalWorker {
	readonly stats: WorkerStats = { fetched: 0, completed: 0, failed: 0, lost: 0 };
	private readonly options: Required<Omit<ExternalWorkerOptions, "onError" | "fetch">>;
	private readonly send: typeof fetch;
	private readonly onError: (error: unknown, where: string) => void;
	private readonly running = new Set<Promise<void>>();
	private stopping = false;
	private poll: AbortController | undefined;
	private wakeFromSleep: (() => void) | undefined;
	private loop: Promise<void> | undefined;
	private warnedIgnored = false;

	constructor(options: ExternalWorkerOptions) {
		this.options = {
			lockMs: 60_000,
			concurrency: 1,
			waitMs: 20_000,
			backoffMs: 1_000,
			...options,
			baseUrl: options.baseUrl.replace(/\/+$/, ""),
		};
		this.send = options.fetch ?? ((input, init) => fetch(input, init));
		this.onError =
			options.onError ?? ((error, where) => console.error(`external worker, ${where}:`, error));
	}

	/** Runs until `stop()`; resolves once stopped, every task taken reported. */
	start(): Promise<void> {
		this.loop ??= this.run();
		return this.loop;
	}

	/**
	 * Graceful: no more fetches (a waiting poll is abandoned, so it locks nothing), the handlers
	 * running finish and their outcomes are reported; resolves when all is done.
	 */
	async stop(): Promise<void> {
		this.stopping = true;
		this.poll?.abort();
		this.wakeFromSleep?.();
		await (this.loop ?? Promise.resolve());
	}

	private async run(): Promise<void> {
		let failures = 0;
		while (!this.stopping) {
			const free = this.options.concurrency - this.running.size;
			if (free <= 0) {
				await Promise.race(this.running);
				continue;
			}
			let tasks: ExternalTask[];
			try {
				tasks = await this.fetchAndLock(free);
				failures = 0;
			} catch (e) {
				if (this.stopping) break;
				this.onError(e, "fetch-and-lock");
				await this.sleep(this.backoff(failures++));
				continue;
			}
			this.stats.fetched += tasks.length;
			for (const task of tasks) {
				const run = this.runTask(task).finally(() => this.running.delete(run));
				this.running.add(run);
			}
		}
		await Promise.all(this.running);
	}

	private async fetchAndLock(maxTasks: number): Promise<ExternalTask[]> {
		this.poll = new AbortController();
		try {
			const { tasks, ignoredTypes } = await this.post<{
				tasks: ExternalTask[];
				ignoredTypes?: string[];
			}>(
				"/api/v1/fetch-and-lock",
				{
					workerId: this.options.workerId,
					types: this.options.types,
					maxTasks,
					lockMs: this.options.lockMs,
					waitMs: this.options.waitMs,
				},
				this.poll.signal,
			);
			if (ignoredTypes && !this.warnedIgnored) {
				// Told once: a token that does not serve a type gets none of its tasks, silently.
				this.warnedIgnored = true;
				this.onError(
					new Error(`the token does not serve ${ignoredTypes.join(", ")}`),
					"fetch-and-lock",
				);
			}
			return tasks;
		} finally {
			this.poll = undefined;
		}
	}

	/** One task: the handler, with its lock kept alive, then its outcome. */
	private async runTask(task: ExternalTask): Promise<void> {
		const lock = new LockKeeper(task, this.options.lockMs, (lockMs) =>
			this.report(task, "extend-lock", { lockMs }),
		);
		lock.onError = (e) => this.onError(e, `extend-lock ${task.id}`);
		const ctx: TaskContext = {
			signal: lock.signal,
			progress: async (percent) => {
				const progress = Math.max(0, Math.min(100, Math.round(percent)));
				try {
					const answer = await this.report(task, "progress", { progress });
					if (answer.stale) lock.lose();
				} catch (e) {
					// A progress report that does not arrive must not fail the work.
					this.onError(e, `progress ${task.id}`);
				}
			},
		};
		let outcome: { what: "complete" | "fail"; body: Record<string, unknown> };
		try {
			const result = await this.options.handler(task, ctx);
			outcome = { what: "complete", body: result === undefined ? {} : { result } };
		} catch (e) {
			outcome = { what: "fail", body: failureOf(e) };
		} finally {
			lock.release();
		}
		if (lock.signal.aborted) {
			this.stats.lost += 1;
			return;
		}
		try {
			const answer = await this.reportWithRetries(task, outcome.what, outcome.body);
			if (answer.stale) this.stats.lost += 1;
			else if (outcome.what === "complete") this.stats.completed += 1;
			else this.stats.failed += 1;
		} catch (e) {
			// The lock will lapse and the task be offered again: nothing is lost, only delayed.
			this.onError(e, `${outcome.what} ${task.id}`);
		}
	}

	/** Outcomes are keyed by task, attempt and worker: sending one again is safe. */
	private async reportWithRetries(
		task: ExternalTask,
		what: "complete" | "fail",
		body: Record<string, unknown>,
	): Promise<Reported> {
		for (let attempt = 0; ; attempt++) {
			try {
				return await this.report(task, what, body);
			} catch (e) {
				const transient = !(e instanceof BatonApiError) || e.isTransient;
				if (!transient || attempt + 1 >= REPORT_TRIES) throw e;
				await delay(this.backoff(attempt));
			}
		}
	}

	private report(task: ExternalTask, what: string, body: Record<string, unknown>) {
		return this.post<Reported>(`/api/v1/external-tasks/${encodeURIComponent(task.id)}/${what}`, {
			workerId: this.options.workerId,
			attempt: task.attempt,
			...body,
		});
	}

	private async post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
		const res = await this.send(`${this.options.baseUrl}${path}`, {
			method: "POST",
			headers: {
				authorization: `Bearer ${this.options.token}`,
				"content-type": "application/json",
			},
			body: JSON.stringify(body),
			...(signal ? { signal } : {}),
		});
		const text = await res.text();
		let parsed: unknown;
		try {
			parsed = text === "" ? null : JSON.parse(text);
		} catch {
			parsed = null;
		}
		if (!res.ok) {
			const error = (parsed ?? {}) as { code?: string; message?: string };
			throw new BatonApiError(res.status, error.code, error.message ?? text.slice(0, 200));
		}
		return parsed as T;
	}

	private backoff(failures: number): number {
		return Math.min(this.options.backoffMs * 2 ** failures, MAX_BACKOFF_MS);
	}

	/** A pause that `stop()` cuts short. */
	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const done = () => {
				clearTimeout(timer);
				this.wakeFromSleep = undefined;
				resolve();
			};
			const timer = setTimeout(done, ms);
			this.wakeFromSleep = done;
		});
	}
}

/**
 * Keeps one task's lock alive: extends it at half of its length for as long as the handler runs.
 * An extension answered stale means the lock is gone (lapsed, revoked, finished elsewhere): the
 * signal aborts and the outcome is not reported.
 */
class LockKeeper {
	private readonly controller = new AbortController();
	private readonly lockMs: number;
	private readonly extend: (lockMs: number) => Promise<Reported>;
	private timer: ReturnType<typeof setTimeout> | undefined;
	private released = false;
	onError: (error: unknown) => void = () => {};

	constructor(task: ExternalTask, lockMs: number, extend: (lockMs: number) => Promise<Reported>) {
		this.lockMs = lockMs;
		this.extend = extend;
		this.schedule(task.lockedUntil);
	}

	get signal(): AbortSignal {
		return this.controller.signal;
	}

	lose(): void {
		this.release();
		this.controller.abort(new Error("the task's lock was lost"));
	}

	release(): void {
		this.released = true;
		if (this.timer !== undefined) clearTimeout(this.timer);
	}

	private schedule(lockedUntil: number): void {
		if (this.released) return;
		const wait = Math.max(0, (lockedUntil - Date.now()) / 2);
		this.timer = setTimeout(() => void this.renew(lockedUntil), wait);
	}

	private async renew(lockedUntil: number): Promise<void> {
		try {
			const answer = await this.extend(this.lockMs);
			if (this.released) return;
			if (answer.stale) return this.lose();
			this.schedule(answer.lockedUntil ?? Date.now() + this.lockMs);
		} catch (e) {
			if (this.released) return;
			this.onError(e);
			// Try again while the lock may still hold; past its end the next answer says stale.
			this.schedule(Math.max(lockedUntil, Date.now() + 2_000));
		}
	}
}

/** A thrown value as the fail report's body. */
function failureOf(e: unknown): Record<string, unknown> {
	const raw = e instanceof Error ? e.message : String(e);
	const message = (raw.trim() === "" ? "the handler failed" : raw).slice(0, 1000);
	const fields = (typeof e === "object" && e !== null ? e : {}) as {
		code?: unknown;
		retryable?: unknown;
	};
	const code =
		typeof fields.code === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(fields.code)
			? fields.code
			: undefined;
	return {
		error: code ? { message, code } : { message },
		retryable: typeof fields.retryable === "boolean" ? fields.retryable : true,
	};
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
