import { describe, expect, it } from "vitest";
import { build, n, t } from "../helpers/builder.ts";
import { ProcessRun } from "../helpers/harness.ts";

const wf = build([n("a", { start: true }), n("b", { end: true })], [t("a", "b")]);

describe("hooks and failure replies", () => {
	it("T7 logs a hook that threw on the task's history and changes no status", () => {
		const run = new ProcessRun(wf).start();
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 1 });
		const before = run.state;
		run.send({
			type: "RecordHookFailure",
			taskId: "p/t1",
			hook: "onStart",
			message: "mailer down",
		});
		expect(run.events).toEqual([
			{
				type: "HookFailed",
				at: run.now,
				taskId: "p/t1",
				node: "a",
				data: { hook: "onStart", message: "mailer down" },
			},
		]);
		expect(run.effects).toEqual([]);
		expect(run.state.tasks).toEqual(before.tasks);
		expect(run.task("a").status).toBe("STARTED");
	});

	it("T7 logs a hook failure even after the process has finished (onRevoke, onSuccess)", () => {
		const run = new ProcessRun(wf).start();
		run.complete("a", null);
		run.complete("b", null);
		expect(run.state.status).toBe("SUCCESS");
		run.send({ type: "RecordHookFailure", taskId: "p/t2", hook: "onSuccess", message: "late" });
		expect(run.events.map((e) => e.type)).toEqual(["HookFailed"]);
		expect(run.state.status).toBe("SUCCESS");
	});

	it("T6 answers a failure with the task's new status: RETRY while attempts remain, then FAILURE", () => {
		const run = new ProcessRun(wf).start();
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 1 });
		run.send({
			type: "FailTask",
			taskId: "p/t1",
			attempt: 1,
			error: { message: "x" },
			retryable: true,
		});
		expect(run.reply).toEqual({ status: "RETRY" });
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 2 });
		run.send({
			type: "FailTask",
			taskId: "p/t1",
			attempt: 2,
			error: { message: "x" },
			retryable: false,
		});
		expect(run.reply).toEqual({ status: "FAILURE" });
	});
});
