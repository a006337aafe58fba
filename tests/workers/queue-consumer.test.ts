// The queue consumer: at-least-once delivery handled by the claim (G3, T8), retries counted by the
// ProcessObject (T6), hooks (T7), and dead letters turned into incidents (G8). Messages are built
// with createMessageBatch and handed to the consumer directly, next to the real queue's deliveries.
import {
	createExecutionContext,
	createMessageBatch,
	getQueueResult,
	waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { processStub } from "../../src/durable/process-client.ts";
import { consumeTasks } from "../../src/queue/consumer.ts";
import { consumeDeadLetters } from "../../src/queue/dead-letters.ts";
import type { TaskMessage } from "../../src/queue/messages.ts";
import { defineTask } from "../../src/tasks/define-task.ts";
import { createRegistry, type TaskRegistry } from "../../src/tasks/registry.ts";
import {
	expectIndexMatches,
	publish,
	singleStep,
	start,
	view,
	waitFor,
	workflow,
} from "./process-fixtures.ts";

let seq = 0;
async function deliver(
	queue: "baton-tasks" | "baton-tasks-dlq",
	bodies: unknown[],
	attempts = 1,
	registry?: TaskRegistry,
) {
	const batch = createMessageBatch(
		queue,
		bodies.map((body) => ({ id: `m${++seq}`, timestamp: Date.now(), attempts, body })),
	);
	const ctx = createExecutionContext();
	if (queue === "baton-tasks") await consumeTasks(batch, env, registry);
	else await consumeDeadLetters(batch, env);
	return getQueueResult(batch, ctx);
}

/** Answers the http task's calls: `statuses` in turn, then 200; records every request. */
function fakeRemote(statuses: number[] = []) {
	const calls: { url: string; key: string | null }[] = [];
	vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const request = new Request(input as RequestInfo, init as RequestInit);
		calls.push({ url: request.url, key: request.headers.get("Idempotency-Key") });
		const status = statuses.shift() ?? 200;
		return Response.json({ charged: status === 200 }, { status });
	});
	return calls;
}

const charge = (key: string) =>
	workflow(
		key,
		[
			{
				key: "charge",
				task: "http",
				start: true,
				params: { method: "POST", url: "https://payments.example/charge" },
			},
			{ key: "done", task: "dummy", end: true },
		],
		[{ from: "charge", to: "done" }],
	);

afterEach(() => {
	vi.restoreAllMocks();
});

describe("queue consumer", () => {
	it("G3 runs a message delivered several times at once, but records its completion once", async () => {
		const calls = fakeRemote();
		await publish(charge("g3-dup"));
		const { processId } = await start("g3-dup");
		const first = (await view(processId)).state.tasks[0]!;
		const message: TaskMessage = { type: "run", processId, taskId: first.id, attempt: 1 };
		const results = await Promise.all([
			deliver("baton-tasks", [message, message]),
			deliver("baton-tasks", [message]),
		]);
		for (const r of results) expect(r.retryMessages).toEqual([]);
		const v = await waitFor(processId, (x) => x.state.status === "SUCCESS");
		const history = await processStub(env, processId).history();
		expect(history.filter((e) => e.type === "TaskSucceeded" && e.taskId === first.id)).toHaveLength(
			1,
		);
		expect(v.state.tasks.filter((t) => t.node === "done")).toHaveLength(1);
		expect(calls.length).toBeGreaterThanOrEqual(1);
		// G3: every run carries the same idempotency key for its external effect.
		expect(new Set(calls.map((c) => c.key))).toEqual(new Set([`${processId}:${first.id}`]));
	});

	it("G3 a batch's messages for one process go in one round trip, each with its own answer", async () => {
		const runs: string[] = [];
		const counting = defineTask({
			name: "dummy",
			params: z.object({}),
			run: (ctx) => {
				runs.push(ctx.taskId);
				return ctx.taskId;
			},
		});
		const branches = ["b1", "b2", "b3", "b4", "b5"];
		await publish(
			workflow(
				"g3-batch",
				[
					{ key: "gate", task: "event", start: true, params: { correlationKey: "go" } },
					...branches.map((key) => ({ key, task: "dummy" })),
					{ key: "end", task: "event", end: true, params: { correlationKey: "end" } },
				],
				[
					...branches.map((to) => ({ from: "gate", to })),
					...branches.map((from) => ({ from, to: "end" })),
				],
			),
		);
		const { processId } = await start("g3-batch");
		const other = await start("g3-batch");
		const stub = processStub(env, processId);
		// Hold the branches' queue messages back once, so this batch claims them first.
		await stub.armFault("before-send", 1);
		const gate = (await view(processId)).state.tasks[0]!;
		await stub.execute({ type: "DeliverEvent", taskId: gate.id, payload: null });
		const jobs = (await view(processId)).state.tasks.filter((t) => branches.includes(t.node));
		expect(jobs).toHaveLength(5);
		const run = (taskId: string, attempt = 1): TaskMessage => ({
			type: "run",
			processId,
			taskId,
			attempt,
		});
		const result = await deliver(
			"baton-tasks",
			[
				...jobs.map((t) => run(t.id)),
				run(jobs[0]!.id), // a duplicate in the same batch: busy, not run again
				run(jobs[1]!.id, 2), // an attempt that is not current: stale (T8)
				{ type: "run", processId: other.processId, taskId: `${other.processId}/t1`, attempt: 1 },
			],
			1,
			createRegistry([counting]),
		);
		expect(result.retryMessages).toEqual([]);
		expect(result.explicitAcks).toHaveLength(8);
		expect([...runs].sort()).toEqual(jobs.map((t) => t.id).sort());
		const v = await waitFor(processId, (x) => x.state.tasks.some((t) => t.node === "end"));
		for (const job of jobs) {
			expect(v.state.tasks.find((t) => t.id === job.id)).toMatchObject({
				status: "SUCCESS",
				attempt: 1,
				result: job.id,
			});
		}
		const history = await stub.history();
		const succeeded = history.filter((e) => e.type === "TaskSucceeded" && e.node !== "gate");
		expect(succeeded.map((e) => e.taskId).sort()).toEqual(jobs.map((t) => t.id).sort());
		expect(v.state.tasks.filter((t) => t.node === "end")).toHaveLength(1);
		await expectIndexMatches(processId);
	});

	it("T8 a delivery for a finished process is acknowledged and has no effect", async () => {
		fakeRemote();
		await publish(charge("t8-late"));
		const { processId } = await start("t8-late");
		const done = await waitFor(processId, (x) => x.state.status === "SUCCESS");
		const before = await processStub(env, processId).history();
		const late: TaskMessage = {
			type: "run",
			processId,
			taskId: done.state.tasks[0]!.id,
			attempt: 1,
		};
		const result = await deliver("baton-tasks", [late, { ...late, attempt: 7 }]);
		expect(result.explicitAcks).toHaveLength(2);
		expect(await processStub(env, processId).history()).toEqual(before);
	});

	it("T8 a completion for a revoked task has no effect", async () => {
		fakeRemote();
		await publish(charge("t8-revoked"));
		const { processId } = await start("t8-revoked");
		const stub = processStub(env, processId);
		const task = (await view(processId)).state.tasks[0]!;
		await stub.execute({ type: "StopProcess" });
		const answer = await stub.execute({
			type: "CompleteTask",
			taskId: task.id,
			attempt: task.attempt,
			result: 1,
		});
		expect(answer.ok).toBe(true);
		const v = await view(processId);
		expect(v.state.status).toBe("REVOKED");
		expect(v.state.tasks[0]?.status).toBe("REVOKED");
		expect(v.state.tasks).toHaveLength(1);
	});

	it("T6 retries a failing job with backoff on one task record, then succeeds", async () => {
		const calls = fakeRemote([503, 503]);
		await publish(charge("t6-retry"));
		const { processId } = await start("t6-retry");
		const taskId = (await view(processId)).state.tasks[0]!.id;
		// Drive the attempts ourselves instead of waiting for the queue's backoff delays.
		for (const attempt of [1, 2, 3]) {
			await waitFor(processId, (x) => x.state.tasks[0]!.attempt >= attempt);
			await deliver("baton-tasks", [{ type: "run", processId, taskId, attempt }]);
		}
		const v = await waitFor(processId, (x) => x.state.status === "SUCCESS");
		expect(v.state.tasks[0]).toMatchObject({ status: "SUCCESS", attempt: 3 });
		const history = await processStub(env, processId).history();
		expect(history.filter((e) => e.type === "TaskRetried")).toHaveLength(2);
		expect(calls.filter((c) => c.key === `${processId}:${taskId}`).length).toBeGreaterThanOrEqual(
			3,
		);
	});

	it("T6 a job that keeps failing ends FAILURE after its last attempt and the process fails (P2)", async () => {
		fakeRemote([500, 500, 500, 500, 500, 500, 500, 500]);
		await publish(charge("t6-exhausted"));
		const { processId } = await start("t6-exhausted");
		const taskId = (await view(processId)).state.tasks[0]!.id;
		for (const attempt of [1, 2, 3, 4]) {
			await waitFor(
				processId,
				(x) => x.state.tasks[0]!.attempt >= attempt || x.state.status !== "STARTED",
			);
			await deliver("baton-tasks", [{ type: "run", processId, taskId, attempt }]);
		}
		const v = await waitFor(processId, (x) => x.state.status === "FAILURE");
		expect(v.state.tasks[0]).toMatchObject({ status: "FAILURE", attempt: 4 });
		expect(v.state.tasks[0]?.error?.message).toContain("HTTP 500");
	});

	it("T6 a permanent error (4xx) fails the task at once, without retries", async () => {
		fakeRemote([404]);
		await publish(charge("t6-permanent"));
		const { processId } = await start("t6-permanent");
		const v = await waitFor(processId, (x) => x.state.status === "FAILURE");
		expect(v.state.tasks[0]).toMatchObject({ status: "FAILURE", attempt: 1 });
	});

	it("G8 a dead-lettered message becomes a visible incident on its task", async () => {
		await publish(
			singleStep("g8-dlq", { key: "hold", task: "event", params: { correlationKey: "x" } }),
		);
		const { processId } = await start("g8-dlq");
		const taskId = (await view(processId)).state.tasks[0]!.id;
		const result = await deliver(
			"baton-tasks-dlq",
			[{ type: "run", processId, taskId, attempt: 1 }],
			6,
		);
		expect(result.explicitAcks).toHaveLength(1);
		const v = await view(processId);
		expect(v.state.incidents).toEqual([expect.objectContaining({ kind: "dead_letter", taskId })]);
		expect(v.state.tasks[0]?.incident).toBeDefined();
		await expectIndexMatches(processId);
		const row = await env.DB.prepare("SELECT incident FROM tasks WHERE id = ?")
			.bind(taskId)
			.first<{ incident: string | null }>();
		expect(row?.incident).toBe(v.state.tasks[0]?.incident);
	});

	it("acknowledges a message for an unknown process and a malformed message instead of retrying them", async () => {
		const result = await deliver("baton-tasks", [
			{ type: "run", processId: "p-does-not-exist", taskId: "p-does-not-exist/t1", attempt: 1 },
		]);
		// An unknown process answers not_found: nothing to run, acknowledged.
		expect(result.explicitAcks).toHaveLength(1);
		const malformed = await deliver("baton-tasks", [{ type: "run", processId: 42 }]);
		expect(malformed.explicitAcks).toHaveLength(1);
	});

	it("T7 a hook that throws is written to the task's history and changes no status", async () => {
		const calls: string[] = [];
		const flaky = defineTask({
			name: "dummy",
			params: z.object({}),
			run: () => "ran",
			onStart: () => {
				calls.push("onStart");
				throw new Error("audit log unavailable");
			},
			onSuccess: () => {
				calls.push("onSuccess");
				throw new Error("mailer down");
			},
		});
		await publish(
			workflow(
				"t7-hooks",
				[
					{ key: "event", task: "event", start: true, params: { correlationKey: "x" } },
					{ key: "job", task: "dummy" },
					{ key: "end", task: "event", end: true, params: { correlationKey: "y" } },
				],
				[
					{ from: "event", to: "job" },
					{ from: "job", to: "end" },
				],
			),
		);
		const { processId } = await start("t7-hooks");
		const stub = processStub(env, processId);
		// Hold the job's queue message back once, so the test registry's delivery claims it first.
		await stub.armFault("before-send", 1);
		const gate = (await view(processId)).state.tasks[0]!;
		await stub.execute({ type: "DeliverEvent", taskId: gate.id, payload: null });
		const job = (await view(processId)).state.tasks.find((t) => t.node === "job")!;
		await deliver(
			"baton-tasks",
			[{ type: "run", processId, taskId: job.id, attempt: 1 }],
			1,
			createRegistry([flaky]),
		);
		const v = await waitFor(processId, (x) => x.state.tasks.some((t) => t.node === "end"));
		expect(v.state.tasks.find((t) => t.node === "job")).toMatchObject({ status: "SUCCESS" });
		expect(calls).toEqual(["onStart", "onSuccess"]);
		const failures = (await stub.history()).filter((e) => e.type === "HookFailed");
		expect(failures.map((e) => e.data)).toEqual([
			{ hook: "onStart", message: "audit log unavailable" },
			{ hook: "onSuccess", message: "mailer down" },
		]);
	});

	it("T1/T7 gives onRevoke the task's merged params, as run gets them", async () => {
		const seen: Record<string, unknown>[] = [];
		const revocable = defineTask({
			name: "dummy",
			params: z.object({}).loose(),
			run: () => null,
			onRevoke: (ctx) => {
				seen.push(ctx.params);
			},
		});
		await publish(
			workflow(
				"t7-revoke",
				[
					{ key: "job", task: "dummy", start: true, params: { channel: "mail" } },
					{ key: "end", task: "dummy", end: true },
				],
				[{ from: "job", to: "end" }],
				{ params: { region: "EU" }, startForm: { order: { label: "Order", type: "integer" } } },
			),
		);
		const { processId } = await start("t7-revoke", { order: 42 });
		const job = (await view(processId)).state.tasks[0]!;
		const message: TaskMessage = {
			type: "revoke",
			processId,
			taskId: job.id,
			attempt: 1,
			taskType: "dummy",
		};
		await deliver("baton-tasks", [message], 1, createRegistry([revocable]));
		expect(seen).toEqual([{ region: "EU", channel: "mail", order: 42 }]);
	});

	it("T14 the invocation ends once its messages are answered; the jobs their completions claimed run on in waitUntil", async () => {
		// The first run (job a) answers at once; the second (job b, claimed by a's completion) waits
		// for the gate, which opens only after consumeTasks has returned. Were the claimed jobs run
		// before the invocation ends, consumeTasks would wait for b, and b for it: the test would
		// time out. A local queue dispatches one batch at a time, so a batch held by a long chain
		// would hold back every other process's first jobs.
		let open: () => void = () => undefined;
		const gate = new Promise<void>((r) => {
			open = r;
		});
		let bRunning: () => void = () => undefined;
		const bStarted = new Promise<void>((r) => {
			bRunning = r;
		});
		const runs: string[] = [];
		const gated = defineTask({
			name: "dummy",
			params: z.object({}),
			run: async (ctx) => {
				runs.push(ctx.taskId);
				if (runs.length === 2) {
					bRunning();
					await gate;
				}
				return null;
			},
		});
		await publish(
			workflow(
				"t14-wait-until",
				[
					{ key: "go", task: "event", start: true, params: { correlationKey: "go" } },
					{ key: "a", task: "dummy" },
					{ key: "b", task: "dummy" },
					{ key: "end", task: "event", end: true, params: { correlationKey: "end" } },
				],
				[
					{ from: "go", to: "a" },
					{ from: "a", to: "b" },
					{ from: "b", to: "end" },
				],
			),
		);
		const { processId } = await start("t14-wait-until");
		const stub = processStub(env, processId);
		// Hold a's queue message back once, so this batch runs it.
		await stub.armFault("before-send", 1);
		const go = (await view(processId)).state.tasks[0]!;
		await stub.execute({ type: "DeliverEvent", taskId: go.id, payload: null });
		const a = (await view(processId)).state.tasks.find((t) => t.node === "a")!;
		const batch = createMessageBatch("baton-tasks", [
			{
				id: `m${++seq}`,
				timestamp: Date.now(),
				attempts: 1,
				body: { type: "run", processId, taskId: a.id, attempt: 1 } satisfies TaskMessage,
			},
		]);
		const ctx = createExecutionContext();
		await consumeTasks(batch, env, createRegistry([gated]), ctx);
		await bStarted;
		const b = (await view(processId)).state.tasks.find((t) => t.node === "b")!;
		expect(b).toMatchObject({ status: "STARTED", attempt: 1 });
		open();
		// The queue's result waits for the invocation's waitUntil work, b's run included.
		expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([batch.messages[0]!.id]);
		await waitOnExecutionContext(ctx);
		const v = await waitFor(processId, (x) => x.state.tasks.some((t) => t.node === "end"));
		expect(v.state.tasks.find((t) => t.node === "b")).toMatchObject({ status: "SUCCESS" });
		expect(runs).toEqual([a.id, b.id]);
	});
});
