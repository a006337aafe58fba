import { describe, expect, it } from "vitest";
import { build, n, t } from "../helpers/builder.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

const clerk = { id: "alice", roles: ["clerks"] };
const stranger = { id: "mallory", roles: ["other"] };

describe("human input", () => {
	const wf = build(
		[n("a", { start: true, role: "clerks", task: "needs-x" }), n("b", { end: true })],
		[t("a", "b")],
	);

	it("T4 refuses someone outside the task's role with forbidden, before anything else", () => {
		const run = new ProcessRun(wf, {}, { autoAssign: true }).start();
		const outcome = run.try({
			type: "SubmitValues",
			taskId: "p/t1",
			values: { x: "not a number" },
			actor: stranger,
		});
		expect(outcome).toMatchObject({ ok: false, error: { code: "forbidden" } });
	});

	it("T4 lets a member of the role act while the task is unassigned, and only the assignee after", () => {
		const run = new ProcessRun(wf, {}, { autoAssign: true }).start();
		run.send({ type: "AssignTask", taskId: "p/t1", assignee: "bob" });
		expect(
			run.try({ type: "SubmitValues", taskId: "p/t1", values: { x: 1 }, actor: clerk }),
		).toMatchObject({
			ok: false,
			error: { code: "forbidden" },
		});
		run.submit("a", { x: 1 }, { id: "bob", roles: [] });
		expect(run.task("a").submittedBy).toBe("bob");
	});

	it("T4 answers invalid_params with per-field messages and changes nothing", () => {
		const run = new ProcessRun(wf, {}, { autoAssign: true }).start();
		const before = JSON.stringify(run.state);
		const outcome = run.try({
			type: "SubmitValues",
			taskId: "p/t1",
			values: { x: 42 },
			actor: clerk,
		});
		expect(outcome.ok).toBe(false);
		if (outcome.ok) return;
		expect(outcome.error.code).toBe("invalid_params");
		expect(outcome.error.details).toMatchObject({ fields: { x: expect.any(String) } });
		expect(JSON.stringify(run.state)).toBe(before);
	});

	it("T4 records who submitted what and when, then dispatches the job", () => {
		const run = new ProcessRun(wf, {}, { autoAssign: true }).start();
		run.submit("a", { x: 3 }, clerk);
		expect(run.task("a")).toMatchObject({
			values: { x: 3 },
			submittedBy: "alice",
			submittedAt: run.now,
			awaitingInput: false,
			requiredFields: [],
		});
		expect(run.events).toMatchObject([
			{ type: "ValuesSubmitted", actor: "alice", data: { values: { x: 3 } } },
		]);
		expect(run.effectTypes()).toEqual(["DispatchTask"]);
	});

	it("T4 requires PENDING: a second submission gets already_started", () => {
		const run = new ProcessRun(wf, {}, { autoAssign: true }).start();
		run.submit("a", { x: 3 }, clerk);
		const again = run.try({ type: "SubmitValues", taskId: "p/t1", values: { x: 4 }, actor: clerk });
		expect(again).toMatchObject({ ok: false, error: { code: "already_started" } });
	});

	it("T4 succeeds an input task at once with the answers as its result", () => {
		const askWf = build(
			[
				n("q", {
					start: true,
					task: "ask",
					params: {
						questions: {
							name: { label: "Name", required: true },
							age: { label: "Age", type: "integer" },
						},
					},
				}),
				n("done", { end: true }),
			],
			[t("q", "done")],
		);
		const run = new ProcessRun(askWf).start();
		expect(run.task("q")).toMatchObject({
			status: "PENDING",
			awaitingInput: true,
			requiredFields: ["name"],
		});
		expect(
			run.try({ type: "SubmitValues", taskId: "p/t1", values: { age: 3 }, actor: admin }),
		).toMatchObject({
			ok: false,
			error: { code: "invalid_params" },
		});
		run.submit("q", { name: "Ada", age: 36 });
		expect(run.task("q")).toMatchObject({
			status: "SUCCESS",
			result: { name: "Ada", age: 36 },
			progress: 100,
		});
		expect(run.statuses()).toEqual(["q:SUCCESS", "done:PENDING"]);
	});
});
