// K1–K2: external task types, offered to workers outside the Worker, fetched and locked by them.
import { describe, expect, it } from "vitest";
import { compileWorkflow, simulate } from "../../../src/engine/index.ts";
import { build, definition, n, t } from "../helpers/builder.ts";
import { testCatalog } from "../helpers/catalog.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

const END = { end: true, task: "dummy", inline: true } as const;
const MINUTE = 60_000;

function invoicing() {
	return build(
		[n("charge", { start: true, task: "charge-card" }), n("done", END)],
		[t("charge", "done")],
		{
			externalTasks: {
				"charge-card": {
					title: "Charge a card",
					params: { amount: { label: "Amount", type: "number", required: true } },
					retry: { limit: 1, backoffSeconds: 30 },
				},
			},
			params: { amount: 12 },
		},
	);
}

describe("external tasks", () => {
	it("K1 a task of an external type is offered to its workers, not sent to the queue", () => {
		const run = new ProcessRun(invoicing()).start();
		const task = run.task("charge");
		expect(task).toMatchObject({ status: "PENDING", maxAttempts: 2 });
		expect(task.dispatchDueBy).toBeUndefined();
		expect(run.effects).toEqual([
			{
				type: "OfferTask",
				taskId: task.id,
				attempt: 1,
				taskType: "charge-card",
				priority: 9,
				delaySeconds: 0,
			},
		]);
	});

	it("K1 a worker's fetch locks the attempt for the length it asked, and completes it", () => {
		const run = new ProcessRun(invoicing()).start();
		const id = run.task("charge").id;
		run.send({ type: "ClaimTask", taskId: id, attempt: 1, lockMs: 2 * MINUTE, worker: "w1" });
		expect(run.reply).toEqual({ run: true, taskType: "charge-card", params: { amount: 12 } });
		expect(run.task("charge")).toMatchObject({
			status: "STARTED",
			lockedBy: "w1",
			leaseUntil: run.now + 2 * MINUTE,
		});
		// A second worker fetching the same attempt is told it is busy (G3).
		run.send({ type: "ClaimTask", taskId: id, attempt: 1, lockMs: MINUTE, worker: "w2" });
		expect(run.reply).toEqual({ run: false, reason: "busy" });
		run.send({ type: "CompleteTask", taskId: id, attempt: 1, result: { charged: true } });
		expect(run.state.status).toBe("SUCCESS");
	});

	it("K2 a lock that lapses offers a new attempt, taking no retry; the late report changes nothing", () => {
		const run = new ProcessRun(invoicing()).start();
		const id = run.task("charge").id;
		run.send({ type: "ClaimTask", taskId: id, attempt: 1, lockMs: MINUTE, worker: "w1" });
		run.now += MINUTE;
		run.send({ type: "ExpireLeases" });
		expect(run.task("charge")).toMatchObject({ status: "RETRY", attempt: 2, maxAttempts: 3 });
		expect(run.task("charge").lockedBy).toBeUndefined();
		expect(run.effects).toContainEqual(expect.objectContaining({ type: "OfferTask", attempt: 2 }));
		const late = run.try({ type: "CompleteTask", taskId: id, attempt: 1, result: "late" });
		expect(late.ok && late.events).toEqual([]);
		run.send({ type: "ClaimTask", taskId: id, attempt: 2, lockMs: MINUTE, worker: "w2" });
		run.send({ type: "CompleteTask", taskId: id, attempt: 2, result: "on time" });
		expect(run.task("charge").result).toBe("on time");
	});

	it("K2 the lock holder extends its lock; progress does not; another worker cannot", () => {
		const run = new ProcessRun(invoicing()).start();
		const id = run.task("charge").id;
		run.send({ type: "ClaimTask", taskId: id, attempt: 1, lockMs: MINUTE, worker: "w1" });
		run.send({ type: "ReportProgress", taskId: id, attempt: 1, progress: 40 });
		const lockedUntil = run.task("charge").leaseUntil;
		expect(run.task("charge").progress).toBe(40);
		expect(lockedUntil).toBe(run.now - 1 + MINUTE);
		run.send({ type: "ExtendLock", taskId: id, attempt: 1, lockMs: 5 * MINUTE, worker: "w2" });
		expect(run.task("charge").leaseUntil).toBe(lockedUntil);
		run.send({ type: "ExtendLock", taskId: id, attempt: 1, lockMs: 5 * MINUTE, worker: "w1" });
		expect(run.task("charge").leaseUntil).toBe(run.now + 5 * MINUTE);
	});

	it("K1 T6 a retryable failure is offered again after its backoff; the last one fails the task", () => {
		const run = new ProcessRun(invoicing()).start();
		const id = run.task("charge").id;
		run.send({ type: "ClaimTask", taskId: id, attempt: 1, lockMs: MINUTE, worker: "w1" });
		run.send({
			type: "FailTask",
			taskId: id,
			attempt: 1,
			error: { message: "gateway down", code: "GATEWAY" },
			retryable: true,
		});
		expect(run.effects).toContainEqual(
			expect.objectContaining({ type: "OfferTask", attempt: 2, delaySeconds: 30 }),
		);
		run.send({ type: "ClaimTask", taskId: id, attempt: 2, lockMs: MINUTE, worker: "w1" });
		run.send({
			type: "FailTask",
			taskId: id,
			attempt: 2,
			error: { message: "declined", code: "DECLINED" },
			retryable: true,
		});
		expect(run.task("charge")).toMatchObject({ status: "FAILURE", error: { code: "DECLINED" } });
	});

	it("K1 a revoked external task is withdrawn from its workers", () => {
		const run = new ProcessRun(invoicing()).start();
		run.send({ type: "RevokeTask", taskId: run.task("charge").id, actor: admin });
		expect(run.effects).toContainEqual({
			type: "WithdrawOffer",
			taskId: run.task("charge").id,
			taskType: "charge-card",
		});
	});

	it("K1 D2 an external type's params are checked, and it may not take a registered type's name", () => {
		const result = compileWorkflow(
			definition([n("a", { start: true, end: true, task: "ask" })], [], {
				externalTasks: { ask: { title: "Shadow" } },
			}),
			testCatalog,
		);
		expect(result.ok).toBe(false);
		expect(result.ok ? [] : result.problems.map((p) => p.code)).toContain("EXTERNAL_TASK_SHADOWS");
		const missing = new ProcessRun(
			build(
				[n("charge", { start: true, task: "charge-card" }), n("done", END)],
				[t("charge", "done")],
				{
					externalTasks: invoicing().definition.externalTasks ?? {},
				},
			),
		).start();
		expect(missing.task("charge")).toMatchObject({
			awaitingInput: true,
			requiredFields: ["amount"],
		});
	});
});

describe("external tasks in the simulator", () => {
	it("K1 the simulator plays an external task's worker, so such a process runs to its end", () => {
		const result = simulate(invoicing(), { script: { charge: { charged: true } } });
		expect(result.state.status).toBe("SUCCESS");
		expect(result.state.tasks[0]?.result).toEqual({ charged: true });
	});
});

describe("external tasks and suspension", () => {
	it("O1 K1 a fetch of a suspended process's task is turned away, and the task is offered again on resume", () => {
		const run = new ProcessRun(invoicing()).start();
		const id = run.task("charge").id;
		run.send({ type: "SuspendProcess", actor: admin });
		run.send({ type: "ClaimTask", taskId: id, attempt: 1, lockMs: MINUTE, worker: "w1" });
		expect(run.reply).toEqual({ run: false, reason: "suspended" });
		run.send({ type: "ResumeProcess", actor: admin });
		expect(run.effects).toContainEqual(
			expect.objectContaining({ type: "OfferTask", taskId: id, attempt: 1 }),
		);
	});
});
