import { describe, expect, it } from "vitest";
import { waitingBranches } from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { ProcessRun } from "../helpers/harness.ts";

describe("joins", () => {
	it("J1 fires a node with one incoming transition on every arrival (a loop creates a task per pass)", () => {
		const wf = build(
			[
				n("a", { start: true, join: "xor", split: "xor" }),
				n("b", { split: "xor" }),
				n("end", { end: true }),
			],
			[t("a", "b"), t("b", "a", { condition: "again" }), t("b", "end", { condition: "done" })],
		);
		const run = new ProcessRun(wf).start();
		run.complete("a").complete("b", "again").complete("a").complete("b", "done");
		expect(run.statuses()).toEqual([
			"a:SUCCESS",
			"b:SUCCESS",
			"a:SUCCESS",
			"b:SUCCESS",
			"end:PENDING",
		]);
	});

	it("J2 fires the AND join only after every incoming transition holds an arrival", () => {
		const wf = build(
			[n("s", { start: true }), n("x"), n("y"), n("j", { end: true, join: "and" })],
			[t("s", "x"), t("s", "y"), t("x", "j"), t("y", "j")],
		);
		const run = new ProcessRun(wf).start().complete("s").complete("x");
		expect(run.tasks("j")).toHaveLength(0);
		expect(run.state.arrivals).toHaveLength(1);
		expect(run.events.some((e) => e.type === "JoinWaiting")).toBe(true);
		run.complete("y");
		expect(run.tasks("j")).toHaveLength(1);
		expect(run.task("j").firedBy.map((a) => a.fromTask)).toEqual(["p/t2", "p/t3"]);
		expect(run.state.arrivals).toEqual([]);
	});

	it("J2 never fires an AND join on a stale arrival from an earlier pass of a loop", () => {
		// s → a, b → j (AND) → back to s once; a second pass needs fresh arrivals from both a and b
		const wf = build(
			[
				n("s", { start: true, join: "xor" }),
				n("a"),
				n("b"),
				n("j", { join: "and", split: "xor" }),
				n("end", { end: true }),
			],
			[
				t("s", "a"),
				t("s", "b"),
				t("a", "j"),
				t("b", "j"),
				t("j", "s", { condition: "loop" }),
				t("j", "end", { condition: "stop" }),
			],
		);
		const run = new ProcessRun(wf)
			.start()
			.complete("s")
			.complete("a")
			.complete("b")
			.complete("j", "loop");
		run.complete("s").complete("a");
		expect(run.tasks("j")).toHaveLength(1);
		run.complete("b");
		expect(run.tasks("j")).toHaveLength(2);
		expect(run.task("j").firedBy.map((a) => a.fromTask)).toEqual([
			run.task("a").id,
			run.task("b").id,
		]);
	});

	it("J2 keeps extra arrivals for the next firing instead of reusing them", () => {
		const wf = build(
			[n("s", { start: true }), n("x", { start: true }), n("j", { end: true, join: "and" })],
			[t("s", "j"), t("x", "j")],
		);
		const run = new ProcessRun(wf).start().complete("s");
		expect(run.state.arrivals).toHaveLength(1);
		run.complete("x");
		expect(run.tasks("j")).toHaveLength(1);
		expect(run.state.arrivals).toEqual([]);
	});

	it("J3 fires the XOR join on the first arrival, revokes the other parent's task and discards its arrivals", () => {
		const wf = build(
			[n("s", { start: true }), n("x"), n("y"), n("j", { end: true, join: "xor" })],
			[t("s", "x"), t("s", "y"), t("x", "j"), t("y", "j")],
		);
		const run = new ProcessRun(wf).start().complete("s").complete("x");
		expect(run.statuses()).toEqual(["s:SUCCESS", "x:SUCCESS", "y:REVOKED", "j:PENDING"]);
		expect(run.effects).toContainEqual({
			type: "RevokeTask",
			taskId: "p/t3",
			attempt: 1,
			taskType: "job",
		});
		const late = run.try({ type: "CompleteTask", taskId: "p/t3", attempt: 1, result: null });
		expect(late).toMatchObject({ ok: true, effects: [] });
		expect(run.tasks("j")).toHaveLength(1);
	});

	it("J3 discards arrivals already waiting on the XOR join's other transitions", () => {
		const wf = build(
			[n("x", { start: true }), n("y", { start: true }), n("j", { end: true, join: "xor" })],
			[t("x", "j"), t("y", "j")],
		);
		const run = new ProcessRun(wf, { stepBudget: 3 }).start();
		run.complete("x");
		expect(run.tasks("j")).toHaveLength(1);
		expect(run.task("y").status).toBe("REVOKED");
	});

	it("J3 spares a parent that has another outgoing transition", () => {
		const wf = build(
			[n("s", { start: true }), n("x"), n("y"), n("other"), n("j", { end: true, join: "xor" })],
			[t("s", "x"), t("s", "y"), t("x", "j"), t("y", "j"), t("y", "other")],
		);
		const run = new ProcessRun(wf).start().complete("s").complete("x");
		expect(run.task("y").status).toBe("PENDING");
	});

	it("J3 discards an arrival waiting on another transition when the XOR join fires", () => {
		// both parents finish while the step budget holds the join back; raising it fires it once
		const wf = build(
			[n("x", { start: true }), n("y", { start: true }), n("j", { end: true, join: "xor" })],
			[t("x", "j"), t("y", "j")],
		);
		const run = new ProcessRun(wf, { stepBudget: 2 }).start().complete("x").complete("y");
		expect(run.state.arrivals).toHaveLength(2);
		run.send({ type: "RaiseStepBudget", stepBudget: 5 });
		expect(run.tasks("j")).toHaveLength(1);
		expect(run.task("j").firedBy.map((a) => a.fromTask)).toEqual(["p/t1"]);
		expect(run.events).toContainEqual(expect.objectContaining({ type: "ArrivalsDiscarded" }));
		expect(run.state.arrivals).toEqual([]);
	});

	it("J4 fires the OR join only when no other incoming transition can still receive an arrival", () => {
		const wf = build(
			[n("s", { start: true }), n("x"), n("y"), n("j", { end: true, join: "or" })],
			[t("s", "x"), t("s", "y"), t("x", "j"), t("y", "j")],
		);
		const run = new ProcessRun(wf).start().complete("s").complete("x");
		expect(run.tasks("j")).toHaveLength(0);
		expect(waitingBranches(wf, run.state, "j")).toEqual(["y"]);
		run.complete("y");
		expect(run.tasks("j")).toHaveLength(1);
		expect(run.task("j").firedBy).toHaveLength(2);
	});

	it("J4 fires the OR join at once when the branches not taken can never arrive (XOR split upstream)", () => {
		const wf = build(
			[n("s", { start: true, split: "xor" }), n("x"), n("y"), n("j", { end: true, join: "or" })],
			[t("s", "x", { condition: "x" }), t("s", "y", { condition: "y" }), t("x", "j"), t("y", "j")],
		);
		const run = new ProcessRun(wf).start().complete("s", "x").complete("x");
		expect(run.statuses()).toEqual(["s:SUCCESS", "x:SUCCESS", "j:PENDING"]);
	});

	it("J4 re-checks the OR join when a branch is revoked", () => {
		const wf = build(
			[n("s", { start: true }), n("x"), n("y"), n("j", { end: true, join: "or" })],
			[t("s", "x"), t("s", "y"), t("x", "j"), t("y", "j")],
		);
		const run = new ProcessRun(wf).start().complete("s").complete("x");
		run.send({ type: "RevokeTask", taskId: run.task("y").id });
		expect(run.statuses()).toEqual(["s:SUCCESS", "x:SUCCESS", "y:REVOKED", "j:PENDING"]);
	});

	it("J4 waits for a branch still upstream (an arrival or task further back), not only direct parents", () => {
		const wf = build(
			[n("s", { start: true }), n("x"), n("y1"), n("y2"), n("j", { end: true, join: "or" })],
			[t("s", "x"), t("s", "y1"), t("y1", "y2"), t("x", "j"), t("y2", "j")],
		);
		const run = new ProcessRun(wf).start().complete("s").complete("x");
		expect(waitingBranches(wf, run.state, "j")).toEqual(["y2"]);
		run.complete("y1");
		expect(run.tasks("j")).toHaveLength(0);
		run.complete("y2");
		expect(run.tasks("j")).toHaveLength(1);
	});

	it("J4 runs a loop through an OR join once per pass (the conference's subscriptions loop)", () => {
		const wf = build(
			[
				n("p", { start: true }),
				n("m"),
				n("q"),
				n("r", { join: "or" }),
				n("w", { split: "xor" }),
				n("go", { end: true }),
			],
			[
				t("p", "m"),
				t("p", "q"),
				t("m", "r"),
				t("q", "r"),
				t("r", "w"),
				t("w", "r", { condition: "again" }),
				t("w", "go", { condition: "go" }),
			],
		);
		const run = new ProcessRun(wf).start().complete("p").complete("m");
		expect(run.tasks("r")).toHaveLength(0);
		run.complete("q").complete("r").complete("w", "again");
		expect(run.tasks("r")).toHaveLength(2);
		run.complete("r").complete("w", "again").complete("r").complete("w", "go").complete("go");
		expect(run.tasks("r")).toHaveLength(3);
		expect(run.state.status).toBe("SUCCESS");
	});
});
