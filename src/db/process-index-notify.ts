// The index read of the due-date sweep (src/notifications/due-sweep.ts): the tasks waiting for a
// person whose due date is near or past and whose due event was not noted yet (`due_notices`).
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ACTIVE_TASK_STATUSES } from "../engine/index.ts";

export interface DueTaskRow {
	id: string;
	processId: string;
	processName: string | null;
	nodeName: string;
	role: string | null;
	assignee: string | null;
	dueAt: number;
}

/**
 * Active tasks awaiting input due before `now + soonMs` and after `now - lookbackMs`, soonest
 * first, without a `due_notices` row for the event their due date makes now (overdue once past
 * it, else due soon).
 */
export async function dueTasksToNote(
	db: D1Database,
	o: { now: number; soonMs: number; lookbackMs: number; limit: number },
): Promise<DueTaskRow[]> {
	const statuses = sql.join(
		ACTIVE_TASK_STATUSES.map((s) => sql`${s}`),
		sql`, `,
	);
	return drizzle(db).all<DueTaskRow>(sql`
		SELECT t.id AS id, t.process_id AS processId, p.name AS processName, t.node_name AS nodeName,
			t.role AS role, t.assignee AS assignee, t.due_at AS dueAt
		FROM tasks t JOIN processes p ON p.id = t.process_id
		WHERE t.status IN (${statuses}) AND t.awaiting_input = 1 AND t.due_at IS NOT NULL
			AND t.due_at <= ${o.now + o.soonMs} AND t.due_at > ${o.now - o.lookbackMs}
			AND NOT EXISTS (SELECT 1 FROM due_notices d WHERE d.key =
				(CASE WHEN t.due_at <= ${o.now} THEN 'overdue' ELSE 'due-soon' END) || ':' || t.id || ':' || t.due_at)
		ORDER BY t.due_at LIMIT ${o.limit}`);
}
