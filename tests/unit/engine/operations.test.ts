// O1 (suspend and resume) and O3 (values corrected before a retry).
import { describe, expect, it } from "vitest";
import { dueWork, nextWakeAt } from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

const END = { end: true, task: "dummy", inline: true } as const;

function flow() {
	return build(
		[
			n("work", { start: true }),
			n("pause", { start: true, task: "wait", params: { duration: "1m" } }),
			n("paid", { start: true, task: "message", params: { message: "paid", correlationKey: "k" } }),
			n("ask", {
				start: true,
				task: "ask",
				params: { questions: { ok: { label: "OK?", type: "checkbox" } } },
			}),
			n("done", { ...END, join: "and" }),
		],
		[t("work", "done"), t("pause", "done"), t("paid", "done"), t("ask", "done")],
	);
}

describe("suspend and resume", () => {
	it("O1 a suspended process holds what comes in, fires nothing, refuses people, and runs it all on resume in order", () => {
		const run = new ProcessRun(flow()).start();
		const work = run.task("work");
		run.send({ type: "ClaimTask", taskId: work.id, attempt: 1 });
		run.send({ type: "SuspendProcess", actor: admin, reason: "audit" });
		expect(run.state.suspended).toMatchObject({ by: "admin", reason: "audit" });
		const frozen = run.state;
		// Time-driven work waits: no alarm, nothing due.
		expect(nextWakeAt(run.state)).toBeUndefined();
		expect(dueWork(run.state, run.now + 120_000)).toEqual([]);
		run.now += 120_000;
		run.send({ type: "FireDueTimers" });
		// The running job's completion and the message are held, not applied.
		run.send({ type: "CompleteTask", taskId: work.id, attempt: 1, result: "w" });
		run.send({
			type: "DeliverMessage",
			taskId: run.task("paid").id,
			messageId: "m1",
			name: "paid",
			correlationKey: "k",
			payload: 1,
		});
		expect(run.reply).toEqual({ delivered: true });
		expect(run.statuses()).toEqual(frozen.tasks.map((x) => `${x.node}:${x.status}`));
		// A person is refused with a clear reason.
		const refused = run.try({
			type: "SubmitValues",
			taskId: run.task("ask").id,
			values: { ok: true },
			actor: admin,
		});
		expect(refused).toMatchObject({ ok: false, error: { code: "suspended" } });
		expect(refused.ok || refused.error.message).toMatch(/suspended by admin \(audit\)/);
		run.send({ type: "ResumeProcess", actor: admin });
		expect(run.state.suspended).toBeUndefined();
		expect(run.state.held).toBeUndefined();
		const order = run.events.filter((e) => e.type === "TaskSucceeded").map((e) => e.node);
		expect(order).toEqual(["work", "paid", "pause"]);
		run.submit("ask", { ok: true });
		expect(run.state.status).toBe("SUCCESS");
	});

	it("O1 a job's claim is turned away while suspended, and its dispatch is sent again on resume", () => {
		const wf = build([n("work", { start: true }), n("done", END)], [t("work", "done")]);
		const run = new ProcessRun(wf).start();
		const work = run.task("work");
		run.send({ type: "SuspendProcess", actor: admin });
		run.send({ type: "ClaimTask", taskId: work.id, attempt: 1 });
		expect(run.reply).toEqual({ run: false, reason: "suspended" });
		expect(run.task("work").status).toBe("PENDING");
		run.send({ type: "ResumeProcess", actor: admin });
		expect(run.effects).toContainEqual(
			expect.objectContaining({ type: "DispatchTask", taskId: work.id, attempt: 1 }),
		);
	});

	it("O1 only a running, not suspended process is suspended; only a suspended one resumed", () => {
		const wf = build([n("work", { start: true }), n("done", END)], [t("work", "done")]);
		const run = new ProcessRun(wf).start();
		expect(run.try({ type: "ResumeProcess", actor: admin })).toMatchObject({
			ok: false,
			error: { code: "conflict" },
		});
		run.send({ type: "SuspendProcess", actor: admin });
		expect(run.try({ type: "SuspendProcess", actor: admin })).toMatchObject({
			ok: false,
			error: { code: "suspended" },
		});
		expect(run.try({ type: "SuspendProcess", actor: { id: "x", roles: [] } })).toMatchObject({
			ok: false,
		});
		// Stop still works: an admin may end a suspended process.
		run.send({ type: "StopProcess", actor: admin });
		expect(run.state.status).toBe("REVOKED");
	});
});

describe("values corrected before a retry", () => {
	it("O3 an admin corrects a failed task's values, recorded old and new, and the retry runs with them", () => {
		const wf = build(
			[n("charge", { start: true, task: "needs-x", params: { x: 1 } }), n("done", END)],
			[t("charge", "done")],
		);
		const run = new ProcessRun(wf).start();
		run.fail("charge", "bad x", false);
		expect(run.state.status).toBe("FAILURE");
		const bad = run.try({
			type: "CorrectValues",
			taskId: run.task("charge").id,
			values: { x: 99 },
			actor: admin,
		});
		expect(bad).toMatchObject({ ok: false, error: { code: "invalid_params" } });
		run.send({
			type: "CorrectValues",
			taskId: run.task("charge").id,
			values: { x: 7 },
			actor: admin,
		});
		expect(run.events[0]).toMatchObject({
			type: "ValuesCorrected",
			actor: "admin",
			data: { changes: [{ name: "x", old: 1, new: 7 }] },
		});
		run.send({ type: "RetryTask", taskId: run.task("charge").id, actor: admin });
		run.send({ type: "ClaimTask", taskId: run.task("charge").id, attempt: 2 });
		expect(run.reply).toMatchObject({ run: true, params: { x: 7 } });
	});

	it("O3 values of a task that has not failed are not corrected; people may not correct", () => {
		const wf = build(
			[n("charge", { start: true, task: "needs-x", params: { x: 1 } }), n("done", END)],
			[t("charge", "done")],
		);
		const run = new ProcessRun(wf).start();
		expect(
			run.try({
				type: "CorrectValues",
				taskId: run.task("charge").id,
				values: { x: 2 },
				actor: admin,
			}),
		).toMatchObject({ ok: false, error: { code: "conflict" } });
		expect(
			run.try({ type: "CorrectValues", values: { x: 2 }, actor: { id: "p", roles: [] } }),
		).toMatchObject({ ok: false, error: { code: "forbidden" } });
	});
});
