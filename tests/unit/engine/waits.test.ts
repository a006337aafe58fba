import { describe, expect, it } from "vitest";
import { build, n, t } from "../helpers/builder.ts";
import { ProcessRun } from "../helpers/harness.ts";

describe("timers, subprocesses and events", () => {
	it("T5 starts a wait task at once with a timer for its duration, and succeeds when it fires", () => {
		const wf = build(
			[n("w", { start: true, task: "wait", params: { duration: "30s" } }), n("e", { end: true })],
			[t("w", "e")],
		);
		const run = new ProcessRun(wf).start();
		const dueAt = run.now + 30_000;
		expect(run.task("w")).toMatchObject({ status: "STARTED", timerDueAt: dueAt });
		expect(run.effects).toEqual([{ type: "SetTimer", taskId: "p/t1", dueAt }]);
		run.send({ type: "FireTimer", taskId: "p/t1" });
		expect(run.task("w").status).toBe("STARTED");
		run.now = dueAt;
		run.send({ type: "FireTimer", taskId: "p/t1" });
		expect(run.statuses()).toEqual(["w:SUCCESS", "e:PENDING"]);
		run.send({ type: "FireTimer", taskId: "p/t1" });
		expect(run.effects).toEqual([]);
	});

	it("T5 waits until an ISO date given in `until`", () => {
		const wf = build(
			[n("w", { start: true, end: true, task: "wait", params: { until: "2030-01-01T00:00:00Z" } })],
			[],
		);
		const run = new ProcessRun(wf).start();
		expect(run.task("w").timerDueAt).toBe(Date.UTC(2030, 0, 1));
	});

	it("T2 keeps a wait task with neither until nor duration PENDING for input", () => {
		const wf = build([n("w", { start: true, end: true, task: "wait" })], []);
		const run = new ProcessRun(wf).start();
		expect(run.task("w")).toMatchObject({
			status: "PENDING",
			awaitingInput: true,
			requiredFields: ["duration"],
		});
	});

	it("P3 cancels the timer of a revoked wait task", () => {
		const wf = build(
			[n("w", { start: true, end: true, task: "wait", params: { duration: "1d" } })],
			[],
		);
		const run = new ProcessRun(wf).start();
		run.send({ type: "RevokeTask", taskId: "p/t1" });
		expect(run.effectTypes()).toEqual(["CancelTimer"]);
	});

	it("starts a subprocess and mirrors the child's SUCCESS, its results becoming the task's result", () => {
		const wf = build(
			[
				n("sub", {
					start: true,
					task: "subprocess",
					params: { workflow: "child", params: { a: 1 } },
				}),
				n("e", { end: true }),
			],
			[t("sub", "e")],
		);
		const run = new ProcessRun(wf, { priority: 3 }).start();
		expect(run.effects).toEqual([
			{
				type: "StartSubprocess",
				taskId: "p/t1",
				childProcessId: "p/t1/p1",
				workflow: "child",
				params: { a: 1 },
				priority: 3,
			},
		]);
		run.send({ type: "EndSubprocess", taskId: "p/t1", status: "SUCCESS", results: ["done"] });
		expect(run.task("sub")).toMatchObject({ status: "SUCCESS", result: ["done"] });
		expect(run.task("e").status).toBe("PENDING");
	});

	it("fails a subprocess task whose child failed, then routes the failure (P2 here)", () => {
		const wf = build(
			[
				n("sub", { start: true, task: "subprocess", params: { workflow: "child" } }),
				n("e", { end: true }),
			],
			[t("sub", "e")],
		);
		const run = new ProcessRun(wf).start();
		run.send({ type: "EndSubprocess", taskId: "p/t1", status: "FAILURE", results: [] });
		expect(run.task("sub")).toMatchObject({
			status: "FAILURE",
			error: { code: "SUBPROCESS_FAILED" },
		});
		expect(run.state.status).toBe("FAILURE");
	});

	it("revokes a subprocess task whose child was revoked, without stopping the child again", () => {
		const wf = build(
			[
				n("sub", { start: true, task: "subprocess", params: { workflow: "child" } }),
				n("e", { end: true }),
			],
			[t("sub", "e")],
		);
		const run = new ProcessRun(wf).start();
		run.send({ type: "EndSubprocess", taskId: "p/t1", status: "REVOKED", results: [] });
		expect(run.task("sub").status).toBe("REVOKED");
		// The child already ended: nothing to stop, and a subprocess task has no onRevoke to run.
		expect(run.effectTypes()).toEqual([]);
	});

	it("starts an event task with its correlation key and succeeds with the delivered payload", () => {
		const wf = build(
			[
				n("ev", { start: true, task: "event", params: { correlationKey: "order-42" } }),
				n("e", { end: true }),
			],
			[t("ev", "e")],
		);
		const run = new ProcessRun(wf).start();
		expect(run.task("ev")).toMatchObject({ status: "STARTED", correlationKey: "order-42" });
		run.send({ type: "DeliverEvent", taskId: "p/t1", payload: { paid: true } });
		expect(run.task("ev")).toMatchObject({ status: "SUCCESS", result: { paid: true } });
		run.send({ type: "DeliverEvent", taskId: "p/t1", payload: { paid: false } });
		expect(run.effects).toEqual([]);
		expect(run.task("ev").result).toEqual({ paid: true });
	});

	it("T8 ignores a timer, child end or event for a task of another mode", () => {
		const wf = build([n("a", { start: true, end: true })], []);
		const run = new ProcessRun(wf).start();
		const before = JSON.stringify(run.state);
		run.send({ type: "FireTimer", taskId: "p/t1" });
		run.send({ type: "DeliverEvent", taskId: "p/t1", payload: 1 });
		run.send({ type: "EndSubprocess", taskId: "p/t1", status: "SUCCESS", results: [] });
		expect(JSON.stringify(run.state)).toBe(before);
	});
});
