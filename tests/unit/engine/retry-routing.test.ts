// R4: retrying a failed task withdraws the failure routing its failure caused (failure routes or
// the alternative way, R3), so the work it started is not started twice.
import { describe, expect, it } from "vitest";
import { build, n, t } from "../helpers/builder.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

// pay fails → "phone the supplier"; either way the order is done (XOR join).
const phoning = build(
	[n("s", { start: true }), n("pay"), n("phone"), n("done", { end: true, join: "xor" })],
	[t("s", "pay"), t("pay", "done"), t("pay", "phone", { on: "failure" }), t("phone", "done")],
);

function payFailed(): ProcessRun {
	const run = new ProcessRun(phoning).start().complete("s");
	run.fail("pay", "card declined", false);
	expect(run.statuses()).toEqual(["s:SUCCESS", "pay:FAILURE", "phone:PENDING"]);
	return run;
}

describe("retry and failure routing", () => {
	it("R4 a retry revokes the still-active task its failure route created (onRevoke runs), once", () => {
		const run = payFailed();
		const phone = run.task("phone");
		run.send({ type: "RetryTask", taskId: run.task("pay").id, actor: admin });
		expect(run.statuses()).toEqual(["s:SUCCESS", "pay:PENDING", "phone:REVOKED"]);
		expect(run.effects).toEqual([
			{ type: "RevokeTask", taskId: phone.id, attempt: 1, taskType: "job" },
			{ type: "DispatchTask", taskId: run.task("pay").id, attempt: 2, delaySeconds: 0 },
		]);
		const withdrawn = run.events.find((e) => e.type === "FailureRoutingWithdrawn");
		expect(withdrawn).toMatchObject({
			taskId: run.task("pay").id,
			actor: "admin",
			data: { revoked: [phone.id] },
		});
		// Failing again takes the failure route again: one phone call active, not two.
		run.fail("pay", "declined again", false);
		expect(run.tasks("phone").filter((x) => x.status === "PENDING")).toHaveLength(1);
		run.complete("phone").complete("done");
		expect(run.state.status).toBe("SUCCESS");
		expect(run.tasks("done")).toHaveLength(1);
	});

	it("R4 a retry removes the arrivals its failure left waiting at a join", () => {
		const wf = build(
			[
				n("s", { start: true }),
				n("a"),
				n("b"),
				n("j", { join: "and" }),
				n("end", { end: true, join: "xor" }),
			],
			[
				t("s", "a"),
				t("s", "b"),
				t("a", "j", { on: "failure" }),
				t("b", "j"),
				t("a", "end"),
				t("j", "end"),
			],
		);
		const run = new ProcessRun(wf).start().complete("s");
		run.fail("a", "no", false);
		expect(run.state.arrivals).toHaveLength(1);
		run.send({ type: "RetryTask", taskId: run.task("a").id, actor: admin });
		expect(run.state.arrivals).toEqual([]);
		expect(run.events.map((e) => e.type)).toContain("ArrivalsDiscarded");
		// b arriving alone does not fire the AND join on the withdrawn arrival.
		run.complete("b");
		expect(run.tasks("j")).toHaveLength(0);
		run.complete("a").complete("end");
		expect(run.state.status).toBe("SUCCESS");
	});

	it("R4 a retry is refused with conflict, naming them, when tasks of the failure route have finished", () => {
		const run = new ProcessRun(
			build(
				[
					n("s", { start: true }),
					n("pay"),
					n("phone"),
					n("note"),
					n("done", { end: true, join: "and" }),
				],
				[
					t("s", "pay"),
					t("s", "note"),
					t("pay", "done"),
					t("pay", "phone", { on: "failure" }),
					t("phone", "done"),
					t("note", "done"),
				],
			),
		)
			.start()
			.complete("s");
		run.fail("pay", "declined", false);
		run.complete("phone");
		const before = JSON.stringify(run.state);
		const outcome = run.try({ type: "RetryTask", taskId: run.task("pay").id, actor: admin });
		expect(outcome).toMatchObject({ ok: false, error: { code: "conflict" } });
		if (outcome.ok) return;
		expect(outcome.error.message).toContain(run.task("phone").id);
		expect(outcome.error.message).toContain("phone");
		expect(JSON.stringify(run.state)).toBe(before);
	});

	it("R4 the alternative way (R3) taken by a failure is withdrawn by its retry too", () => {
		const wf = build(
			[
				n("choose", { start: true, split: "xor" }),
				n("charge"),
				n("manual"),
				n("paid", { end: true, join: "xor" }),
			],
			[t("choose", "charge"), t("choose", "manual"), t("charge", "paid"), t("manual", "paid")],
		);
		const run = new ProcessRun(wf).start().complete("choose");
		run.fail("charge", "declined", false);
		expect(run.statuses()).toEqual(["choose:SUCCESS", "charge:FAILURE", "manual:PENDING"]);
		run.send({ type: "RetryTask", taskId: run.task("charge").id, actor: admin });
		expect(run.statuses()).toEqual(["choose:SUCCESS", "charge:PENDING", "manual:REVOKED"]);
		run.complete("charge").complete("paid");
		expect(run.state.status).toBe("SUCCESS");
		expect(run.tasks("manual")).toHaveLength(1);
	});
});
