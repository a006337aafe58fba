// The reads of the process index behind the admin pages: processes per workflow version, the
// overview's incident counts, which processes need an admin (the incidents page then reads those
// processes' objects for the details), and a person's active tasks.
import { and, count, desc, eq, inArray, isNotNull, isNull, or, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { unionAll } from "drizzle-orm/sqlite-core";
import { RUNNING_PROCESS_STATUSES } from "../engine/index.ts";
import { activeTask } from "./process-index-rules.ts";
import { processes, tasks } from "./schema/index.ts";

/** T3: an active task of a role that nobody is assigned. */
function unassignedTask(): SQL {
	return and(activeTask(), isNotNull(tasks.role), isNull(tasks.assignee)) as SQL;
}

/** P8: the failed task whose incident is still open (an admin may retry it). */
function failedWithOpenIncident(): SQL {
	return and(eq(tasks.status, "FAILURE"), isNotNull(tasks.incident)) as SQL;
}

/** Running processes by workflow key and version. */
export async function runningByVersion(
	db: D1Database,
	key?: string,
): Promise<{ workflowKey: string; version: number; running: number }[]> {
	return drizzle(db)
		.select({
			workflowKey: processes.workflowKey,
			version: processes.workflowVersion,
			running: count(),
		})
		.from(processes)
		.where(
			and(
				inArray(processes.status, [...RUNNING_PROCESS_STATUSES]),
				key ? eq(processes.workflowKey, key) : undefined,
			),
		)
		.groupBy(processes.workflowKey, processes.workflowVersion);
}

/** Every process of a workflow by version and status (for the workflow page). */
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

export interface IncidentCounts {
	/** Processes STARTED. */
	running: number;
	/** Of those, the stuck ones (P5). */
	stuck: number;
	/** Of those, the ones with an open incident. */
	withIncidents: number;
	/** Failed tasks of running processes, and those that failed their process (P8). */
	failedTasks: number;
	/** Active tasks of a role with nobody assigned, in running processes (T3). */
	unassigned: number;
}

/** What the admin overview counts in the index, in one round trip. */
export async function incidentCounts(db: D1Database): Promise<IncidentCounts> {
	const d = drizzle(db);
	const [running, failed, unassigned] = await d.batch([
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
			.where(and(eq(processes.status, "STARTED"), unassignedTask())),
	]);
	return {
		running: running[0]?.total ?? 0,
		stuck: Number(running[0]?.stuck ?? 0),
		withIncidents: Number(running[0]?.incidents ?? 0),
		failedTasks: failed[0]?.n ?? 0,
		unassigned: unassigned[0]?.n ?? 0,
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
	// A union rather than one OR: SQLite reads each part through its own index (I1), where it
	// would scan the table for the OR of an IS NOT NULL and the rest.
	const ofTasks = (where: SQL) => d.select({ id: tasks.processId }).from(tasks).where(where);
	const troubledTask = unionAll(
		ofTasks(eq(tasks.status, "FAILURE")),
		ofTasks(isNotNull(tasks.incident)),
		ofTasks(unassignedTask()),
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
				d.select({ id: tasks.processId }).from(tasks).where(failedWithOpenIncident()),
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

/** How many active tasks are assigned to the user, in any role. */
export async function activeTasksAssignedTo(db: D1Database, userId: string): Promise<number> {
	const [row] = await drizzle(db)
		.select({ n: count() })
		.from(tasks)
		.where(and(eq(tasks.assignee, userId), activeTask()));
	return row?.n ?? 0;
}

/**
 * O2: the running processes of a workflow on versions other than `toVersion` (or on `fromVersion`
 * only), oldest first, a page at a time after `afterId`: the candidates of a migration. The
 * ProcessObject decides whether each can move; the index only finds them.
 */
export async function migrationCandidates(
	db: D1Database,
	key: string,
	select: { toVersion: number; fromVersion?: number; afterId?: string; limit: number },
): Promise<{ id: string; version: number }[]> {
	return drizzle(db)
		.select({ id: processes.id, version: processes.workflowVersion })
		.from(processes)
		.where(
			and(
				eq(processes.workflowKey, key),
				inArray(processes.status, [...RUNNING_PROCESS_STATUSES]),
				select.fromVersion === undefined
					? sql`${processes.workflowVersion} <> ${select.toVersion}`
					: eq(processes.workflowVersion, select.fromVersion),
				select.afterId ? sql`${processes.id} > ${select.afterId}` : undefined,
			),
		)
		.orderBy(processes.id)
		.limit(select.limit);
}
