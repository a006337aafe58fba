import { describe, expect, it } from "vitest";
import type { CurrentUser } from "../../../src/auth/current-user.ts";
import { toActor } from "../../../src/auth/current-user.ts";
import {
	canActOnTask,
	canClaimTask,
	canManage,
	canReassignTask,
	canSeeAllProcesses,
	canSeeProcess,
	canSeeTask,
	canStartWorkflow,
	canStopProcess,
	type TaskRef,
} from "../../../src/auth/permissions.ts";

function user(overrides: Partial<CurrentUser> = {}): CurrentUser {
	return {
		id: "ann",
		email: "ann@example.com",
		displayName: "Ann",
		isAdmin: false,
		roles: ["accounting"],
		grants: [],
		via: "session",
		...overrides,
	};
}

const admin = user({ id: "root", roles: [], isAdmin: true });
const accountingTask: TaskRef = {
	role: "accounting",
	assignee: "ann",
	status: "PENDING",
	workflowKey: "conference",
};
const organizationTask: TaskRef = {
	role: "organization",
	assignee: "olga",
	status: "PENDING",
	workflowKey: "conference",
};

describe("task permissions", () => {
	it("a user of role A cannot see or act on a task of role B", () => {
		expect(canSeeTask(user(), organizationTask)).toBe(false);
		expect(canActOnTask(user(), organizationTask)).toBe(false);
		expect(canClaimTask(user(), organizationTask)).toBe(false);
	});

	it("a member sees and acts on the task assigned to them", () => {
		expect(canSeeTask(user(), accountingTask)).toBe(true);
		expect(canActOnTask(user(), accountingTask)).toBe(true);
	});

	it("a member sees a colleague's task in the role's queue and may claim it, not fill it", () => {
		const colleagues = { ...accountingTask, assignee: "carl" };
		expect(canSeeTask(user(), colleagues)).toBe(true);
		expect(canActOnTask(user(), colleagues)).toBe(false);
		expect(canClaimTask(user(), colleagues)).toBe(true);
		expect(canClaimTask(user(), accountingTask)).toBe(false);
	});

	it("a member acts on an unassigned task queued for their role", () => {
		expect(canActOnTask(user(), { ...accountingTask, assignee: null })).toBe(true);
	});

	it("an assignee removed from the role loses the task", () => {
		const removed = user({ roles: [] });
		expect(canSeeTask(removed, accountingTask)).toBe(false);
		expect(canActOnTask(removed, accountingTask)).toBe(false);
	});

	it("a task without a role belongs to its assignee only", () => {
		const direct = { ...accountingTask, role: null };
		expect(canSeeTask(user(), direct)).toBe(true);
		expect(canSeeTask(user({ id: "carl" }), direct)).toBe(false);
	});

	it("nobody acts on a finished task", () => {
		const done = { ...accountingTask, status: "SUCCESS" };
		expect(canSeeTask(user(), done)).toBe(true);
		expect(canActOnTask(user(), done)).toBe(false);
		expect(canActOnTask(admin, done)).toBe(false);
	});

	it("admins see, act on and reassign any active task", () => {
		expect(canSeeTask(admin, organizationTask)).toBe(true);
		expect(canActOnTask(admin, organizationTask)).toBe(true);
		expect(canReassignTask(admin, organizationTask)).toBe(true);
		expect(canReassignTask(user(), accountingTask)).toBe(false);
	});

	it("process.see_all lets a user see, but not act on, the tasks of that workflow", () => {
		const auditor = user({
			roles: [],
			grants: [{ permission: "process.see_all", scope: "conference" }],
		});
		expect(canSeeTask(auditor, organizationTask)).toBe(true);
		expect(canActOnTask(auditor, organizationTask)).toBe(false);
		expect(canSeeTask(auditor, { ...organizationTask, workflowKey: "payroll" })).toBe(false);
	});

	it("a token without tasks:write cannot act", () => {
		const reader = user({ via: "api-token", scopes: ["read"] });
		expect(canSeeTask(reader, accountingTask)).toBe(true);
		expect(canActOnTask(reader, accountingTask)).toBe(false);
	});

	it("an admin's token acts as an admin only with the admin scope", () => {
		const limited = user({ ...admin, via: "api-token", scopes: ["read", "tasks:write"] });
		expect(canSeeTask(limited, organizationTask)).toBe(true);
		expect(canActOnTask(limited, organizationTask)).toBe(false);
		expect(canReassignTask(limited, organizationTask)).toBe(false);
		const full = { ...limited, scopes: ["read", "tasks:write", "admin"] as const };
		expect(canActOnTask(full, organizationTask)).toBe(true);
		expect(canReassignTask(full, organizationTask)).toBe(true);
	});
});

describe("workflow and process permissions", () => {
	const starter = user({ grants: [{ permission: "workflow.start", scope: "conference" }] });

	it("a user may start only the workflows they are allowed to", () => {
		expect(canStartWorkflow(starter, "conference")).toBe(true);
		expect(canStartWorkflow(starter, "payroll")).toBe(false);
		expect(canStartWorkflow(user(), "conference")).toBe(false);
		expect(
			canStartWorkflow(user({ grants: [{ permission: "workflow.start", scope: "*" }] }), "payroll"),
		).toBe(true);
		expect(canStartWorkflow(admin, "payroll")).toBe(true);
	});

	it("a token needs processes:write to start a workflow", () => {
		const token = { ...starter, via: "api-token" as const, scopes: ["read" as const] };
		expect(canStartWorkflow(token, "conference")).toBe(false);
	});

	it("a user sees the processes they started or hold a task in, and no other", () => {
		const process = { workflowKey: "conference", startedBy: "olga" };
		expect(canSeeProcess(user(), process, [organizationTask])).toBe(false);
		expect(canSeeProcess(user(), process, [organizationTask, accountingTask])).toBe(true);
		expect(canSeeProcess(user({ id: "olga", roles: [] }), process)).toBe(true);
		expect(canSeeProcess(admin, process)).toBe(true);
	});

	it("process.see_all on '*' shows every process", () => {
		const auditor = user({ grants: [{ permission: "process.see_all", scope: "*" }] });
		expect(canSeeAllProcesses(auditor)).toBe(true);
		expect(canSeeProcess(auditor, { workflowKey: "payroll", startedBy: null })).toBe(true);
		expect(canSeeAllProcesses(user())).toBe(false);
	});

	it("stopping a process is for admins, its starter and holders of process.stop", () => {
		const process = { workflowKey: "conference", startedBy: "olga" };
		expect(canStopProcess(user(), process)).toBe(false);
		expect(canStopProcess(user({ id: "olga" }), process)).toBe(true);
		expect(
			canStopProcess(
				user({ grants: [{ permission: "process.stop", scope: "conference" }] }),
				process,
			),
		).toBe(true);
		expect(canStopProcess(admin, process)).toBe(true);
	});

	it("only admins manage definitions and people", () => {
		expect(canManage(admin)).toBe(true);
		expect(canManage(user())).toBe(false);
	});

	it("turns the user into the engine's actor", () => {
		expect(toActor(user())).toEqual({
			id: "ann",
			name: "Ann",
			roles: ["accounting"],
			isAdmin: false,
		});
		expect(toActor(admin).isAdmin).toBe(true);
	});
});
