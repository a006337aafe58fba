// The process index's part in retention (issue #16): which finished processes have outlived their
// workflow's retention, and their index rows deleted in the same batch that writes the tombstone,
// so no moment shows a process neither listed nor answered 410.
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { FINISHED_PROCESS_STATUSES } from "../engine/index.ts";
import { tasksOfProcess } from "./process-index-rules.ts";
import type { RemovedProcess } from "./retention.ts";
import { processes, removedProcesses, tasks, workflowRetention } from "./schema/index.ts";

const DAY_MS = 86_400_000;

export interface ExpiredProcess {
	id: string;
	workflowKey: string;
	endedAt: number;
	/** The retention that expired it, in days. */
	retentionDays: number;
	archive: boolean;
}

/**
 * Finished processes that ended more than their workflow's retention (else `defaultDays`) before
 * `now`, the longest ended first, at most `limit`. A process whose end the index does not know yet
 * is never expired, nor a failed one whose incident is still open: an admin may yet retry it (P8),
 * and an incident is not closed by the calendar.
 */
export async function expiredProcesses(
	db: D1Database,
	now: number,
	defaultDays: number,
	limit: number,
): Promise<ExpiredProcess[]> {
	const days = sql<number>`coalesce(${workflowRetention.retentionDays}, ${defaultDays})`;
	const rows = await drizzle(db)
		.select({
			id: processes.id,
			workflowKey: processes.workflowKey,
			endedAt: processes.endedAt,
			retentionDays: days,
			archive: sql<number>`coalesce(${workflowRetention.archive}, 1)`,
		})
		.from(processes)
		.leftJoin(workflowRetention, eq(workflowRetention.workflowKey, processes.workflowKey))
		.where(
			and(
				inArray(processes.status, [...FINISHED_PROCESS_STATUSES]),
				eq(processes.openIncidents, 0),
				lt(processes.endedAt, sql`${now} - ${days} * ${DAY_MS}`),
			),
		)
		.orderBy(asc(processes.endedAt))
		.limit(limit);
	return rows.map((r) => ({
		id: r.id,
		workflowKey: r.workflowKey,
		endedAt: r.endedAt ?? 0,
		retentionDays: Number(r.retentionDays),
		archive: Number(r.archive) === 1,
	}));
}

/**
 * The last step of a removal: the tombstone written and the index rows deleted in one batch. Run
 * twice, it changes nothing the second time (the first tombstone stays).
 */
export async function replaceWithTombstone(
	db: D1Database,
	tombstone: RemovedProcess,
): Promise<void> {
	const d = drizzle(db);
	await d.batch([
		d.insert(removedProcesses).values(tombstone).onConflictDoNothing(),
		d.delete(tasks).where(tasksOfProcess(tombstone.id)),
		d.delete(processes).where(eq(processes.id, tombstone.id)),
	]);
}
