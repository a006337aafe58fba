// Retention settings and tombstones in D1 (issue #16): each workflow's retention and archive
// choice, and what became of a removed process. The sweep that removes processes is
// src/retention/sweep.ts; its reads and writes of the process index are process-index-retention.ts.
import { count, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { removedProcesses, workflowRetention } from "./schema/index.ts";

/** Days a finished process is kept when neither the workflow nor RETENTION_DAYS says otherwise. */
export const DEFAULT_RETENTION_DAYS = 90;

/** The longest retention a workflow may set: ten years. */
export const MAX_RETENTION_DAYS = 3650;

/** RETENTION_DAYS as a whole number of days, or the default when unset or not a positive integer. */
export function defaultRetentionDays(env: Pick<Env, "RETENTION_DAYS">): number {
	const days = Number(env.RETENTION_DAYS);
	return Number.isInteger(days) && days > 0 ? days : DEFAULT_RETENTION_DAYS;
}

export interface WorkflowRetention {
	/** Null: the default applies. */
	retentionDays: number | null;
	archive: boolean;
}

/** A workflow's retention; a workflow that never set one keeps the default and archives. */
export async function workflowRetentionOf(db: D1Database, key: string): Promise<WorkflowRetention> {
	const [row] = await drizzle(db)
		.select({ retentionDays: workflowRetention.retentionDays, archive: workflowRetention.archive })
		.from(workflowRetention)
		.where(eq(workflowRetention.workflowKey, key));
	return row ?? { retentionDays: null, archive: true };
}

export async function saveWorkflowRetention(
	db: D1Database,
	key: string,
	retention: WorkflowRetention,
	by: { updatedBy: string | null; now: number },
): Promise<void> {
	const values = { ...retention, updatedAt: by.now, updatedBy: by.updatedBy };
	await drizzle(db)
		.insert(workflowRetention)
		.values({ workflowKey: key, ...values })
		.onConflictDoUpdate({ target: workflowRetention.workflowKey, set: values });
}

export interface RemovedProcess {
	id: string;
	workflowKey: string;
	removedAt: number;
	reason: string;
	archiveKey: string | null;
}

/** The tombstone of a removed process, if it was removed. */
export async function removedProcess(
	db: D1Database,
	id: string,
): Promise<RemovedProcess | undefined> {
	const [row] = await drizzle(db)
		.select()
		.from(removedProcesses)
		.where(eq(removedProcesses.id, id));
	return row;
}

/** How many processes of a workflow retention removed (the workflow page counts them). */
export async function removedCount(db: D1Database, key: string): Promise<number> {
	const [row] = await drizzle(db)
		.select({ n: count() })
		.from(removedProcesses)
		.where(eq(removedProcesses.workflowKey, key));
	return row?.n ?? 0;
}
