// The admin pages' reads of D1: processes running per workflow version, the counts of the overview,
// and which processes and tasks need an admin (the incidents page then reads those processes'
// objects for the details). The index is a projection; the ProcessObject stays the truth.
import { and, count, desc, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import {
	memberships,
	processes,
	roles,
	tasks,
	users,
	workflows,
} from "../../../db/schema/index.ts";

const ACTIVE_TASK = ["PENDING", "STARTED", "RETRY"];
const RUNNING = ["PENDING", "STARTED"];

/** Running processes by workflow key and version. */
export async function runningByVersion(
	db: D1Database,
	key?: string,
): Promise<{ workflowKey: string; version: number; running: number }[]> {
	const d = drizzle(db);
	const where = key
		? and(inArray(processes.status, RUNNING), eq(processes.workflowKey, key))
		: inArray(processes.status, RUNNING);
	const rows = await d
		.select({
			workflowKey: processes.workflowKey,
			version: processes.workflowVersion,
			running: count(),
		})
		.from(processes)
		.where(where)
		.groupBy(processes.workflowKey, processes.workflowVersion);
	return rows;
}

/** Every process of a workflow by status (for the workflow page). */
export async function processCountsByVersion(
	db: D1Database,
	key: string,
): Promise<{ version: number; status: string; n: number }[]> {
	return drizzle(db)
		.select({ version: processes.workflowVersion, status: processes.status, n: count() })
		.from(processes)
		.where(eq(processes.workflowKey, key))
		.groupBy(processes.workflowVersion, processes.status);
}

export interface OverviewCounts {
	workflows: number;
	drafts: number;
	running: number;
	stuck: number;
	withIncidents: number;
	failedTasks: number;
	unassigned: number;
	users: number;
	activeUsers: number;
	roles: number;
}

export async function overviewCounts(db: D1Database): Promise<OverviewCounts> {
	const d = drizzle(db);
	const [wf, running, failed, unassigned, people, roleCount] = await d.batch([
		d
			.select({
				total: count(),
				drafts: sql<number>`sum(case when ${workflows.draft} is not null then 1 else 0 end)`,
			})
			.from(workflows),
		d
			.select({
				total: count(),
				stuck: sql<number>`sum(case when ${processes.stuck} = 1 then 1 else 0 end)`,
				incidents: sql<number>`sum(case when ${processes.openIncidents} > 0 then 1 else 0 end)`,
			})
			.from(processes)
			.where(eq(processes.status, "STARTED")),
		d
			.select({ n: count() })
			.from(tasks)
			.innerJoin(processes, eq(processes.id, tasks.processId))
			.where(
				and(
					eq(tasks.status, "FAILURE"),
					or(
						eq(processes.status, "STARTED"),
						// P8: the task that failed its process, while its incident is open.
						and(eq(processes.status, "FAILURE"), isNotNull(tasks.incident)),
					),
				),
			),
		d
			.select({ n: count() })
			.from(tasks)
			.innerJoin(processes, eq(processes.id, tasks.processId))
			.where(
				and(
					eq(processes.status, "STARTED"),
					inArray(tasks.status, ACTIVE_TASK),
					isNotNull(tasks.role),
					isNull(tasks.assignee),
				),
			),
		d
			.select({
				total: count(),
				active: sql<number>`sum(case when ${users.active} = 1 then 1 else 0 end)`,
			})
			.from(users),
		d.select({ n: count() }).from(roles),
	]);
	return {
		workflows: wf[0]?.total ?? 0,
		drafts: Number(wf[0]?.drafts ?? 0),
		running: running[0]?.total ?? 0,
		stuck: Number(running[0]?.stuck ?? 0),
		withIncidents: Number(running[0]?.incidents ?? 0),
		failedTasks: failed[0]?.n ?? 0,
		unassigned: unassigned[0]?.n ?? 0,
		users: people[0]?.total ?? 0,
		activeUsers: Number(people[0]?.active ?? 0),
		roles: roleCount[0]?.n ?? 0,
	};
}

/** At most this many processes are read in detail on one incidents page. */
export const INCIDENT_PROCESS_LIMIT = 50;

/**
 * The processes that need an admin, most recent first: running ones with an open incident, stuck
 * (P5), a failed task, or an active task of a role with nobody assigned (T3); and failed ones whose
 * failing task an admin may retry (P8).
 */
export async function processesNeedingAttention(
	db: D1Database,
	limit = INCIDENT_PROCESS_LIMIT,
): Promise<{ ids: string[]; total: number }> {
	const d = drizzle(db);
	const troubledTask = d
		.select({ id: tasks.processId })
		.from(tasks)
		.where(
			or(
				eq(tasks.status, "FAILURE"),
				isNotNull(tasks.incident),
				and(inArray(tasks.status, ACTIVE_TASK), isNotNull(tasks.role), isNull(tasks.assignee)),
			),
		);
	const where = or(
		and(
			eq(processes.status, "STARTED"),
			or(
				sql`${processes.openIncidents} > 0`,
				eq(processes.stuck, true),
				inArray(processes.id, troubledTask),
			),
		),
		// P8: a process failed by a task an admin may retry (its incident still open).
		and(
			eq(processes.status, "FAILURE"),
			inArray(
				processes.id,
				d
					.select({ id: tasks.processId })
					.from(tasks)
					.where(and(eq(tasks.status, "FAILURE"), isNotNull(tasks.incident))),
			),
		),
	);
	const [rows, total] = await d.batch([
		d
			.select({ id: processes.id })
			.from(processes)
			.where(where)
			.orderBy(desc(processes.createdAt))
			.limit(limit),
		d.select({ n: count() }).from(processes).where(where),
	]);
	return { ids: rows.map((r) => r.id), total: total[0]?.n ?? 0 };
}

/** Display names of users by id (for assignees and "started by"). */
export async function userNames(db: D1Database, ids: string[]): Promise<Map<string, string>> {
	const unique = [...new Set(ids)].filter(Boolean);
	if (unique.length === 0) return new Map();
	const rows = await drizzle(db)
		.select({ id: users.id, name: users.displayName })
		.from(users)
		.where(inArray(users.id, unique));
	return new Map(rows.map((r) => [r.id, r.name]));
}

/** Every workflow (drafts-only ones too), with whether it has a draft. */
export async function workflowList(db: D1Database) {
	return drizzle(db)
		.select({
			key: workflows.key,
			name: workflows.name,
			latestVersion: workflows.latestVersion,
			hasDraft: sql<number>`${workflows.draft} is not null`,
			updatedAt: workflows.updatedAt,
		})
		.from(workflows)
		.orderBy(workflows.name);
}

/** Active members per role key (roles with none are absent). */
export async function activeMembersByRole(db: D1Database): Promise<Map<string, number>> {
	const rows = await drizzle(db)
		.select({ role: memberships.roleKey, n: count() })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(eq(users.active, true))
		.groupBy(memberships.roleKey);
	return new Map(rows.map((r) => [r.role, r.n]));
}
