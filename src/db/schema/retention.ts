// Retention (issue #16): each workflow's own retention and archive choice (a workflow without a row
// keeps the default from RETENTION_DAYS and archives), and the tombstones of removed processes.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { workflows } from "./workflows.ts";

export const workflowRetention = sqliteTable("workflow_retention", {
	workflowKey: text("workflow_key")
		.primaryKey()
		.references(() => workflows.key),
	/** Days a finished process is kept after it ended; null keeps the default. */
	retentionDays: integer("retention_days"),
	/** Whether the history goes to R2 as NDJSON before the process is removed. */
	archive: integer("archive", { mode: "boolean" }).notNull().default(true),
	updatedAt: integer("updated_at").notNull(),
	updatedBy: text("updated_by"),
});

/** A removed process: its id answers 410 with when and why, and the counts include it. */
export const removedProcesses = sqliteTable(
	"removed_processes",
	{
		id: text("id").primaryKey(),
		workflowKey: text("workflow_key").notNull(),
		removedAt: integer("removed_at").notNull(),
		reason: text("reason").notNull(),
		/** The R2 key of the archived history; null when the workflow does not archive. */
		archiveKey: text("archive_key"),
	},
	(t) => [index("removed_processes_workflow_idx").on(t.workflowKey, t.removedAt)],
);
