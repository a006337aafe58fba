// The external worker client (K1, K2) against a fake Baton: what it sends, how it runs handlers,
// keeps locks, reports outcomes and stops. The real API is tested in tests/workers.
import { afterEach, describe, expect, it } from "vitest";
import {
	BatonApiError,
	type ExternalTask,
	ExternalTaskError,
	ExternalWorker,
	type ExternalWorkerOptions,
} from "../../../src/client/external-worker.ts";

interface Call {
	path: string;
	body: Record<string, unknown>;
	authorization: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Enough of Baton's external-tasks API: a queue of tasks, long polls, and scripted answers. */
class FakeBaton {
	readonly calls: Call[] = [];
	private readonly ready: ExternalTask[] = [];
	private wake: (() => void) | undefined;
	/** Answers for a path, used first to last before the default ones. */
	readonly scripted = new Map<string, Response[]>();
	extendIsStale = false;

	add(...tasks: ExternalTask[]): void {
		this.ready.push(...tasks);
		this.wake?.();
	}

	callsTo(what: string): Call[] {
		return this.calls.filter((c) => c.path.endsWith(what));
	}

	readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
		const path = decodeURIComponent(
			new URL(String(input)).pathname.replace(/^\/api\/v1\/(external-tasks\/)?/, ""),
		);
		const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
		const headers = new Headers(init?.headers);
		this.calls.push({ path, body, authorization: headers.get("authorization") });
		const scripted = this.scripted.get(path.split("/").at(-1) ?? "")?.shift();
		if (scripted) return scripted;
		if (path === "fetch-and-lock") return this.poll(body, init?.signal ?? undefined);
		const attempt = body.attempt as number;
		if (path.endsWith("/extend-lock")) {
			return Response.json(
				this.extendIsStale
					? { stale: true, reason: "superseded" }
					: { stale: false, lockedUntil: Date.now() + (body.lockMs as number) },
			);
		}
		return Response.json({ stale: false, attempt });
	};

	private async poll(body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
		const deadline = Date.now() + (body.waitMs as number);
		while (this.ready.length === 0 && Date.now() < deadline) {
			if (signal?.aborted) throw new DOMException("aborted", "AbortError");
			await new Promise<void>((resolve) => {
				this.wake = resolve;
				const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
				signal?.addEventListener("abort", () => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
		if (signal?.aborted) throw new DOMException("aborted", "AbortError");
		return Response.json({ tasks: this.ready.splice(0, body.maxTasks as number) });
	}
}

function task(n: number, lockMs = 60_000): ExternalTask {
	return {
		id: `p-${n}/t1`,
		processId: `p-${n}`,
		taskType: "render-pdf",
		attempt: 1,
		params: { n },
		idempotencyKey: `p-${n}:p-${n}/t1`,
		lockedUntil: Date.now() + lockMs,
	};
}

let workers: ExternalWorker[] = [];

function worker(baton: FakeBaton, options: Partial<ExternalWorkerOptions> = {}): ExternalWorker {
	const w = new ExternalWorker({
		baseUrl: "https://baton.example/",
		token: "baton_tok",
		workerId: "host-1",
		types: ["render-pdf"],
		handler: () => null,
		waitMs: 200,
		backoffMs: 10,
		fetch: baton.fetch,
		onError: () => {},
		...options,
	});
	workers.push(w);
	return w;
}

async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error("timed out");
		await sleep(5);
	}
}

afterEach(async () => {
	await Promise.all(workers.map((w) => w.stop()));
	workers = [];
});

describe("ExternalWorker", () => {
	it("K1 fetches for its types and completes each task with what its handler returned", async () => {
		const baton = new FakeBaton();
		const w = worker(baton, { handler: (t) => ({ pages: t.params.n }), lockMs: 30_000 });
		void w.start();
		baton.add(task(1), task(2));
		await until(() => w.stats.completed === 2);
		const [poll] = baton.callsTo("fetch-and-lock");
		expect(poll).toEqual({
			path: "fetch-and-lock",
			authorization: "Bearer baton_tok",
			body: { workerId: "host-1", types: ["render-pdf"], maxTasks: 1, lockMs: 30_000, waitMs: 200 },
		});
		expect(baton.callsTo("complete").map((c) => [c.path, c.body])).toEqual([
			["p-1/t1/complete", { workerId: "host-1", attempt: 1, result: { pages: 1 } }],
			["p-2/t1/complete", { workerId: "host-1", attempt: 1, result: { pages: 2 } }],
		]);
	});

	it("K1 T6 fails a task with the thrown error's message and code, retryable unless it says not", async () => {
		const baton = new FakeBaton();
		const w = worker(baton, {
			handler: (t) => {
				if (t.params.n === 1) {
					throw new ExternalTaskError("card declined", { code: "DECLINED", retryable: false });
				}
				throw Object.assign(new Error("gateway down"), { code: "GATEWAY" });
			},
		});
		void w.start();
		baton.add(task(1), task(2));
		await until(() => w.stats.failed === 2);
		expect(baton.callsTo("fail").map((c) => c.body)).toEqual([
			{
				workerId: "host-1",
				attempt: 1,
				error: { message: "card declined", code: "DECLINED" },
				retryable: false,
			},
			{
				workerId: "host-1",
				attempt: 1,
				error: { message: "gateway down", code: "GATEWAY" },
				retryable: true,
			},
		]);
	});

	it("K2 extends the lock at half its length for as long as the handler runs", async () => {
		const baton = new FakeBaton();
		const w = worker(baton, { lockMs: 200, handler: () => sleep(450) });
		void w.start();
		baton.add(task(1, 200));
		await until(() => w.stats.completed === 1);
		const extensions = baton.callsTo("extend-lock");
		expect(extensions.length).toBeGreaterThanOrEqual(2);
		expect(extensions[0]?.body).toEqual({ workerId: "host-1", attempt: 1, lockMs: 200 });
		// The extensions stop with the handler.
		const seen = extensions.length;
		await sleep(250);
		expect(baton.callsTo("extend-lock")).toHaveLength(seen);
	});

	it("K2 T8 a lost lock aborts the handler's signal, and its outcome is not reported", async () => {
		const baton = new FakeBaton();
		baton.extendIsStale = true;
		let aborted = false;
		const w = worker(baton, {
			lockMs: 100,
			handler: (_t, ctx) =>
				new Promise((resolve) => {
					ctx.signal.addEventListener("abort", () => {
						aborted = true;
						resolve("too late");
					});
				}),
		});
		void w.start();
		baton.add(task(1, 100));
		await until(() => w.stats.lost === 1);
		expect(aborted).toBe(true);
		expect(baton.callsTo("complete")).toEqual([]);
		expect(baton.callsTo("fail")).toEqual([]);
	});

	it("K1 says once when its token does not serve one of its types", async () => {
		const baton = new FakeBaton();
		baton.scripted.set("fetch-and-lock", [
			Response.json({ tasks: [], ignoredTypes: ["sign-pdf"] }),
			Response.json({ tasks: [], ignoredTypes: ["sign-pdf"] }),
		]);
		const errors: string[] = [];
		const w = worker(baton, {
			types: ["render-pdf", "sign-pdf"],
			onError: (e, where) => errors.push(`${where}: ${(e as Error).message}`),
		});
		void w.start();
		await until(() => baton.callsTo("fetch-and-lock").length >= 3);
		expect(errors).toEqual(["fetch-and-lock: the token does not serve sign-pdf"]);
	});

	it("reports progress, bounded to 0–100", async () => {
		const baton = new FakeBaton();
		const w = worker(baton, {
			handler: async (_t, ctx) => {
				await ctx.progress(42.4);
				await ctx.progress(250);
			},
		});
		void w.start();
		baton.add(task(1));
		await until(() => w.stats.completed === 1);
		expect(baton.callsTo("progress").map((c) => c.body.progress)).toEqual([42, 100]);
		expect(baton.callsTo("complete")[0]?.body).toEqual({ workerId: "host-1", attempt: 1 });
	});

	it("runs at most `concurrency` handlers at once, asking only for the free slots", async () => {
		const baton = new FakeBaton();
		let now = 0;
		let most = 0;
		const w = worker(baton, {
			concurrency: 2,
			handler: async () => {
				now += 1;
				most = Math.max(most, now);
				await sleep(30);
				now -= 1;
			},
		});
		void w.start();
		baton.add(task(1), task(2), task(3), task(4), task(5));
		await until(() => w.stats.completed === 5);
		expect(most).toBe(2);
		const asked = baton.callsTo("fetch-and-lock").map((c) => c.body.maxTasks as number);
		expect(Math.max(...asked)).toBe(2);
		expect(asked.every((n) => n >= 1)).toBe(true);
	});

	it("stops gracefully: the waiting poll is abandoned, the running handler finishes and is reported", async () => {
		const baton = new FakeBaton();
		let finished = false;
		const w = worker(baton, {
			waitMs: 10_000,
			handler: async () => {
				await sleep(150);
				finished = true;
				return "done";
			},
		});
		const running = w.start();
		baton.add(task(1));
		await until(() => baton.callsTo("fetch-and-lock").length === 2);
		const stopped = Date.now();
		await w.stop();
		await running;
		expect(finished).toBe(true);
		expect(w.stats.completed).toBe(1);
		expect(Date.now() - stopped).toBeLessThan(2_000);
		const polls = baton.callsTo("fetch-and-lock").length;
		await sleep(50);
		expect(baton.callsTo("fetch-and-lock")).toHaveLength(polls);
	});

	it("backs off after a failed fetch and goes on; retries an outcome whose answer did not come", async () => {
		const baton = new FakeBaton();
		const errors: unknown[] = [];
		baton.scripted.set("fetch-and-lock", [
			Response.json({ code: "internal", message: "oops" }, { status: 503 }),
		]);
		baton.scripted.set("complete", [new Response("bad gateway", { status: 502 })]);
		const w = worker(baton, { onError: (e) => errors.push(e), handler: () => 7 });
		void w.start();
		baton.add(task(1));
		await until(() => w.stats.completed === 1);
		expect(errors[0]).toBeInstanceOf(BatonApiError);
		expect((errors[0] as BatonApiError).status).toBe(503);
		expect(baton.callsTo("complete").map((c) => c.body.result)).toEqual([7, 7]);
	});
});
