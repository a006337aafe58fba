// T14: the claim travels with the completion. A CompleteTask with `claimNext` claims the jobs the
// step dispatches with no delay for its worker (STARTED, a lease, no queue message); the rest go by
// the queue as before.
import { describe, expect, it } from "vitest";
import { CLAIM_LEASE_MS, type CompleteReply, LEASE_MS } from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { ProcessRun } from "../helpers/harness.ts";

const chain = build(
	[n("a", { start: true }), n("b"), n("c", { end: true })],
	[t("a", "b"), t("b", "c")],
);
const fork = build(
	[
		n("a", { start: true, split: "and" }),
		n("x"),
		n("y"),
		n("z"),
		n("end", { join: "and", end: true }),
	],
	[t("a", "x"), t("a", "y"), t("a", "z"), t("x", "end"), t("y", "end"), t("z", "end")],
);

function completeClaiming(run: ProcessRun, node: string, claimNext: number): CompleteReply {
	const task = run.task(node);
	run.send({ type: "ClaimTask", taskId: task.id, attempt: task.attempt });
	run.send({ type: "CompleteTask", taskId: task.id, attempt: task.attempt, claimNext });
	return run.reply as CompleteReply;
}

describe("claim with the completion", () => {
	it("T14 claims the job a completion dispatches: STARTED with a lease, and no queue message", () => {
		const run = new ProcessRun(chain).start();
		const reply = completeClaiming(run, "a", 1);
		const b = run.task("b");
		expect(reply.next).toEqual([{ taskId: b.id, attempt: 1, taskType: "job", params: {} }]);
		expect(b).toMatchObject({ status: "STARTED", leaseUntil: run.now + CLAIM_LEASE_MS });
		expect(b.dispatchDueBy).toBeUndefined();
		expect(run.effects.filter((e) => e.type === "DispatchTask")).toEqual([]);
		expect(run.events.map((e) => `${e.type}:${e.node}`)).toEqual([
			"TaskSucceeded:a",
			"TaskCreated:b",
			"TaskStarted:b",
		]);
	});

	it("T14 claims at most `claimNext` of a split's jobs; the others are dispatched to the queue", () => {
		const run = new ProcessRun(fork).start();
		const reply = completeClaiming(run, "a", 2);
		expect(reply.next.map((j) => j.taskId)).toEqual([run.task("x").id, run.task("y").id]);
		expect(run.statuses()).toEqual(["a:SUCCESS", "x:STARTED", "y:STARTED", "z:PENDING"]);
		expect(run.effects).toEqual([
			{ type: "DispatchTask", taskId: run.task("z").id, attempt: 1, delaySeconds: 0 },
		]);
	});

	it("T14 a stale completion claims nothing (T8)", () => {
		const run = new ProcessRun(chain).start();
		run.complete("a");
		const a = run.task("a");
		run.send({ type: "CompleteTask", taskId: a.id, attempt: 1, claimNext: 5 });
		expect(run.reply).toEqual({ next: [] });
		expect(run.task("b").status).toBe("PENDING");
	});

	it("T14 a completion held by a suspended process claims nothing until it is applied (O1)", () => {
		const run = new ProcessRun(chain).start();
		const a = run.task("a");
		run.send({ type: "ClaimTask", taskId: a.id, attempt: 1 });
		run.send({ type: "SuspendProcess" });
		run.send({ type: "CompleteTask", taskId: a.id, attempt: 1, claimNext: 5 });
		expect(run.reply).toBeUndefined();
		expect(run.statuses()).toEqual(["a:STARTED"]);
		run.send({ type: "ResumeProcess" });
		// Applied on resume as it came: b goes by the queue, since no worker waits for the reply.
		expect(run.statuses()).toEqual(["a:SUCCESS", "b:PENDING"]);
		expect(run.effects).toContainEqual({
			type: "DispatchTask",
			taskId: run.task("b").id,
			attempt: 1,
			delaySeconds: 0,
		});
	});

	it("T14 a claimed job whose worker vanished becomes a new attempt at its short lease's end (T6)", () => {
		const run = new ProcessRun(chain).start();
		completeClaiming(run, "a", 1);
		// A claimed job has no queue message to be redelivered: its lease is all that frees it, so
		// it is short (CLAIM_LEASE_MS, not LEASE_MS) and its worker renews it while the job runs.
		expect(CLAIM_LEASE_MS).toBeLessThan(LEASE_MS / 5);
		run.now += CLAIM_LEASE_MS;
		run.send({ type: "ExpireLeases" });
		expect(run.task("b")).toMatchObject({ status: "RETRY", attempt: 2 });
		expect(run.effects).toMatchObject([{ type: "DispatchTask", attempt: 2 }]);
	});

	it("T14 the worker running a claimed job renews its lease: CLAIM_LEASE_MS from now, no history", () => {
		const run = new ProcessRun(chain).start();
		completeClaiming(run, "a", 1);
		const b = run.task("b");
		run.now += CLAIM_LEASE_MS - 1_000;
		run.send({ type: "RenewLease", taskId: b.id, attempt: 1 });
		expect(run.task("b").leaseUntil).toBe(run.now + CLAIM_LEASE_MS);
		expect(run.events).toEqual([]);
		// Past the first lease's end, the renewed one still holds the job.
		run.now += 2_000;
		run.send({ type: "ExpireLeases" });
		expect(run.task("b")).toMatchObject({ status: "STARTED", attempt: 1 });
	});

	it("T14 a lapsed lease or a stale attempt is not renewed: the new attempt stands (T6, T8)", () => {
		const run = new ProcessRun(chain).start();
		completeClaiming(run, "a", 1);
		const b = run.task("b");
		run.now += CLAIM_LEASE_MS;
		run.send({ type: "RenewLease", taskId: b.id, attempt: 1 });
		expect(run.task("b").leaseUntil).toBeLessThanOrEqual(run.now);
		run.send({ type: "ExpireLeases" });
		expect(run.task("b")).toMatchObject({ status: "RETRY", attempt: 2 });
		run.send({ type: "RenewLease", taskId: b.id, attempt: 1 });
		expect(run.task("b")).toMatchObject({ status: "RETRY", attempt: 2 });
		expect(run.task("b").leaseUntil).toBeUndefined();
	});
});
