// I1: every read of the process index finds its task rows through an index, never by a scan of
// the `tasks` table. Each read runs as the application runs it (through a D1 that records its
// statements), then SQLite's EXPLAIN QUERY PLAN of each statement is checked, so dropping or
// narrowing an index that a read needs fails here rather than turning the read into a scan.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/auth/current-user.ts";
import { eligibleFor } from "../../src/db/bulk-operations.ts";
import {
	activeTasksAssignedTo,
	findNextTask,
	inboxRows,
	incidentCounts,
	listProcessesFor,
	listTasksFor,
	nodeFlows,
	type ProcessRow,
	processesNeedingAttention,
	processIdsMatching,
	processListPage,
	replaceWithTombstone,
	roleMemberWorkloads,
	type TaskRow,
	writeIndex,
} from "../../src/db/process-index.ts";
import { dueTasksToNote } from "../../src/db/process-index-notify.ts";
import { openTaskCount } from "../../src/db/process-index-open-tasks.ts";
import { inboxWorkflowChoices } from "../../src/db/process-index-workflow-choices.ts";

interface Statement {
	sql: string;
	params: unknown[];
}

/** A D1 that records the statements prepared through it, with their bound values. */
function recording(): { db: D1Database; statements: Statement[] } {
	const statements: Statement[] = [];
	const real = env.DB;
	const db = new Proxy(real, {
		get(target, name) {
			if (name === "prepare") {
				return (sql: string) => {
					const entry: Statement = { sql, params: [] };
					statements.push(entry);
					const prepared = target.prepare(sql);
					return new Proxy(prepared, {
						get(p, key) {
							if (key === "bind") {
								return (...params: unknown[]) => {
									entry.params = params;
									return p.bind(...params);
								};
							}
							const v = Reflect.get(p, key);
							return typeof v === "function" ? v.bind(p) : v;
						},
					});
				};
			}
			const v = Reflect.get(target, name);
			return typeof v === "function" ? v.bind(target) : v;
		},
	});
	return { db, statements };
}

/** The query plan's lines of a statement, as SQLite words them. */
async function planOf(s: Statement): Promise<string[]> {
	const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${s.sql}`)
		.bind(...s.params)
		.all<{ detail: string }>();
	return results.map((r) => r.detail);
}

/** The plans of the statements `read` makes that touch `tasks`. */
async function taskPlans(read: (db: D1Database) => Promise<unknown>): Promise<string[][]> {
	const { db, statements } = recording();
	await read(db);
	const touching = statements.filter((s) => /\btasks\b/.test(s.sql));
	expect(touching.length).toBeGreaterThan(0);
	return Promise.all(touching.map(planOf));
}

/** A plan line that reads the `tasks` table (aliased `t` in the SQL-text reads) without an index. */
function scansTasks(line: string): boolean {
	return /^SCAN (tasks|t)\b/.test(line) || /^SEARCH (tasks|t)\b(?!.*USING)/.test(line);
}

const user: CurrentUser = {
	id: "u-plan",
	email: "plan@example.com",
	displayName: "Plan",
	isAdmin: false,
	roles: ["reviewer", "clerk"],
	grants: [],
	via: "session",
};
const admin: CurrentUser = { ...user, id: "u-admin", isAdmin: true };
const seesOne: CurrentUser = {
	...user,
	id: "u-sees",
	grants: [{ permission: "process.see_all", scope: "orders" }],
};
const seesAll: CurrentUser = {
	...user,
	id: "u-all",
	grants: [{ permission: "process.see_all", scope: "*" }],
};
const now = Date.UTC(2027, 0, 6, 12);
const after = { at: now - 1000, id: "p-x/t1" };

const reads: [string, (db: D1Database) => Promise<unknown>][] = [
	["the inbox", (db) => inboxRows(db, user, {}, now)],
	["the inbox of an admin (and open incidents)", (db) => inboxRows(db, admin, {}, now)],
	["the inbox, one role", (db) => inboxRows(db, user, { role: "clerk" }, now)],
	["the inbox, one status", (db) => inboxRows(db, user, { status: "PENDING" }, now)],
	["the inbox, one workflow", (db) => inboxRows(db, user, { workflow: "orders" }, now)],
	["the inbox, overdue", (db) => inboxRows(db, user, { due: "overdue", sort: "due" }, now)],
	["the inbox, to follow up", (db) => inboxRows(db, user, { due: "follow-up" }, now)],
	["the next task after a submit", (db) => findNextTask(db, user, "p-x", "p-x/t1")],
	["the inbox's count", (db) => openTaskCount(db, user)],
	["the inbox's workflows", (db) => inboxWorkflowChoices(db, admin)],
	[
		"the role queue (API)",
		(db) => listTasksFor(db, user, "roles", { status: "active", limit: 50 }),
	],
	["my tasks (API)", (db) => listTasksFor(db, user, "mine", { status: "active", limit: 50 })],
	[
		"my work (API)",
		(db) => listTasksFor(db, user, undefined, { status: "active", after, limit: 50 }),
	],
	[
		"visible tasks (API)",
		(db) => listTasksFor(db, seesOne, "all", { status: "SUCCESS", limit: 50 }),
	],
	[
		"all active tasks (API, admin)",
		(db) => listTasksFor(db, admin, "all", { status: "active", after, limit: 50 }),
	],
	[
		"all failed tasks (API, admin)",
		(db) => listTasksFor(db, seesAll, "all", { status: "FAILURE", limit: 50 }),
	],
	[
		"all succeeded tasks (API, admin)",
		(db) => listTasksFor(db, admin, "all", { status: "SUCCESS", after, limit: 50 }),
	],
	[
		"a process's tasks (API)",
		(db) => listTasksFor(db, admin, "all", { status: "SUCCESS", process: "p-x", limit: 50 }),
	],
	[
		"a workflow's tasks (API)",
		(db) => listTasksFor(db, admin, "all", { status: "SUCCESS", workflow: "orders", limit: 50 }),
	],
	["the processes a person may see", (db) => listProcessesFor(db, user, { limit: 25 })],
	["the process list page", (db) => processListPage(db, seesOne, { page: 1 })],
	[
		"the processes a retry would select",
		(db) => processIdsMatching(db, admin, {}, eligibleFor("retry"), 100),
	],
	["the flow heatmap", (db) => nodeFlows(db, "orders", now - 86_400_000)],
	["the admin overview's counts", (db) => incidentCounts(db)],
	["the incidents page", (db) => processesNeedingAttention(db)],
	["a person's active tasks", (db) => activeTasksAssignedTo(db, "u-plan")],
	["a role's members' workloads", (db) => roleMemberWorkloads(db, "reviewer", "p-x")],
	[
		"the due-date sweep",
		(db) => dueTasksToNote(db, { now, soonMs: 3_600_000, lookbackMs: 86_400_000, limit: 50 }),
	],
	[
		"retention's removal of a process",
		(db) =>
			replaceWithTombstone(db, {
				id: "p-gone",
				workflowKey: "orders",
				removedAt: now,
				reason: "retention",
				archiveKey: null,
			}),
	],
];

describe("I1: the index's reads are served by its indexes", () => {
	for (const [name, read] of reads) {
		it(`I1: ${name} reads tasks through an index`, async () => {
			for (const plan of await taskPlans(read)) {
				expect(plan.filter(scansTasks), plan.join("\n")).toEqual([]);
			}
		});
	}
});

describe("I1: a process's tasks by the primary key", () => {
	const at = Date.UTC(2027, 0, 6);
	const processRow = (id: string): ProcessRow => ({
		id,
		name: null,
		workflowKey: "orders",
		workflowVersion: 1,
		status: "SUCCESS",
		priority: 5,
		progress: 100,
		stuck: false,
		openIncidents: 0,
		activeTasks: 0,
		startedBy: null,
		parentProcessId: null,
		parentTaskId: null,
		createdAt: at,
		startedAt: at,
		endedAt: at + 10,
		suspendedAt: null,
		revision: 1,
	});
	const taskRow = (processId: string, n: number): TaskRow => ({
		id: `${processId}/t${n}`,
		processId,
		workflowKey: "orders",
		node: "a",
		nodeName: "A",
		taskType: "dummy",
		status: "SUCCESS",
		role: null,
		assignee: null,
		priority: 5,
		progress: 100,
		attempt: 1,
		awaitingInput: false,
		incident: null,
		correlationKey: null,
		dueAt: null,
		followUpAt: null,
		createdAt: at + n,
		startedAt: at + n,
		endedAt: at + n,
		revision: 1,
	});

	it("I1: are all its tasks and no other's, even a process whose id extends its own", async () => {
		// "p-k/x" extends "p-k" past a "/": its tasks ("p-k/x/t1") fall in p-k's range of ids.
		for (const id of ["p-k", "p-k/x", "p-k0", "p-j"]) {
			await writeIndex(env.DB, {
				process: processRow(id),
				tasks: [taskRow(id, 1), taskRow(id, 2)],
			});
		}
		const page = await listTasksFor(env.DB, admin, "all", {
			status: "SUCCESS",
			process: "p-k",
			limit: 50,
		});
		expect(page.items.map((t) => t.id)).toEqual(["p-k/t1", "p-k/t2"]);
		await replaceWithTombstone(env.DB, {
			id: "p-k",
			workflowKey: "orders",
			removedAt: at,
			reason: "retention",
			archiveKey: null,
		});
		const { results } = await env.DB.prepare("SELECT id FROM tasks ORDER BY id").all<{
			id: string;
		}>();
		expect(results.map((r) => r.id)).toEqual([
			"p-j/t1",
			"p-j/t2",
			"p-k/x/t1",
			"p-k/x/t2",
			"p-k0/t1",
			"p-k0/t2",
		]);
	});
});
