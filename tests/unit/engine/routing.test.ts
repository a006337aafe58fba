import { describe, expect, it } from "vitest";
import { build, n, t } from "../helpers/builder.ts";
import { ProcessRun } from "../helpers/harness.ts";

describe("routing", () => {
	it("R1 takes a transition with no condition always, and a literal only when it equals the result", () => {
		const wf = build(
			[
				n("s", { start: true }),
				n("always"),
				n("four"),
				n("five"),
				n("end", { end: true, join: "or" }),
			],
			[
				t("s", "always"),
				t("s", "four", { condition: "4" }),
				t("s", "five", { condition: 5 }),
				t("always", "end"),
				t("four", "end"),
				t("five", "end"),
			],
		);
		const run = new ProcessRun(wf).start().complete("s", 4);
		expect(run.statuses()).toEqual(["s:SUCCESS", "always:PENDING", "four:PENDING"]);
	});

	it("R1 evaluates a FEEL expression over result, params and process", () => {
		const wf = build(
			[n("s", { start: true, split: "xor" }), n("big", { end: true }), n("small", { end: true })],
			[
				t("s", "big", { condition: '= result.total > 1000 and params.region = "EU"' }),
				t("s", "small", { condition: "= process.passes.s >= 1" }),
			],
			{ startForm: { region: { label: "Region", default: "EU" } } },
		);
		expect(new ProcessRun(wf).start().complete("s", { total: 1500 }).task("big").status).toBe(
			"PENDING",
		);
		const us = new ProcessRun(wf, { params: { region: "US" } })
			.start()
			.complete("s", { total: 1500 });
		expect(us.statuses()).toEqual(["s:SUCCESS", "small:PENDING"]);
	});

	it("R1 lets a decision after a gateway name an earlier task's result through process.last", () => {
		const wf = build(
			[
				n("approve", { start: true }),
				n("gateway", { split: "xor" }),
				n("pay", { end: true }),
				n("refuse", { end: true }),
			],
			[
				t("approve", "gateway"),
				t("gateway", "pay", { condition: '= process.last.approve = "yes"' }),
				t("gateway", "refuse", { condition: '= process.last.approve != "yes"' }),
			],
		);
		const run = new ProcessRun(wf).start().complete("approve", "yes").complete("gateway", null);
		expect(run.statuses()).toEqual(["approve:SUCCESS", "gateway:SUCCESS", "pay:PENDING"]);
		const no = new ProcessRun(wf).start().complete("approve", "no").complete("gateway", null);
		expect(no.statuses()).toEqual(["approve:SUCCESS", "gateway:SUCCESS", "refuse:PENDING"]);
	});

	it("R2 takes every candidate of an AND split, in definition order, one arrival each", () => {
		const wf = build(
			[
				n("s", { start: true }),
				n("a", { end: true }),
				n("b", { end: true }),
				n("c", { end: true }),
			],
			[t("s", "b"), t("s", "a"), t("s", "c", { condition: "no" })],
		);
		const run = new ProcessRun(wf).start().complete("s", "yes");
		expect(run.statuses()).toEqual(["s:SUCCESS", "b:PENDING", "a:PENDING"]);
		expect(run.state.arrivalSeq).toBe(2);
	});

	it("R2 takes the first candidate of an XOR split whose child can fire with this arrival", () => {
		const wf = build(
			[
				n("s", { start: true, split: "xor" }),
				n("other", { start: true }),
				n("and", { join: "and", end: true }),
				n("single", { end: true }),
			],
			[t("s", "and"), t("other", "and"), t("s", "single")],
		);
		const run = new ProcessRun(wf).start().complete("s");
		expect(run.statuses()).toEqual(["s:SUCCESS", "other:PENDING", "single:PENDING"]);
	});

	it("R2 takes the first candidate of an XOR split when no child can fire, leaving its arrival waiting", () => {
		const wf = build(
			[
				n("s", { start: true, split: "xor" }),
				n("o1", { start: true }),
				n("o2", { start: true }),
				n("j1", { join: "and", end: true }),
				n("j2", { join: "and", end: true }),
			],
			[t("s", "j1"), t("o1", "j1"), t("s", "j2"), t("o2", "j2")],
		);
		const run = new ProcessRun(wf).start().complete("s");
		expect(run.state.arrivals.map((a) => wf.transitions[a.transition]?.to)).toEqual(["j1"]);
		run.complete("o1");
		expect(run.tasks("j1")).toHaveLength(1);
	});

	it("R2 leaves the process with nothing to do when no condition matches (stuck, P5)", () => {
		const wf = build(
			[n("s", { start: true }), n("e", { end: true })],
			[t("s", "e", { condition: "yes" })],
		);
		const run = new ProcessRun(wf).start().complete("s", "no");
		expect(run.state.status).toBe("STARTED");
		expect(run.state.tasks).toHaveLength(1);
	});
});

describe("failure routing", () => {
	it("R3 routes a FAILURE along its failure transitions only", () => {
		const wf = build(
			[
				n("s", { start: true, task: "needs-x", params: { x: 1 } }),
				n("ok", { end: true }),
				n("fix", { end: true }),
			],
			[t("s", "ok"), t("s", "fix", { on: "failure" })],
		);
		const run = new ProcessRun(wf).start().fail("s", "bad", false);
		expect(run.statuses()).toEqual(["s:FAILURE", "fix:PENDING"]);
		expect(run.state.status).toBe("STARTED");
	});

	it("R3 takes the alternative way: the next branch of the nearest XOR-split ancestor", () => {
		const wf = build(
			[
				n("choose", { start: true, split: "xor" }),
				n("plan_a"),
				n("a_step"),
				n("plan_b"),
				n("done", { end: true, join: "xor" }),
			],
			[
				t("choose", "plan_a"),
				t("choose", "plan_b"),
				t("plan_a", "a_step"),
				t("a_step", "done"),
				t("plan_b", "done"),
			],
		);
		const run = new ProcessRun(wf).start().complete("choose").complete("plan_a");
		run.fail("a_step", "x", false);
		expect(run.statuses()).toEqual([
			"choose:SUCCESS",
			"plan_a:SUCCESS",
			"a_step:FAILURE",
			"plan_b:PENDING",
		]);
		expect(run.events).toContainEqual(expect.objectContaining({ type: "AlternativeTaken" }));
		expect(run.state.incidents).toMatchObject([{ kind: "task_failed" }]);
		run.complete("plan_b").complete("done");
		expect(run.state.status).toBe("SUCCESS");
	});

	it("R3 skips alternatives whose condition did not match the ancestor's result, or whose node already ran", () => {
		const wf = build(
			[
				n("choose", { start: true, split: "xor" }),
				n("a"),
				n("b"),
				n("c"),
				n("done", { end: true, join: "xor" }),
			],
			[
				t("choose", "a"),
				t("choose", "b", { condition: "never" }),
				t("choose", "c"),
				t("a", "done"),
				t("b", "done"),
				t("c", "done"),
			],
		);
		const run = new ProcessRun(wf).start().complete("choose", "r").fail("a", "x", false);
		expect(run.statuses()).toEqual(["choose:SUCCESS", "a:FAILURE", "c:PENDING"]);
		run.fail("c", "y", false);
		expect(run.state.status).toBe("FAILURE");
	});

	it("P2 fails the process when there is no failure route and no alternative, revoking the rest", () => {
		const wf = build(
			[n("s", { start: true }), n("a"), n("b"), n("e", { end: true, join: "and" })],
			[t("s", "a"), t("s", "b"), t("a", "e"), t("b", "e")],
		);
		const run = new ProcessRun(wf).start().complete("s").fail("a", "x", false);
		expect(run.state.status).toBe("FAILURE");
		expect(run.statuses()).toEqual(["s:SUCCESS", "a:FAILURE", "b:REVOKED"]);
		expect(run.effects).toContainEqual({
			type: "FinishProcess",
			status: "FAILURE",
			results: [],
			error: { message: "x" },
		});
		expect(run.state.endedAt).toBe(run.now);
	});
});
