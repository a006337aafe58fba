import { describe, expect, it } from "vitest";
import { CLAIM_LEASE_MS } from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { ProcessRun } from "../helpers/harness.ts";

const wf = build([n("a", { start: true }), n("b", { end: true })], [t("a", "b")]);

describe("jobs", () => {
	it("T5 claims the current attempt: STARTED with a start date and a lease, and the cleaned params", () => {
		const run = new ProcessRun(wf).start();
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 1 });
		expect(run.reply).toEqual({ run: true, taskType: "job", params: {} });
		expect(run.task("a")).toMatchObject({
			status: "STARTED",
			startedAt: run.now,
			leaseUntil: run.now + CLAIM_LEASE_MS,
		});
		expect(run.events).toMatchObject([{ type: "TaskStarted", taskId: "p/t1" }]);
	});

	it("T5 stores progress 0–100 while running, and 100 with the result on success", () => {
		const run = new ProcessRun(wf).start();
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 1 });
		run.send({ type: "ReportProgress", taskId: "p/t1", attempt: 1, progress: 42.7 });
		expect(run.task("a").progress).toBe(42);
		run.send({ type: "ReportProgress", taskId: "p/t1", attempt: 1, progress: 180 });
		expect(run.task("a").progress).toBe(100);
		run.send({
			type: "CompleteTask",
			taskId: "p/t1",
			attempt: 1,
			result: { total: 3, items: ["x"] },
		});
		expect(run.task("a")).toMatchObject({
			status: "SUCCESS",
			progress: 100,
			result: { total: 3, items: ["x"] },
		});
		expect(run.statuses()).toEqual(["a:SUCCESS", "b:PENDING"]);
	});

	it("T6 retries a failing job with exponential backoff, keeping one task record in RETRY", () => {
		const run = new ProcessRun(wf).start();
		run.fail("a", "first");
		expect(run.task("a")).toMatchObject({
			status: "RETRY",
			attempt: 2,
			error: { message: "first" },
		});
		expect(run.effects).toEqual([
			{ type: "DispatchTask", taskId: "p/t1", attempt: 2, delaySeconds: 10 },
		]);
		run.fail("a", "second");
		expect(run.effects).toEqual([
			{ type: "DispatchTask", taskId: "p/t1", attempt: 3, delaySeconds: 20 },
		]);
		run.complete("a", "fine");
		expect(run.tasks("a")).toHaveLength(1);
		expect(run.task("a")).toMatchObject({ status: "SUCCESS", attempt: 3, result: "fine" });
	});

	it("T6 fails the task after the last attempt, keeping the error", () => {
		const run = new ProcessRun(wf).start();
		run.fail("a", "1").fail("a", "2").fail("a", "3");
		expect(run.task("a")).toMatchObject({ status: "FAILURE", attempt: 3, error: { message: "3" } });
		expect(run.state.status).toBe("FAILURE");
	});

	it("T6 fails at once on a permanent (non-retryable) error", () => {
		const run = new ProcessRun(wf).start();
		run.fail("a", "no", false);
		expect(run.task("a")).toMatchObject({ status: "FAILURE", attempt: 1 });
	});

	it("T6 caps the backoff at the policy's maximum", () => {
		const run = new ProcessRun(build([n("a", { start: true, end: true })], [])).start();
		run.fail("a").fail("a");
		expect(run.effects).toEqual([
			{ type: "DispatchTask", taskId: "p/t1", attempt: 3, delaySeconds: 20 },
		]);
	});

	it("T8 acknowledges a duplicate completion of an old attempt with no effect", () => {
		const run = new ProcessRun(wf).start();
		run.fail("a");
		const before = JSON.stringify(run.state);
		run.send({ type: "CompleteTask", taskId: "p/t1", attempt: 1, result: "late" });
		expect(run.effects).toEqual([]);
		expect(JSON.stringify(run.state)).toBe(before);
		run.send({ type: "ReportProgress", taskId: "p/t1", attempt: 1, progress: 50 });
		run.send({
			type: "FailTask",
			taskId: "p/t1",
			attempt: 1,
			error: { message: "dup" },
			retryable: true,
		});
		expect(JSON.stringify(run.state)).toBe(before);
	});

	it("T8 acknowledges a completion of a finished task, and of a revoked one, with no effect", () => {
		const run = new ProcessRun(wf).start();
		run.complete("a", 1);
		const before = JSON.stringify(run.state);
		run.send({ type: "CompleteTask", taskId: "p/t1", attempt: 1, result: 2 });
		expect(run.effects).toEqual([]);
		expect(JSON.stringify(run.state)).toBe(before);
		run.send({ type: "ClaimTask", taskId: "p/t2", attempt: 1 });
		run.send({ type: "RevokeTask", taskId: "p/t2" });
		run.send({ type: "CompleteTask", taskId: "p/t2", attempt: 1, result: "late" });
		expect(run.task("b").status).toBe("REVOKED");
		expect(run.effects).toEqual([]);
	});

	it("T8 answers a claim: busy while the lease is live, stale for another attempt, finished when done", () => {
		const run = new ProcessRun(wf).start();
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 1 });
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 1 });
		expect(run.reply).toEqual({ run: false, reason: "busy" });
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 2 });
		expect(run.reply).toEqual({ run: false, reason: "stale" });
		run.send({ type: "CompleteTask", taskId: "p/t1", attempt: 1, result: null });
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 1 });
		expect(run.reply).toEqual({ run: false, reason: "finished" });
	});

	it("T8 lets a redelivered claim run again once the lease has expired", () => {
		const run = new ProcessRun(wf).start();
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 1 });
		run.now += CLAIM_LEASE_MS + 1;
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 1 });
		expect(run.reply).toMatchObject({ run: true });
	});

	it("T6 re-dispatches a STARTED job whose lease expired as a new attempt", () => {
		const run = new ProcessRun(wf).start();
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 1 });
		run.send({ type: "ExpireLeases" });
		expect(run.effects).toEqual([]);
		run.now += CLAIM_LEASE_MS;
		run.send({ type: "ExpireLeases" });
		expect(run.task("a")).toMatchObject({
			status: "RETRY",
			attempt: 2,
			error: { code: "LEASE_EXPIRED" },
		});
		expect(run.effects).toEqual([
			{ type: "DispatchTask", taskId: "p/t1", attempt: 2, delaySeconds: 10 },
		]);
	});

	it("T5 renews the lease on every progress report", () => {
		const run = new ProcessRun(wf).start();
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 1 });
		run.now += CLAIM_LEASE_MS - 1_000;
		run.send({ type: "ReportProgress", taskId: "p/t1", attempt: 1, progress: 10 });
		expect(run.task("a").leaseUntil).toBe(run.now + CLAIM_LEASE_MS);
	});

	it("T7 emits RevokeTask with the task type so the worker runs onRevoke, and none for input tasks", () => {
		const two = build(
			[
				n("a", { start: true }),
				n("q", { start: true, task: "ask", params: { questions: {} } }),
				n("e", { end: true }),
			],
			[t("a", "e"), t("q", "e")],
		);
		const run = new ProcessRun(two).start();
		run.send({ type: "StopProcess" });
		expect(run.effects).toEqual([
			{ type: "RevokeTask", taskId: "p/t1", attempt: 1, taskType: "job" },
			{ type: "FinishProcess", status: "REVOKED", results: [] },
		]);
	});

	it("T6 lets an admin retry a task with an incident (a dead-lettered message) as a new attempt", () => {
		const run = new ProcessRun(wf).start();
		run.send({
			type: "RecordIncident",
			taskId: "p/t1",
			kind: "dead_letter",
			message: "message died",
		});
		expect(run.task("a").incident).toBe("p/i1");
		run.send({ type: "RetryTask", taskId: "p/t1" });
		expect(run.task("a")).toMatchObject({ status: "PENDING", attempt: 2 });
		expect(run.task("a").incident).toBeUndefined();
		expect(run.state.incidents[0]?.resolvedAt).toBe(run.now);
		expect(run.effects).toEqual([
			{ type: "DispatchTask", taskId: "p/t1", attempt: 2, delaySeconds: 0 },
		]);
	});
});
