// The rules of the process index in SQL, each written once: which tasks are active, which are a
// user's own work, which are assigned to them, and which processes and tasks they may see. They are
// src/auth/permissions.ts's rules for one row (isOwnWork, canSeeTask, canSeeProcess) over a whole
// table, so that a list never shows what the object-level check would hide.
import { and, eq, gte, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { CurrentUser } from "../auth/current-user.ts";
import { canSeeAllProcesses } from "../auth/permissions.ts";
import { ACTIVE_TASK_STATUSES } from "../engine/index.ts";
import { processes, tasks } from "./schema/index.ts";

/**
 * `column` is one of `values`. The list is bound as one JSON parameter, so any number of roles or
 * grants fits D1's limit of bound parameters.
 */
export function inList(column: SQLiteColumn, values: readonly string[]): SQL {
	return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}

/**
 * The tasks of one process, found by the primary key: a task's id is its process's id, "/" and a
 * number (src/engine/ids.ts), so they are the ids from "<id>/" up to "<id>0" ("0" follows "/").
 * The index keeps no process_id index for this (one row fewer written per task, I1); the equality
 * keeps out a process whose id extends this one's past a "/".
 */
export function tasksOfProcess(processId: string | SQLiteColumn): SQL {
	if (typeof processId === "string") {
		return and(
			gte(tasks.id, `${processId}/`),
			lt(tasks.id, `${processId}0`),
			eq(tasks.processId, processId),
		) as SQL;
	}
	return sql`${tasks.id} >= ${processId} || '/' and ${tasks.id} < ${processId} || '0' and ${tasks.processId} = ${processId}`;
}

/** The task has not ended: PENDING, STARTED or RETRY (`status`: the column, or a hint over it). */
export function activeTask(status: SQL = sql`${tasks.status}`): SQL {
	return inArray(status, [...ACTIVE_TASK_STATUSES]);
}

/**
 * The task is the user's own work (isOwnWork): it belongs to one of their roles (assigned to anyone
 * or queued), or it has no role and is assigned to them. Someone removed from a role no longer has
 * its tasks, even those assigned to them.
 */
export function ownWork(user: Pick<CurrentUser, "id" | "roles">): SQL {
	return or(
		and(isNull(tasks.role), eq(tasks.assignee, user.id)),
		inList(tasks.role, user.roles),
	) as SQL;
}

/** My own work that is assigned to me: in a role I still hold, or with no role. */
export function assignedToMe(user: Pick<CurrentUser, "id" | "roles">): SQL {
	return and(eq(tasks.assignee, user.id), ownWork(user)) as SQL;
}

/** The workflows whose processes the user may all see (their `process.see_all` grants). */
function seeAllScopes(user: Pick<CurrentUser, "grants">): string[] {
	return user.grants.filter((g) => g.permission === "process.see_all").map((g) => g.scope);
}

/** The tasks the user may see (canSeeTask); undefined when they may see every one. */
export function visibleTasks(user: CurrentUser): SQL | undefined {
	if (canSeeAllProcesses(user)) return undefined;
	return or(ownWork(user), inList(tasks.workflowKey, seeAllScopes(user)));
}

/**
 * The processes the user may see (canSeeProcess): started by them, of a workflow they may see all
 * of, or with a task of their own work. Undefined when they may see every process.
 */
export function visibleProcesses(user: CurrentUser): SQL | undefined {
	if (canSeeAllProcesses(user)) return undefined;
	return or(
		eq(processes.startedBy, user.id),
		inList(processes.workflowKey, seeAllScopes(user)),
		sql`exists (select 1 from ${tasks} where ${tasksOfProcess(processes.id)} and ${ownWork(user)})`,
	);
}

/**
 * The API's task scopes. mine: assigned to me (assignedToMe); roles: my roles' tasks, whoever has
 * them; all: every task I may see (visibleTasks). Without a scope: my own work (ownWork).
 */
export type TaskScope = "mine" | "roles" | "all";

export function tasksInScope(user: CurrentUser, scope: TaskScope | undefined): SQL | undefined {
	switch (scope) {
		case "mine":
			return assignedToMe(user);
		case "roles":
			return inList(tasks.role, user.roles);
		case "all":
			return visibleTasks(user);
		default:
			return ownWork(user);
	}
}
