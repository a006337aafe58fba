import { describe, expect, it } from "vitest";
import { isStuck } from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

describe("step budget", () => {
	const loop = build(
		[n("a", { start: true, join: "xor" }), n("b"), n("never", { end: true })],
		[t("a", "b"), t("b", "a"), t("b", "never", { condition: "stop" })],
	);

	it("P7 stops creating tasks past the budget, raises one incident and keeps the firing pending", () => {
		const run = new ProcessRun(loop, { stepBudget: 3 })
			.start()
			.complete("a")
			.complete("b")
			.complete("a");
		expect(run.state.tasks).toHaveLength(3);
		expect(run.state.stepsUsed).toBe(3);
		expect(run.state.arrivals).toHaveLength(1);
		expect(run.state.incidents).toMatchObject([{ kind: "step_budget" }]);
		expect(run.effects).toContainEqual(expect.objectContaining({ type: "RaiseIncident" }));
		expect(run.state.status).toBe("STARTED");
		expect(isStuck(loop, run.state)).toBe(false);
	});

	it("P7 uses the workflow's budget, and 10,000 by default", () => {
		expect(new ProcessRun(loop).state.stepBudget).toBe(10_000);
		const bounded = build(loop.definition.nodes, loop.definition.transitions, { stepBudget: 7 });
		expect(new ProcessRun(bounded).state.stepBudget).toBe(7);
	});

	it("P7 resumes the pending firings when an admin raises the budget", () => {
		const run = new ProcessRun(loop, { stepBudget: 3 })
			.start()
			.complete("a")
			.complete("b")
			.complete("a");
		run.send({ type: "RaiseStepBudget", stepBudget: 10, actor: admin });
		expect(run.state.tasks).toHaveLength(4);
		expect(run.task("b").status).toBe("PENDING");
		expect(run.state.incidents[0]?.resolvedAt).toBe(run.now);
		expect(run.events.map((e) => e.type)).toContain("StepBudgetRaised");
		expect(run.effects).toContainEqual(expect.objectContaining({ type: "DispatchTask" }));
	});

	it("P7 keeps start nodes pending when the budget is smaller than the start nodes", () => {
		const two = build([n("a", { start: true, end: true }), n("b", { start: true, end: true })], []);
		const run = new ProcessRun(two, { stepBudget: 1 }).start();
		expect(run.state.pendingStarts).toEqual(["b"]);
		run.send({ type: "RaiseStepBudget", stepBudget: 2 });
		expect(run.statuses()).toEqual(["a:PENDING", "b:PENDING"]);
	});

	it("P7 lets only an admin raise the budget, and only upwards", () => {
		const run = new ProcessRun(loop, { stepBudget: 3 }).start();
		expect(
			run.try({ type: "RaiseStepBudget", stepBudget: 5, actor: { id: "u", roles: [] } }),
		).toMatchObject({
			ok: false,
			error: { code: "forbidden" },
		});
		expect(run.try({ type: "RaiseStepBudget", stepBudget: 2 })).toMatchObject({
			ok: false,
			error: { code: "conflict" },
		});
	});
});
