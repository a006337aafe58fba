// Message starts (N3): which published workflows start a process when a message of a name is
// published, so a publish finds them with one indexed read instead of reading every definition.
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { workflows } from "./workflows.ts";

/**
 * One row per message name that a start node of the workflow's latest published version waits
 * for; rewritten in the batch that publishes a version (src/db/workflows.ts).
 */
export const messageStarts = sqliteTable(
	"message_starts",
	{
		messageName: text("message_name").notNull(),
		workflowKey: text("workflow_key")
			.notNull()
			.references(() => workflows.key),
		/** The version that declares it: the one the started processes run. */
		version: integer("version").notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.messageName, t.workflowKey] }),
		index("message_starts_workflow_idx").on(t.workflowKey),
	],
);
