import { describe, expect, it } from "vitest";
import { incidentsOf, suggestedBudget } from "../../../src/admin/incidents.ts";
import type { ProcessState, TaskState, WorkflowDefinition } from "../../../src/engine/index.ts";

const definition: WorkflowDefinition = {
	key: "w",
	name: "Payments",
	nodes: [
		{ key: "charge", name: "Charge", task: "http" },
		{ key: "review", task: "question", role: "auditors" },
	],
	transitions: [],
};

function task(id: string, node: string, extra: Partial<TaskState> = {}): TaskState {
	return {
		id,
		node,
		status: "PENDING",
		attempt: 1,
		maxAttempts: 4,
		priority: 9,
		params: {},
		requiredFields: [],
		awaitingInput: false,
		progress: 0,
		createdAt: 10,
		firedBy: [],
		...extra,
	};
}

function process(extra: Partial<ProcessState>): ProcessState {
	return {
		id: "p-1",
		workflow: { key: "w", version: 2 },
		status: "STARTED",
		params: {},
		priority: 9,
		createdAt: 1,
		startedAt: 1,
		tasks: [],
		arrivals: [],
		seq: 0,
		arrivalSeq: 0,
		incidentSeq: 0,
		stepBudget: 10,
		stepsUsed: 0,
		pendingStarts: [],
		incidents: [],
		results: [],
		...extra,
	};
}

describe("incidents", () => {
	it("P8 lists the task that failed its process with retry and resolve, until its incident is resolved", () => {
		const incident = { id: "p-1/i1", kind: "task_failed", taskId: "p-1/t1", message: "x", at: 50 };
		const failed = task("p-1/t1", "charge", {
			status: "FAILURE",
			endedAt: 50,
			incident: "p-1/i1",
			error: { message: "HTTP 404" },
		});
		const revoked = task("p-1/t2", "review", { status: "REVOKED", endedAt: 50 });
		const state = process({
			status: "FAILURE",
			endedAt: 50,
			tasks: [failed, revoked],
			incidents: [incident],
		});
		const listed = incidentsOf([{ state, definition, stuck: false }]);
		expect(listed.failed).toMatchObject([
			{
				taskId: "p-1/t1",
				nodeName: "Charge",
				incidentId: "p-1/i1",
				actions: ["retry", "resolve"],
				message: "Failed after 1 attempt, and the process failed with it: HTTP 404",
			},
		]);
		expect(listed.unassigned).toEqual([]);
		const resolved = process({
			...state,
			incidents: [{ ...incident, resolvedAt: 60 }],
			tasks: [{ ...failed, incident: undefined }, revoked],
		});
		expect(incidentsOf([{ state: resolved, definition, stuck: false }]).failed).toEqual([]);
	});

	it("T13 lists a task whose dispatch was lost with the undelivered messages, retry first", () => {
		const lost = task("p-1/t1", "charge", { incident: "p-1/i1", redispatches: 3 });
		const state = process({
			tasks: [lost],
			incidents: [
				{ id: "p-1/i1", kind: "dispatch_lost", taskId: "p-1/t1", message: "no worker", at: 70 },
			],
		});
		const listed = incidentsOf([{ state, definition, stuck: false }]);
		expect(listed.dead_letter).toMatchObject([
			{ taskId: "p-1/t1", message: "no worker", actions: ["retry", "revoke", "stop", "resolve"] },
		]);
		expect(listed.other).toEqual([]);
	});

	it("G8 lists a failed task with retry and resolve, and not once its node ran again", () => {
		const failed = task("p-1/t1", "charge", {
			status: "FAILURE",
			attempt: 4,
			error: { message: "HTTP 500" },
			incident: "p-1/i1",
			endedAt: 50,
		});
		const state = process({
			tasks: [failed],
			incidents: [
				{ id: "p-1/i1", kind: "task_failed", taskId: failed.id, message: "failed", at: 50 },
			],
		});
		const out = incidentsOf([{ state, definition, stuck: false }]);
		expect(out.failed).toEqual([
			expect.objectContaining({
				taskId: "p-1/t1",
				nodeName: "Charge",
				message: "Failed after 4 attempts: HTTP 500",
				incidentId: "p-1/i1",
				actions: ["retry", "stop", "resolve"],
				workflowName: "Payments",
				version: 2,
			}),
		]);
		expect(out.other).toEqual([]);
		const again = process({ tasks: [failed, task("p-1/t2", "charge", { status: "SUCCESS" })] });
		expect(incidentsOf([{ state: again, definition, stuck: false }]).failed).toEqual([]);
	});

	it("lists dead letters, unassigned tasks (T3), stuck processes (P5) and spent budgets (P7)", () => {
		const state = process({
			tasks: [
				task("p-1/t1", "charge", { status: "STARTED", incident: "p-1/i1" }),
				task("p-1/t2", "review", { role: "auditors", assignee: null, incident: "p-1/i2" }),
				task("p-1/t3", "review", { role: "auditors" }),
			],
			incidents: [
				{ id: "p-1/i1", kind: "dead_letter", taskId: "p-1/t1", message: "undeliverable", at: 5 },
				{ id: "p-1/i2", kind: "no_assignee", taskId: "p-1/t2", message: "nobody", at: 6 },
				{ id: "p-1/i3", kind: "step_budget", message: "budget", at: 7 },
			],
			stepsUsed: 10,
		});
		const out = incidentsOf([{ state, definition, stuck: true }]);
		expect(out.dead_letter.map((i) => [i.taskId, i.actions])).toEqual([
			["p-1/t1", ["retry", "revoke", "stop", "resolve"]],
		]);
		// An assignee not picked yet (undefined) is not an incident; null after the pick is.
		expect(out.unassigned.map((i) => [i.taskId, i.role, i.actions])).toEqual([
			["p-1/t2", "auditors", ["assign", "revoke", "stop", "resolve"]],
		]);
		expect(
			out.step_budget.map((i) => [i.incidentId, i.stepsUsed, i.stepBudget, i.actions]),
		).toEqual([["p-1/i3", 10, 10, ["raise-budget", "stop"]]]);
		expect(out.stuck.map((i) => i.actions)).toEqual([["stop"]]);
	});

	it("ignores finished processes and resolved incidents", () => {
		const done = process({
			status: "FAILURE",
			tasks: [task("p-1/t1", "charge", { status: "FAILURE" })],
		});
		const resolved = process({
			incidents: [{ id: "p-1/i1", kind: "step_budget", message: "m", at: 1, resolvedAt: 2 }],
		});
		const out = incidentsOf([
			{ state: done, definition, stuck: false },
			{ state: resolved, definition, stuck: false },
		]);
		expect(Object.values(out).flat()).toEqual([]);
	});

	it("offers Mark resolved on every failed task it lists: handled or resolved failures are not listed", () => {
		const failed = (incident?: string) =>
			task("p-1/t1", "charge", {
				status: "FAILURE",
				error: { message: "HTTP 500" },
				endedAt: 50,
				...(incident ? { incident } : {}),
			});
		const handled = process({ tasks: [failed()] });
		const resolved = process({
			tasks: [failed("p-1/i1")],
			incidents: [
				{
					id: "p-1/i1",
					kind: "task_failed",
					taskId: "p-1/t1",
					message: "m",
					at: 50,
					resolvedAt: 60,
				},
			],
		});
		const open = process({
			tasks: [failed("p-1/i1")],
			incidents: [{ id: "p-1/i1", kind: "task_failed", taskId: "p-1/t1", message: "m", at: 50 }],
		});
		const out = incidentsOf([
			{ state: handled, definition, stuck: false },
			{ state: resolved, definition, stuck: false },
		]);
		expect(Object.values(out).flat()).toEqual([]);
		const listed = incidentsOf([{ state: open, definition, stuck: false }]).failed;
		expect(listed.map((i) => i.actions)).toEqual([["retry", "stop", "resolve"]]);
	});

	it("names an unnamed process by its workflow and short id, never by its raw id, and words the kind", () => {
		const state = process({
			id: "p-3fa2c1d4e5",
			incidents: [{ id: "p-3fa2c1d4e5/i1", kind: "dispatch_lost", message: "twice", at: 5 }],
		});
		const [item] = incidentsOf([{ state, definition, stuck: false }]).other;
		expect(item?.processName).toBe("Payments #3fa2c1");
		expect(item?.message).toBe("A task message was lost: twice");
	});

	it("P7 suggests double the budget, at least 100 more", () => {
		expect(suggestedBudget(10)).toBe(110);
		expect(suggestedBudget(10_000)).toBe(20_000);
	});
});
