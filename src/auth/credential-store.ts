// D1 storage of the credentials that are not passwords: API tokens (hashed), the sign-in attempt
// counters of throttle.ts, and the sessions ended by sign-out. Statements are single and atomic;
// D1 has no interactive transactions (https://developers.cloudflare.com/d1/worker-api/d1-database/).
import { and, desc, eq, isNull, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { auditInsert, recordAudit } from "../db/audit.ts";
import { apiTokens, revokedSessions } from "../db/schema/index.ts";
import { type ApiScope, generateApiToken, hashSecret, parseApiToken } from "./api-tokens.ts";
import { constantTimeEqual } from "./password.ts";
import { blockCaseSql, type ThrottlePolicy } from "./throttle.ts";

// ---------------------------------------------------------------------------------------------
// API tokens

export interface ApiTokenView {
	id: string;
	name: string;
	scopes: ApiScope[];
	createdAt: number;
	expiresAt: number | null;
	lastUsedAt: number | null;
	revokedAt: number | null;
}

/** A token is written to last_used_at at most this often, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Creates a token for its user; the returned `token` is the only time the secret exists. */
export async function createApiToken(
	db: D1Database,
	input: {
		userId: string;
		name: string;
		scopes: ApiScope[];
		expiresAt: number | null;
		now: number;
	},
): Promise<{ token: string; view: ApiTokenView }> {
	const generated = await generateApiToken();
	const row = {
		id: generated.id,
		userId: input.userId,
		name: input.name,
		secretHash: generated.secretHash,
		scopes: input.scopes,
		createdAt: input.now,
		expiresAt: input.expiresAt,
		lastUsedAt: null,
		revokedAt: null,
	};
	const d = drizzle(db);
	await d.batch([
		d.insert(apiTokens).values(row),
		auditInsert(d, {
			actor: input.userId,
			action: "token.created",
			target: row.id,
			details: { name: row.name, scopes: row.scopes, expiresAt: row.expiresAt },
			at: input.now,
		}),
	]);
	const { secretHash: _, userId: __, ...view } = row;
	return { token: generated.token, view };
}

/** The user's tokens, newest first, with their last use; never the secret. */
export async function listApiTokens(db: D1Database, userId: string): Promise<ApiTokenView[]> {
	const rows = await drizzle(db)
		.select({
			id: apiTokens.id,
			name: apiTokens.name,
			scopes: apiTokens.scopes,
			createdAt: apiTokens.createdAt,
			expiresAt: apiTokens.expiresAt,
			lastUsedAt: apiTokens.lastUsedAt,
			revokedAt: apiTokens.revokedAt,
		})
		.from(apiTokens)
		.where(eq(apiTokens.userId, userId))
		.orderBy(desc(apiTokens.createdAt));
	return rows.map((r) => ({ ...r, scopes: r.scopes as ApiScope[] }));
}

/** Revokes one of the user's own tokens; false when there is no such live token of theirs. */
export async function revokeApiToken(
	db: D1Database,
	userId: string,
	tokenId: string,
	now: number,
): Promise<boolean> {
	const rows = await drizzle(db)
		.update(apiTokens)
		.set({ revokedAt: now })
		.where(
			and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)),
		)
		.returning({ id: apiTokens.id });
	// Recorded once the revocation took: a token already revoked (or not theirs) changes nothing.
	if (rows.length > 0) {
		await recordAudit(db, { actor: userId, action: "token.revoked", target: tokenId, at: now });
	}
	return rows.length > 0;
}

/**
 * The user and scopes behind a presented token, or null when it is malformed, unknown, revoked,
 * expired or does not match. Records the use (at most once a minute per token).
 */
export async function authenticateApiToken(
	db: D1Database,
	presented: string,
	now: number,
): Promise<{ tokenId: string; userId: string; scopes: ApiScope[] } | null> {
	const parsed = parseApiToken(presented);
	if (!parsed) return null;
	const orm = drizzle(db);
	const [row] = await orm.select().from(apiTokens).where(eq(apiTokens.id, parsed.id)).limit(1);
	if (!row || row.revokedAt !== null) return null;
	if (row.expiresAt !== null && row.expiresAt <= now) return null;
	const encoder = new TextEncoder();
	const matches = constantTimeEqual(
		encoder.encode(await hashSecret(parsed.secret)),
		encoder.encode(row.secretHash),
	);
	if (!matches) return null;
	if (row.lastUsedAt === null || now - row.lastUsedAt >= LAST_USED_RESOLUTION_MS) {
		await orm.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
	}
	return { tokenId: row.id, userId: row.userId, scopes: row.scopes as ApiScope[] };
}

// ---------------------------------------------------------------------------------------------
// Sign-in attempts

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Counts an attempt for `key` unless the key is blocked, in one atomic statement, so that parallel
 * guesses cannot all slip past a check made before any of them was counted.
 */
export async function countSignInAttempt(
	db: D1Database,
	key: string,
	policy: ThrottlePolicy,
	now: number,
): Promise<AttemptVerdict> {
	const fresh = `CASE WHEN last_failed_at <= ?2 - ?3 THEN 1 ELSE failures + 1 END`;
	const counted = await db
		.prepare(
			`INSERT INTO sign_in_failures (key, failures, last_failed_at, blocked_until)
			 VALUES (?1, 1, ?2, ?2 + ${blockCaseSql(policy, "1")})
			 ON CONFLICT(key) DO UPDATE SET
			   failures = ${fresh},
			   last_failed_at = ?2,
			   blocked_until = ?2 + ${blockCaseSql(policy, `(${fresh})`)}
			 WHERE blocked_until <= ?2
			 RETURNING failures`,
		)
		.bind(key, now, policy.windowMs)
		.first<{ failures: number }>();
	if (counted) return { allowed: true };
	const blocked = await signInBlockedFor(db, key, now);
	return blocked > 0 ? { allowed: false, retryAfterMs: blocked } : { allowed: true };
}

/** How many ms the key is still blocked for (0 when it is not). */
export async function signInBlockedFor(db: D1Database, key: string, now: number): Promise<number> {
	const row = await db
		.prepare("SELECT blocked_until FROM sign_in_failures WHERE key = ?1")
		.bind(key)
		.first<{ blocked_until: number }>();
	return row ? Math.max(0, row.blocked_until - now) : 0;
}

/** Forgets the attempts of a key (after a successful sign-in). */
export async function clearSignInAttempts(db: D1Database, key: string): Promise<void> {
	await db.prepare("DELETE FROM sign_in_failures WHERE key = ?1").bind(key).run();
}

// ---------------------------------------------------------------------------------------------
// Ended sessions

/** Puts a session on the deny list until it could not be renewed anyway; drops expired entries. */
export async function revokeSession(
	db: D1Database,
	sessionId: string,
	expiresAt: number,
	now: number,
): Promise<void> {
	const orm = drizzle(db);
	await orm.batch([
		orm.insert(revokedSessions).values({ sessionId, expiresAt }).onConflictDoNothing(),
		orm.delete(revokedSessions).where(lt(revokedSessions.expiresAt, now)),
	]);
}
