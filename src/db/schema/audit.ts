// The audit log: one row per change an administrator made (people, roles, grants, tokens,
// workflows, webhooks, settings, and acts on running processes: suspensions, migrations, value
// corrections, bulk actions). Rows are only ever added; the history of a process says what
// happened in it, this log says who changed the system and when.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const auditEntries = sqliteTable(
	"audit_entries",
	{
		id: text("id").primaryKey(),
		at: integer("at").notNull(),
		/** The user id of who made the change (a person or an API token's owner). */
		actor: text("actor").notNull(),
		/** What was done, as `subject.verb`, e.g. `process.suspended`, `workflow.published`. */
		action: text("action").notNull(),
		/** What it was done to: a process id, a workflow key, a user id, a trigger key. */
		target: text("target").notNull(),
		/** What the change said (a reason, a mapping, old and new values), as JSON; no secrets. */
		details: text("details", { mode: "json" }),
	},
	(t) => [
		index("audit_entries_at_idx").on(t.at),
		index("audit_entries_actor_idx").on(t.actor, t.at),
		index("audit_entries_action_idx").on(t.action, t.at),
		index("audit_entries_target_idx").on(t.target, t.at),
	],
);
