import { describe, expect, it } from "vitest";
import { pickAssignee } from "../../../src/engine/index.ts";
import { build, n } from "../helpers/builder.ts";
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
		expect(run.events).toMatchObject([{ type: "TaskAssigned", data: { assignee: "alice" } }]);
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
		expect(run.events).toEqual([
			{
				type: "TaskAssigned",
				at: run.now,
				taskId: "p/t1",
				node: "a",
				actor: "u",
				data: { assignee: "u" },
			},
		]);
	});
});
