// P8: a task that failed the process (P2) can be retried by an admin: the process is reopened,
// the tasks the failure revoked stay revoked, and the act and the actor are in the history.
import { describe, expect, it } from "vitest";
import { failedTaskOf } from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

const wf = build(
	[n("s", { start: true }), n("pay"), n("side"), n("end", { end: true, join: "or" })],
	[t("s", "pay"), t("s", "side"), t("pay", "end"), t("side", "end")],
);

/** s → pay (fails for good, no route) and side (revoked by the failure). */
function failedRun(): ProcessRun {
	const run = new ProcessRun(wf).start().complete("s");
	run.fail("pay", "card declined", false);
	expect(run.state.status).toBe("FAILURE");
	expect(run.statuses()).toEqual(["s:SUCCESS", "pay:FAILURE", "side:REVOKED"]);
	return run;
}

describe("reopening a failed process", () => {
	it("P8 names the task that failed the process", () => {
		const run = failedRun();
		expect(failedTaskOf(run.state)?.id).toBe(run.task("pay").id);
		expect(failedTaskOf(new ProcessRun(wf).start().state)).toBeUndefined();
	});

	it("P8 an admin's retry of the failed task reopens the process; the revoked tasks stay revoked", () => {
		const run = failedRun();
		const pay = run.task("pay");
		run.send({ type: "RetryTask", taskId: pay.id, actor: admin });
		expect(run.state.status).toBe("STARTED");
		expect(run.state.endedAt).toBeUndefined();
		expect(run.task("pay")).toMatchObject({ status: "PENDING", attempt: 2 });
		expect(run.statuses()).toEqual(["s:SUCCESS", "pay:PENDING", "side:REVOKED"]);
		expect(run.events.map((e) => [e.type, e.actor])).toEqual([
			["ProcessReopened", "admin"],
			["IncidentResolved", undefined],
			["TaskRetried", "admin"],
		]);
		expect(run.events[0]?.data).toMatchObject({ task: pay.id });
		expect(run.effectTypes()).toEqual(["DispatchTask"]);
		// The retried task routes on: the OR join fires on its arrival alone (side was revoked).
		run.complete("pay");
		run.complete("end");
		expect(run.state.status).toBe("SUCCESS");
	});

	it("P8 only the task that failed the process, by an admin, and never a subprocess's", () => {
		const run = failedRun();
		expect(run.try({ type: "RetryTask", taskId: run.task("side").id, actor: admin })).toMatchObject(
			{ ok: false, error: { code: "conflict" } },
		);
		expect(run.try({ type: "RetryTask", taskId: run.task("s").id, actor: admin })).toMatchObject({
			ok: false,
			error: { code: "conflict" },
		});
		expect(
			run.try({ type: "RetryTask", taskId: run.task("pay").id, actor: { id: "u", roles: [] } }),
		).toMatchObject({ ok: false, error: { code: "forbidden" } });
		const child = new ProcessRun(wf, { parent: { processId: "parent", taskId: "parent/t1" } })
			.start()
			.complete("s");
		child.fail("pay", "no", false);
		expect(
			child.try({ type: "RetryTask", taskId: child.task("pay").id, actor: admin }),
		).toMatchObject({ ok: false, error: { code: "conflict" } });
		// A stopped process stays stopped.
		const stopped = new ProcessRun(wf).start().send({ type: "StopProcess" });
		expect(
			stopped.try({ type: "RetryTask", taskId: stopped.task("s").id, actor: admin }),
		).toMatchObject({ ok: false, error: { code: "not_running" } });
	});
});
