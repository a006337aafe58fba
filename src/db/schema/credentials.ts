// Credentials other than passwords: API tokens (only their SHA-256 is stored), the failed sign-in
// counters that slow and then refuse guessing, and the sessions ended by sign-out before they expire.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./people.ts";

export const apiTokens = sqliteTable(
	"api_tokens",
	{
		/** The public part of the token, also its key: `baton_<id>_<secret>`. */
		id: text("id").primaryKey(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id),
		name: text("name").notNull(),
		/** SHA-256 of the secret part, hex. The secret itself is shown once and never stored. */
		secretHash: text("secret_hash").notNull(),
		/** JSON array of scopes, e.g. ["read","tasks:write"]. */
		scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
		createdAt: integer("created_at").notNull(),
		expiresAt: integer("expires_at"),
		lastUsedAt: integer("last_used_at"),
		revokedAt: integer("revoked_at"),
	},
	(t) => [index("api_tokens_user_idx").on(t.userId)],
);

export const signInFailures = sqliteTable("sign_in_failures", {
	/** "account:<email>" or "client:<ip>". */
	key: text("key").primaryKey(),
	failures: integer("failures").notNull(),
	lastFailedAt: integer("last_failed_at").notNull(),
	/** No attempt for this key is checked before this time (epoch ms). */
	blockedUntil: integer("blocked_until").notNull(),
});

export const revokedSessions = sqliteTable(
	"revoked_sessions",
	{
		/** The session id (the JWT's jti), stable across sliding renewals. */
		sessionId: text("session_id").primaryKey(),
		/** When the session could no longer be renewed anyway; the row can go after that. */
		expiresAt: integer("expires_at").notNull(),
	},
	(t) => [index("revoked_sessions_expiry_idx").on(t.expiresAt)],
);
