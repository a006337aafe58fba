// What the live inbox announces, and which announced task a person may land on after a submit.
import { describe, expect, it } from "vitest";
import {
	type IndexedTaskColumns,
	isNextFor,
	taskChangesOf,
} from "../../../src/inbox-live/changes.ts";

const row = (extra: Partial<IndexedTaskColumns>): IndexedTaskColumns => ({
	id: "p-1/t1",
	processId: "p-1",
	status: "PENDING",
	role: null,
	assignee: null,
	awaitingInput: true,
	incident: null,
	...extra,
});

describe("taskChangesOf", () => {
	it("announces the tasks of a person, a role or an incident, not automated jobs", () => {
		const changes = taskChangesOf([
			row({ id: "p-1/t1", role: "sales" }),
			row({ id: "p-1/t2", assignee: "u-1" }),
			row({ id: "p-1/t3", incident: "p-1/i1", awaitingInput: false }),
			row({ id: "p-1/t4", awaitingInput: false }),
		]);
		expect(changes.map((c) => [c.taskId, c.hasIncident])).toEqual([
			["p-1/t1", false],
			["p-1/t2", false],
			["p-1/t3", true],
		]);
	});
});

describe("isNextFor", () => {
	const user = { id: "u-1", roles: ["sales"] };
	const change = {
		taskId: "p-1/t2",
		processId: "p-1",
		status: "PENDING",
		role: "sales",
		assignee: null,
		awaitingInput: true,
		hasIncident: false,
	};

	it("offers a task waiting for the person's input: theirs, or unassigned in their role", () => {
		expect(isNextFor(change, user)).toBe(true);
		expect(isNextFor({ ...change, assignee: "u-1" }, user)).toBe(true);
		expect(isNextFor({ ...change, role: null, assignee: "u-1" }, user)).toBe(true);
	});

	it("does not offer someone else's task, another role's, a job, or an ended task", () => {
		expect(isNextFor({ ...change, assignee: "u-2" }, user)).toBe(false);
		expect(isNextFor({ ...change, role: "finance" }, user)).toBe(false);
		expect(isNextFor({ ...change, role: "finance", assignee: "u-1" }, user)).toBe(false);
		expect(isNextFor({ ...change, awaitingInput: false }, user)).toBe(false);
		expect(isNextFor({ ...change, status: "SUCCESS" }, user)).toBe(false);
	});
});
