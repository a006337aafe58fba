import { describe, expect, it } from "vitest";
import { build, n, t } from "../helpers/builder.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

describe("ending", () => {
	const wf = build(
		[n("s", { start: true }), n("fast", { end: true }), n("slow"), n("after")],
		[t("s", "fast"), t("s", "slow"), t("slow", "after")],
	);

	it("P1 ends the process in SUCCESS when an end node succeeds, revoking the other active tasks", () => {
		const run = new ProcessRun(wf, { parent: { processId: "parent", taskId: "parent/t3" } })
			.start()
			.complete("s");
		run.complete("fast", { ok: 1 });
		expect(run.state).toMatchObject({ status: "SUCCESS", endedAt: run.now, results: [{ ok: 1 }] });
		expect(run.statuses()).toEqual(["s:SUCCESS", "fast:SUCCESS", "slow:REVOKED"]);
		expect(run.effects).toEqual([
			{ type: "RevokeTask", taskId: "p/t3", attempt: 1, taskType: "job" },
			{
				type: "FinishProcess",
				status: "SUCCESS",
				results: [{ ok: 1 }],
				parent: { processId: "parent", taskId: "parent/t3" },
			},
		]);
	});

	it("P1 creates nothing more after the end: a late completion of a revoked branch is ignored", () => {
		const run = new ProcessRun(wf).start().complete("s").complete("fast");
		const slow = run.task("slow");
		const outcome = run.try({ type: "CompleteTask", taskId: slow.id, attempt: 1, result: null });
		expect(outcome).toMatchObject({ ok: true, effects: [] });
		expect(run.tasks("after")).toHaveLength(0);
	});

	it("P3 stops a running process: active tasks REVOKED, process REVOKED, subprocesses stopped", () => {
		const sub = build(
			[
				n("s", { start: true, task: "subprocess", params: { workflow: "child" } }),
				n("e", { end: true }),
			],
			[t("s", "e")],
		);
		const run = new ProcessRun(sub).start();
		run.send({ type: "StopProcess", actor: admin });
		expect(run.state.status).toBe("REVOKED");
		expect(run.statuses()).toEqual(["s:REVOKED"]);
		expect(run.effects).toEqual([
			{ type: "StopSubprocess", taskId: "p/t1", childProcessId: "p/t1/p1" },
			// Only jobs get a revoke message: the built-in waits have no onRevoke to run.
			{ type: "FinishProcess", status: "REVOKED", results: [] },
		]);
		expect(run.events.at(-1)).toMatchObject({ type: "ProcessRevoked", actor: "admin" });
	});

	it("P3 requires STARTED: stopping a PENDING or finished process gives not_running", () => {
		const run = new ProcessRun(wf);
		expect(run.try({ type: "StopProcess" })).toMatchObject({
			ok: false,
			error: { code: "not_running" },
		});
		run.start().send({ type: "StopProcess" });
		expect(run.try({ type: "StopProcess" })).toMatchObject({
			ok: false,
			error: { code: "not_running" },
		});
	});

	it("P4 freezes a finished process: nothing is created, started or completed in it", () => {
		const run = new ProcessRun(wf).start().complete("s").complete("fast");
		const frozen = JSON.stringify(run.state);
		const slow = run.task("slow");
		for (const command of [
			{ type: "ClaimTask", taskId: slow.id, attempt: 1 },
			{ type: "CompleteTask", taskId: slow.id, attempt: 1, result: null },
			{ type: "FailTask", taskId: slow.id, attempt: 1, error: { message: "x" }, retryable: true },
			{ type: "ReportProgress", taskId: slow.id, attempt: 1, progress: 5 },
			{ type: "ExpireLeases" },
			{ type: "FireTimer", taskId: slow.id },
			{ type: "RecordIncident", kind: "dead_letter", message: "late" },
			{ type: "AssignTask", taskId: slow.id, assignee: "bob" },
		] as const) {
			const outcome = run.try(command);
			if (outcome.ok) expect(outcome.effects).toEqual([]);
			expect(JSON.stringify(run.state)).toBe(frozen);
		}
		expect(run.reply).toBeUndefined();
		for (const command of [
			{ type: "SubmitValues", taskId: slow.id, values: {}, actor: admin },
			{ type: "RevokeTask", taskId: slow.id },
			{ type: "RetryTask", taskId: slow.id },
			{ type: "RaiseStepBudget", stepBudget: 100_000 },
			{ type: "StartProcess" },
		] as const) {
			expect(run.try(command).ok).toBe(false);
		}
	});
});
