import { describe, expect, it } from "vitest";
import {
	ACTIVE_TASK_STATUSES,
	childProcessIdOf,
	FINISHED_PROCESS_STATUSES,
	isActiveTaskStatus,
	processIdOfTask,
	RUNNING_PROCESS_STATUSES,
	taskIdOf,
} from "../../../src/engine/index.ts";

describe("ids", () => {
	const root = "p-0123456789abcdef0123456789abcdef";

	it("names a task after its process and number, and finds the process again", () => {
		expect(taskIdOf(root, 3)).toBe(`${root}/t3`);
		expect(processIdOfTask(taskIdOf(root, 12))).toBe(root);
	});

	it("keeps a child process's whole path (its parent task and attempt)", () => {
		const child = childProcessIdOf(taskIdOf(root, 2), 1);
		expect(child).toBe(`${root}/t2/p1`);
		expect(processIdOfTask(taskIdOf(child, 4))).toBe(child);
	});

	it("answers undefined for what is not a task id", () => {
		expect(processIdOfTask(root)).toBeUndefined();
		expect(processIdOfTask(`${root}/t`)).toBeUndefined();
		expect(processIdOfTask(`${root}/t2/p1`)).toBeUndefined();
	});
});

describe("active task statuses", () => {
	it("are PENDING, STARTED and RETRY", () => {
		expect([...ACTIVE_TASK_STATUSES]).toEqual(["PENDING", "STARTED", "RETRY"]);
		for (const s of ["SUCCESS", "FAILURE", "REVOKED", "pending", ""]) {
			expect(isActiveTaskStatus(s)).toBe(false);
		}
	});
});

describe("process statuses", () => {
	it("are running (PENDING, STARTED) or finished (SUCCESS, FAILURE, REVOKED), never both", () => {
		expect([...RUNNING_PROCESS_STATUSES, ...FINISHED_PROCESS_STATUSES].sort()).toEqual([
			"FAILURE",
			"PENDING",
			"REVOKED",
			"STARTED",
			"SUCCESS",
		]);
	});
});
