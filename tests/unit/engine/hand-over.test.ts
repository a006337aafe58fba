import { describe, expect, it } from "vitest";
import { build, n, t } from "../helpers/builder.ts";
import { ProcessRun } from "../helpers/harness.ts";

const alice = { id: "alice", roles: ["clerks"] };
const bob = { id: "bob", roles: ["clerks"] };
const lead = { id: "lena", roles: [] };
const boss = { id: "ada", roles: [], isAdmin: true };
const outsider = { id: "mallory", roles: ["other"] };

const wf = build(
	[n("a", { start: true, role: "clerks", task: "needs-x" }), n("b", { end: true })],
	[t("a", "b")],
);

function heldBy(assignee: string | null): ProcessRun {
	const run = new ProcessRun(wf, {}, { autoAssign: true }).start();
	run.send({ type: "AssignTask", taskId: "p/t1", assignee });
	return run;
}

describe("hand-over", () => {
	it("H2 lets the assignee give the task back to its role's queue, recorded with who did it", () => {
		const run = heldBy("alice");
		run.send({ type: "UnclaimTask", taskId: "p/t1", actor: alice, note: "on leave" });
		expect(run.task("a").assignee).toBeNull();
		expect(run.events).toMatchObject([
			{
				type: "TaskAssigned",
				actor: "alice",
				data: { assignee: null, from: "alice", handOver: "unclaim", note: "on leave" },
			},
		]);
		// Back in the queue: any member may now act on it.
		run.submit("a", { x: 1 }, bob);
		expect(run.task("a").submittedBy).toBe("bob");
	});

	it("H2 refuses anyone but the assignee, and a task that has ended", () => {
		const run = heldBy("alice");
		const before = JSON.stringify(run.state);
		expect(run.try({ type: "UnclaimTask", taskId: "p/t1", actor: bob })).toMatchObject({
			ok: false,
			error: { code: "forbidden" },
		});
		expect(JSON.stringify(run.state)).toBe(before);
		run.submit("a", { x: 1 }, alice);
		expect(run.try({ type: "UnclaimTask", taskId: "p/t1", actor: alice })).toMatchObject({
			ok: false,
			error: { code: "conflict" },
		});
	});

	it("H2 refuses a task with no role: there is no queue to give it back to", () => {
		const solo = build(
			[n("a", { start: true, task: "needs-x" }), n("b", { end: true })],
			[t("a", "b")],
		);
		const run = new ProcessRun(solo, {}, { autoAssign: true }).start();
		run.send({ type: "AssignTask", taskId: "p/t1", assignee: "alice", actor: boss });
		expect(run.try({ type: "UnclaimTask", taskId: "p/t1", actor: alice })).toMatchObject({
			ok: false,
			error: { code: "conflict" },
		});
	});

	it("H3 lets the assignee hand the task to another member of its role", () => {
		const run = heldBy("alice");
		run.send({ type: "DelegateTask", taskId: "p/t1", to: bob, actor: alice });
		expect(run.task("a").assignee).toBe("bob");
		expect(run.events).toMatchObject([
			{
				type: "TaskAssigned",
				actor: "alice",
				data: { assignee: "bob", from: "alice", handOver: "delegate" },
			},
		]);
		// Alice no longer acts on it.
		expect(
			run.try({ type: "SubmitValues", taskId: "p/t1", values: { x: 1 }, actor: alice }),
		).toMatchObject({
			ok: false,
			error: { code: "forbidden" },
		});
	});

	it("H3 lets a member delegate a queued task, and refuses a target outside the role with invalid_params", () => {
		const run = heldBy(null);
		const before = JSON.stringify(run.state);
		const refused = run.try({ type: "DelegateTask", taskId: "p/t1", to: outsider, actor: alice });
		expect(refused).toMatchObject({
			ok: false,
			error: { code: "invalid_params", details: { fields: { to: expect.any(String) } } },
		});
		expect(JSON.stringify(run.state)).toBe(before);
		run.send({ type: "DelegateTask", taskId: "p/t1", to: bob, actor: alice });
		expect(run.task("a").assignee).toBe("bob");
	});

	it("H3 refuses someone who may not act on the task, and a hand-over to its own assignee", () => {
		const run = heldBy("alice");
		expect(run.try({ type: "DelegateTask", taskId: "p/t1", to: bob, actor: bob })).toMatchObject({
			ok: false,
			error: { code: "forbidden" },
		});
		expect(
			run.try({ type: "DelegateTask", taskId: "p/t1", to: alice, actor: alice }),
		).toMatchObject({
			ok: false,
			error: { code: "invalid_params" },
		});
	});

	it("H3 refuses a note over the limit with invalid_params and changes nothing", () => {
		const run = heldBy("alice");
		const outcome = run.try({
			type: "DelegateTask",
			taskId: "p/t1",
			to: bob,
			actor: alice,
			note: "x".repeat(501),
		});
		expect(outcome).toMatchObject({ ok: false, error: { code: "invalid_params" } });
		expect(run.task("a").assignee).toBe("alice");
	});

	it("H4 lets an admin or a holder of the grant reassign, to a member or back to the queue", () => {
		const run = heldBy("alice");
		run.send({ type: "ReassignTask", taskId: "p/t1", to: bob, actor: lead, granted: true });
		expect(run.task("a").assignee).toBe("bob");
		expect(run.events).toMatchObject([
			{
				type: "TaskAssigned",
				actor: "lena",
				data: { assignee: "bob", from: "alice", handOver: "reassign" },
			},
		]);
		run.send({ type: "ReassignTask", taskId: "p/t1", to: null, actor: boss, granted: false });
		expect(run.task("a").assignee).toBeNull();
	});

	it("H4 refuses without the grant, and a target outside the role", () => {
		const run = heldBy("alice");
		expect(
			run.try({ type: "ReassignTask", taskId: "p/t1", to: bob, actor: alice, granted: false }),
		).toMatchObject({ ok: false, error: { code: "forbidden" } });
		expect(
			run.try({ type: "ReassignTask", taskId: "p/t1", to: outsider, actor: boss, granted: false }),
		).toMatchObject({ ok: false, error: { code: "invalid_params" } });
	});

	it("H4 refuses while the process is suspended (O1) and after it ended (P4)", () => {
		const run = heldBy("alice");
		run.send({ type: "SuspendProcess", actor: boss });
		expect(
			run.try({ type: "ReassignTask", taskId: "p/t1", to: bob, actor: boss, granted: false }),
		).toMatchObject({ ok: false, error: { code: "suspended" } });
		run.send({ type: "ResumeProcess", actor: boss });
		run.send({ type: "StopProcess", actor: boss });
		expect(
			run.try({ type: "ReassignTask", taskId: "p/t1", to: bob, actor: boss, granted: false }),
		).toMatchObject({ ok: false, error: { code: "conflict" } });
	});
});
