// Bulk actions on the processes a filter selected (issue #16): the operation, with its counts for
// the progress bar, and one row per selected process, chosen when the operation is created so the
// selection does not drift while it runs. A process's row gets its outcome once its act committed;
// the rows without one are what is left to do, so a run that stops part-way resumes where it was.
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const bulkOperations = sqliteTable(
	"bulk_operations",
	{
		id: text("id").primaryKey(),
		/** stop, suspend, resume, retry (failed tasks), migrate. */
		action: text("action").notNull(),
		/** The processes list's filter as given, for the page and the audit log. */
		filter: text("filter", { mode: "json" }).notNull(),
		/** What the action needs beyond the selection: a reason, the target version and mapping. */
		options: text("options", { mode: "json" }),
		createdBy: text("created_by").notNull(),
		createdAt: integer("created_at").notNull(),
		/** running, done, cancelled. */
		status: text("status").notNull(),
		total: integer("total").notNull(),
		succeeded: integer("succeeded").notNull().default(0),
		skipped: integer("skipped").notNull().default(0),
		failed: integer("failed").notNull().default(0),
		/** Chunks done: the next chunk's number, so a duplicate message cannot fork the chain. */
		chunks: integer("chunks").notNull().default(0),
		/** When a chunk last ran: the Cron Trigger restarts an operation that stopped moving. */
		touchedAt: integer("touched_at").notNull(),
		finishedAt: integer("finished_at"),
	},
	(t) => [index("bulk_operations_status_idx").on(t.status, t.touchedAt)],
);

export const bulkOperationItems = sqliteTable(
	"bulk_operation_items",
	{
		operationId: text("operation_id").notNull(),
		processId: text("process_id").notNull(),
		/** Null until done; then succeeded, skipped (nothing to do, and why) or failed. */
		outcome: text("outcome"),
		/** In words: why it was skipped or failed, or what was done (a migration's moves). */
		message: text("message"),
		doneAt: integer("done_at"),
	},
	(t) => [
		primaryKey({ columns: [t.operationId, t.processId] }),
		index("bulk_operation_items_pending_idx").on(t.operationId, t.outcome),
	],
);
