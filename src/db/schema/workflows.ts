// Workflows and their published versions (SEMANTICS D3): a version row is written once and never updated.
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const workflows = sqliteTable("workflows", {
	key: text("key").primaryKey(),
	name: text("name").notNull(),
	description: text("description"),
	latestVersion: integer("latest_version"),
	/** The editable draft (a WorkflowDefinition as JSON); null when there is none. */
	draft: text("draft", { mode: "json" }),
	createdAt: integer("created_at").notNull(),
	updatedAt: integer("updated_at").notNull(),
});

export const workflowVersions = sqliteTable(
	"workflow_versions",
	{
		workflowKey: text("workflow_key")
			.notNull()
			.references(() => workflows.key),
		version: integer("version").notNull(),
		/** The validated WorkflowDefinition, frozen at publication. */
		definition: text("definition", { mode: "json" }).notNull(),
		publishedAt: integer("published_at").notNull(),
		publishedBy: text("published_by"),
	},
	(t) => [primaryKey({ columns: [t.workflowKey, t.version] })],
);
