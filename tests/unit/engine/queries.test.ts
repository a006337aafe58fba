import { describe, expect, it } from "vitest";
import {
	CLAIM_LEASE_MS,
	isStuck,
	nextWakeAt,
	processProgress,
	waitingBranches,
} from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { ProcessRun } from "../helpers/harness.ts";

describe("queries", () => {
	it("P5 flags a STARTED process with no active task as stuck (an AND join that can never fire)", () => {
		const wf = build(
			[n("s", { start: true, split: "xor" }), n("x"), n("y"), n("j", { end: true, join: "and" })],
			[t("s", "x"), t("s", "y"), t("x", "j"), t("y", "j")],
		);
		const run = new ProcessRun(wf).start();
		expect(isStuck(wf, run.state)).toBe(false);
		run.complete("s").complete("x");
		expect(run.state.status).toBe("STARTED");
		expect(isStuck(wf, run.state)).toBe(true);
	});

	it("P5 does not flag a finished or a PENDING process", () => {
		const wf = build([n("s", { start: true, end: true })], []);
		const run = new ProcessRun(wf);
		expect(isStuck(wf, run.state)).toBe(false);
		run.start().complete("s");
		expect(isStuck(wf, run.state)).toBe(false);
	});

	it("P6 is the floor of the mean task progress, 0 with no tasks", () => {
		const wf = build(
			[n("a", { start: true }), n("b", { start: true }), n("c", { start: true, end: true })],
			[],
		);
		const run = new ProcessRun(wf);
		expect(processProgress(run.state)).toBe(0);
		run.start().complete("a");
		run.send({ type: "ClaimTask", taskId: run.task("b").id, attempt: 1 });
		run.send({ type: "ReportProgress", taskId: run.task("b").id, attempt: 1, progress: 51 });
		expect(processProgress(run.state)).toBe(50);
	});

	it("T13 wakes the adapter at the earliest timer, lease or claim deadline", () => {
		const wf = build(
			[
				n("w", { start: true, task: "wait", params: { duration: "1h" } }),
				n("j", { start: true }),
				n("e", { end: true, join: "and" }),
			],
			[t("w", "e"), t("j", "e")],
		);
		const run = new ProcessRun(wf).start();
		// The job "j" was dispatched: it must be claimed within the dispatch timeout (T13).
		expect(nextWakeAt(run.state)).toBe(run.now + 30_000);
		run.send({ type: "ClaimTask", taskId: run.task("j").id, attempt: 1 });
		expect(nextWakeAt(run.state)).toBe(run.now + CLAIM_LEASE_MS);
	});

	it("J4 names the branches a waiting OR join still waits for, and none for other joins", () => {
		const wf = build(
			[n("s", { start: true }), n("x"), n("y"), n("z"), n("j", { end: true, join: "or" })],
			[t("s", "x"), t("s", "y"), t("s", "z"), t("x", "j"), t("y", "j"), t("z", "j")],
		);
		const run = new ProcessRun(wf).start().complete("s").complete("y");
		expect(waitingBranches(wf, run.state, "j")).toEqual(["x", "z"]);
		expect(waitingBranches(wf, run.state, "s")).toEqual([]);
	});
});
