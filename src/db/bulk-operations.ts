// The bulk operations repository: an operation and the processes it selected, created in one
// batch; the next processes still to do; their outcomes and the operation's counts, recorded
// together; the operations that stopped moving. Counts are recounted from the items each time, so
// recording the same outcome twice (a chunk run again after a crash) cannot count it twice.
import { and, desc, eq, inArray, isNotNull, isNull, lt, ne, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { bulkOperationItems, bulkOperations, processes, tasks } from "./schema/index.ts";

export type BulkOperationRow = typeof bulkOperations.$inferSelect;
export type BulkItemRow = typeof bulkOperationItems.$inferSelect;

export const BULK_ACTIONS = ["stop", "suspend", "resume", "retry", "migrate"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export type BulkOutcome = "succeeded" | "skipped" | "failed";

/**
 * What an action can act on at all, beside the filter: so the preview counts the processes it
 * will change, not those it would only skip. A process may still change before its turn; then
 * the engine refuses and the item is skipped with its reason.
 */
export function eligibleFor(
	action: BulkAction,
	migration?: { workflowKey: string; toVersion: number },
): SQL | undefined {
	switch (action) {
		case "stop":
			return eq(processes.status, "STARTED");
		case "suspend":
			return and(eq(processes.status, "STARTED"), isNull(processes.suspendedAt));
		case "resume":
			return and(eq(processes.status, "STARTED"), isNotNull(processes.suspendedAt));
		case "retry":
			return and(
				inArray(processes.status, ["STARTED", "FAILURE"]),
				sql`${processes.id} IN (SELECT ${tasks.processId} FROM ${tasks} WHERE ${tasks.status} = 'FAILURE' UNION ALL SELECT ${tasks.processId} FROM ${tasks} WHERE ${tasks.incident} IS NOT NULL)`,
			);
		case "migrate":
			return and(
				eq(processes.status, "STARTED"),
				migration ? eq(processes.workflowKey, migration.workflowKey) : undefined,
				migration ? ne(processes.workflowVersion, migration.toVersion) : undefined,
			);
	}
}

export interface NewBulkOperation {
	id: string;
	action: BulkAction;
	filter: unknown;
	options: unknown;
	createdBy: string;
	createdAt: number;
	processIds: string[];
}

/** Items per INSERT: D1 binds at most 100 parameters, an item binds 2. */
const ITEMS_PER_INSERT = 45;

/** The operation and its items, in one batch: there is never an operation without its selection. */
export async function createBulkOperation(db: D1Database, op: NewBulkOperation): Promise<void> {
	const d = drizzle(db);
	const head = d.insert(bulkOperations).values({
		id: op.id,
		action: op.action,
		filter: op.filter,
		options: op.options ?? null,
		createdBy: op.createdBy,
		createdAt: op.createdAt,
		status: op.processIds.length === 0 ? "done" : "running",
		total: op.processIds.length,
		touchedAt: op.createdAt,
		finishedAt: op.processIds.length === 0 ? op.createdAt : null,
	});
	const inserts = [];
	for (let i = 0; i < op.processIds.length; i += ITEMS_PER_INSERT) {
		inserts.push(
			d
				.insert(bulkOperationItems)
				.values(
					op.processIds
						.slice(i, i + ITEMS_PER_INSERT)
						.map((processId) => ({ operationId: op.id, processId })),
				),
		);
	}
	await d.batch([head, ...inserts]);
}

export async function findBulkOperation(
	db: D1Database,
	id: string,
): Promise<BulkOperationRow | undefined> {
	const rows = await drizzle(db)
		.select()
		.from(bulkOperations)
		.where(eq(bulkOperations.id, id))
		.limit(1);
	return rows[0];
}

export async function recentBulkOperations(db: D1Database, limit = 20) {
	return drizzle(db)
		.select()
		.from(bulkOperations)
		.orderBy(desc(bulkOperations.createdAt))
		.limit(limit);
}

/** The next processes still to do, in the order they were selected. */
export async function pendingItems(db: D1Database, id: string, limit: number): Promise<string[]> {
	const rows = await drizzle(db)
		.select({ processId: bulkOperationItems.processId })
		.from(bulkOperationItems)
		.where(and(eq(bulkOperationItems.operationId, id), isNull(bulkOperationItems.outcome)))
		.orderBy(sql`rowid`)
		.limit(limit);
	return rows.map((r) => r.processId);
}

/** The items that did not succeed (skipped or failed), for the page, newest first. */
export async function unsuccessfulItems(db: D1Database, id: string, limit = 50) {
	return drizzle(db)
		.select()
		.from(bulkOperationItems)
		.where(
			and(
				eq(bulkOperationItems.operationId, id),
				inArray(bulkOperationItems.outcome, ["skipped", "failed"]),
			),
		)
		.orderBy(desc(bulkOperationItems.doneAt))
		.limit(limit);
}

export interface ItemOutcome {
	processId: string;
	outcome: BulkOutcome;
	message: string | null;
}

/**
 * Records chunk `chunk`'s outcomes, recounts the operation from its items and finishes it when
 * none is left, in one batch. An item that already has an outcome keeps its first one; only the
 * first run of a chunk moves the operation to the next (`advanced`), so a chunk delivered twice
 * continues the chain once.
 */
export async function recordOutcomes(
	db: D1Database,
	id: string,
	chunk: number,
	outcomes: ItemOutcome[],
	now: number,
): Promise<{ operation: BulkOperationRow | undefined; advanced: boolean }> {
	const d = drizzle(db);
	const counted = (outcome: BulkOutcome) =>
		sql`(SELECT count(*) FROM bulk_operation_items WHERE operation_id = ${id} AND outcome = ${outcome})`;
	const pending = sql`(SELECT count(*) FROM bulk_operation_items WHERE operation_id = ${id} AND outcome IS NULL)`;
	const updates = outcomes.map((o) =>
		d
			.update(bulkOperationItems)
			.set({ outcome: o.outcome, message: o.message, doneAt: now })
			.where(
				and(
					eq(bulkOperationItems.operationId, id),
					eq(bulkOperationItems.processId, o.processId),
					isNull(bulkOperationItems.outcome),
				),
			),
	);
	const advance = d
		.update(bulkOperations)
		.set({ chunks: chunk + 1 })
		.where(and(eq(bulkOperations.id, id), eq(bulkOperations.chunks, chunk)))
		.returning({ id: bulkOperations.id });
	const recount = d
		.update(bulkOperations)
		.set({
			succeeded: counted("succeeded"),
			skipped: counted("skipped"),
			failed: counted("failed"),
			touchedAt: now,
			status: sql`CASE WHEN ${bulkOperations.status} = 'running' AND ${pending} = 0 THEN 'done' ELSE ${bulkOperations.status} END`,
			finishedAt: sql`CASE WHEN ${bulkOperations.finishedAt} IS NULL AND ${pending} = 0 THEN ${now} ELSE ${bulkOperations.finishedAt} END`,
		})
		.where(eq(bulkOperations.id, id));
	const read = d.select().from(bulkOperations).where(eq(bulkOperations.id, id));
	const results = (await d.batch([advance, ...updates, recount, read] as unknown as [
		typeof read,
	])) as unknown[];
	const advanced = (results[0] as unknown[]).length > 0;
	const rows = results.at(-1) as BulkOperationRow[];
	return { operation: rows[0], advanced };
}

/** Marks a chunk as started, so a watchdog does not start it a second time meanwhile. */
export async function touchBulkOperation(db: D1Database, id: string, now: number): Promise<void> {
	await drizzle(db).update(bulkOperations).set({ touchedAt: now }).where(eq(bulkOperations.id, id));
}

/** Cancels a running operation: what is done stays done; what is left is not done. */
export async function cancelBulkOperation(
	db: D1Database,
	id: string,
	now: number,
): Promise<boolean> {
	const rows = await drizzle(db)
		.update(bulkOperations)
		.set({ status: "cancelled", finishedAt: now, touchedAt: now })
		.where(and(eq(bulkOperations.id, id), eq(bulkOperations.status, "running")))
		.returning({ id: bulkOperations.id });
	return rows.length > 0;
}

/** Running operations that have not moved since `before`: their chain of messages broke. */
export async function stalledBulkOperations(db: D1Database, before: number): Promise<string[]> {
	const rows = await drizzle(db)
		.select({ id: bulkOperations.id })
		.from(bulkOperations)
		.where(and(eq(bulkOperations.status, "running"), lt(bulkOperations.touchedAt, before)))
		.limit(20);
	return rows.map((r) => r.id);
}
