// Users, roles and who belongs to which role. Roles are keyed by stable ids; names may change.
// A user's credentials live here too: the PBKDF2 hash of the password (none for Access-only users)
// and the session version that every session carries, bumped to end all of a user's sessions at once.
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const users = sqliteTable("users", {
	id: text("id").primaryKey(),
	/** Stored lower-cased and trimmed; the sign-in and Access lookups compare it exactly. */
	email: text("email").notNull().unique(),
	displayName: text("display_name").notNull(),
	active: integer("active", { mode: "boolean" }).notNull().default(true),
	createdAt: integer("created_at").notNull(),
	/** Manages everything: definitions, people, webhooks, every process and task. */
	isAdmin: integer("is_admin", { mode: "boolean" }).notNull().default(false),
	/** PBKDF2-SHA-256 of the password, base64; null when the user signs in through Access only. */
	passwordHash: text("password_hash"),
	/** The per-user random salt, base64. */
	passwordSalt: text("password_salt"),
	/** The iteration count the hash was made with, so the cost can rise without a reset. */
	passwordIterations: integer("password_iterations"),
	/** Every session carries this; a bump (deactivation, password change) ends them all. */
	sessionVersion: integer("session_version").notNull().default(1),
});

export const roles = sqliteTable("roles", {
	key: text("key").primaryKey(),
	name: text("name").notNull(),
	createdAt: integer("created_at").notNull(),
});

export const memberships = sqliteTable(
	"memberships",
	{
		roleKey: text("role_key")
			.notNull()
			.references(() => roles.key),
		userId: text("user_id")
			.notNull()
			.references(() => users.id),
		joinedAt: integer("joined_at").notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.roleKey, t.userId] }),
		index("memberships_user_idx").on(t.userId),
	],
);
