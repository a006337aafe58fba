// Permissions as grants: (subject, permission, scope) tuples, the way django-guardian models them.
// The subject is a user or a role; the scope is a workflow key or "*" for every workflow.
// Admins need no grant; what each permission allows is decided in src/auth/permissions.ts.
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const permissionGrants = sqliteTable(
	"permission_grants",
	{
		/** "user" or "role". */
		subjectKind: text("subject_kind").notNull(),
		/** A user id or a role key. */
		subjectId: text("subject_id").notNull(),
		/** "workflow.start", "process.see_all" or "process.stop". */
		permission: text("permission").notNull(),
		/** A workflow key, or "*" for every workflow. */
		scope: text("scope").notNull(),
		grantedAt: integer("granted_at").notNull(),
		grantedBy: text("granted_by"),
	},
	(t) => [
		primaryKey({ columns: [t.subjectKind, t.subjectId, t.permission, t.scope] }),
		index("permission_grants_scope_idx").on(t.permission, t.scope),
	],
);
