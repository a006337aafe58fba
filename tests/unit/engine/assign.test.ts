import { describe, expect, it } from "vitest";
import { pickAssignee } from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

describe("assignment", () => {
	const members = [
		{ userId: "carol", joinedAt: 30 },
		{ userId: "alice", joinedAt: 10 },
		{ userId: "bob", joinedAt: 20 },
	];

	it("T3 picks the member with the fewest active tasks", () => {
		expect(pickAssignee(members, { alice: 3, bob: 1, carol: 2 })).toBe("bob");
	});

	it("T3 breaks ties by the earliest member", () => {
		expect(pickAssignee(members, { alice: 1, bob: 1, carol: 0 })).toBe("carol");
		expect(pickAssignee(members, {})).toBe("alice");
	});

	it("T3 returns null for a role with no member", () => {
		expect(pickAssignee([], { alice: 0 })).toBeNull();
	});

	it("T3 asks the adapter for an assignee at creation and records its answer", () => {
		const wf = build([n("a", { start: true, end: true, role: "clerks", task: "needs-x" })], []);
		const run = new ProcessRun(wf).start();
		expect(run.effects[0]).toEqual({ type: "PickAssignee", taskId: "p/t1", role: "clerks" });
		expect(run.task("a").assignee).toBeNull();
		run.send({ type: "AssignTask", taskId: "p/t1", assignee: "alice" });
		expect(run.task("a").assignee).toBe("alice");
		expect(run.events).toMatchObject([
			{ type: "TaskAssigned", data: { assignee: "alice" } },
			{ type: "InputRequested" },
		]);
	});

	it("T3 lets a role with no member leave the task unassigned with an incident, and the process goes on", () => {
		const wf = build([n("a", { start: true, end: true, role: "nobody", task: "needs-x" })], []);
		const run = new ProcessRun(wf).start();
		run.send({ type: "AssignTask", taskId: "p/t1", assignee: null });
		run.send({
			type: "RecordIncident",
			taskId: "p/t1",
			kind: "no_assignee",
			message: "role nobody is empty",
		});
		expect(run.state.status).toBe("STARTED");
		expect(run.state.incidents).toMatchObject([{ kind: "no_assignee", taskId: "p/t1" }]);
		run.submit("a", { x: 1 }, admin);
		run.complete("a");
		expect(run.state.status).toBe("SUCCESS");
	});

	it("T3 activates a role task only once its assignee is known: input is requested after TaskAssigned", () => {
		const wf = build([n("a", { start: true, end: true, role: "clerks", task: "needs-x" })], []);
		const run = new ProcessRun(wf).start();
		expect(run.effectTypes()).toEqual(["PickAssignee"]);
		expect(run.task("a")).toMatchObject({ status: "PENDING", awaitingInput: false });
		run.send({ type: "AssignTask", taskId: "p/t1", assignee: "alice" });
		expect(run.events.map((e) => e.type)).toEqual(["TaskAssigned", "InputRequested"]);
		expect(run.effects).toEqual([
			{ type: "RequestInput", taskId: "p/t1", role: "clerks", requiredFields: ["x"] },
		]);
		// A second answer (an admin's reassignment) does not activate it again.
		run.send({ type: "AssignTask", taskId: "p/t1", assignee: "bob", actor: admin });
		expect(run.events.map((e) => e.type)).toEqual(["TaskAssigned"]);
	});

	it("T3/T9 an inline role task runs after its assignee is recorded, not before", () => {
		const wf = build(
			[
				n("a", { start: true, role: "clerks", task: "add", inline: true, params: { a: 1, b: 2 } }),
				n("b", { end: true }),
			],
			[t("a", "b")],
		);
		const run = new ProcessRun(wf).start();
		expect(run.statuses()).toEqual(["a:PENDING"]);
		run.send({ type: "AssignTask", taskId: "p/t1", assignee: "alice" });
		expect(run.events.map((e) => e.type).slice(0, 3)).toEqual([
			"TaskAssigned",
			"TaskStarted",
			"TaskSucceeded",
		]);
		expect(run.task("a")).toMatchObject({ status: "SUCCESS", assignee: "alice", result: 3 });
	});

	it("T3 a queued role job is dispatched only after it is assigned; an empty role lets it run unassigned", () => {
		const wf = build(
			[n("a", { start: true, role: "nobody" }), n("b", { end: true })],
			[t("a", "b")],
		);
		const run = new ProcessRun(wf).start();
		expect(run.effectTypes()).toEqual(["PickAssignee"]);
		// A stray claim before the dispatch is stale.
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 1 });
		expect(run.reply).toEqual({ run: false, reason: "stale" });
		run.send({ type: "AssignTask", taskId: "p/t1", assignee: null });
		expect(run.effects).toEqual([
			{ type: "DispatchTask", taskId: "p/t1", attempt: 1, delaySeconds: 0 },
		]);
		run.complete("a");
		expect(run.statuses()).toEqual(["a:SUCCESS", "b:PENDING"]);
	});

	it("T3 a node without a role is activated in the step that creates it, as before", () => {
		const wf = build([n("a", { start: true }), n("b", { end: true })], [t("a", "b")]);
		const run = new ProcessRun(wf).start();
		expect(run.effectTypes()).toEqual(["DispatchTask"]);
	});

	it("T3 lets only an admin reassign", () => {
		const wf = build([n("a", { start: true, end: true, role: "r", task: "needs-x" })], []);
		const run = new ProcessRun(wf).start();
		const outcome = run.try({
			type: "AssignTask",
			taskId: "p/t1",
			assignee: "x",
			actor: { id: "u", roles: ["r"] },
		});
		expect(outcome).toMatchObject({ ok: false, error: { code: "forbidden" } });
		run.send({ type: "AssignTask", taskId: "p/t1", assignee: "x", actor: admin });
		expect(run.task("a").assignee).toBe("x");
	});

	it("T3 lets a member of the task's role claim it for themselves, recorded with who did it", () => {
		const wf = build([n("a", { start: true, end: true, role: "r", task: "needs-x" })], []);
		const run = new ProcessRun(wf).start();
		const outsider = run.try({
			type: "AssignTask",
			taskId: "p/t1",
			assignee: "v",
			actor: { id: "v", roles: ["other"] },
		});
		expect(outsider).toMatchObject({ ok: false, error: { code: "forbidden" } });
		run.send({
			type: "AssignTask",
			taskId: "p/t1",
			assignee: "u",
			actor: { id: "u", roles: ["r"] },
		});
		expect(run.task("a").assignee).toBe("u");
		expect(run.events[0]).toEqual({
			type: "TaskAssigned",
			at: run.now,
			taskId: "p/t1",
			node: "a",
			actor: "u",
			data: { assignee: "u" },
		});
	});
});
