// The people repository: users, roles, memberships and permission grants in D1, the current user as
// the middleware loads it on every request, and the pick of an assignee for a new task (T3).
// Passwords are hashed in src/auth/password.ts; what a grant allows is decided in src/auth/permissions.ts.
import { and, asc, count, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import type { Grant, Permission } from "../auth/current-user.ts";
import { hashPassword, type PasswordHash } from "../auth/password.ts";
import { pickAssignee } from "../engine/index.ts";
import { auditInsert, type NewAuditEntry } from "./audit.ts";
import { roleMemberWorkloads } from "./process-index.ts";
import { apiTokens, memberships, permissionGrants, roles, users } from "./schema/index.ts";

export type UserRow = typeof users.$inferSelect;
export type RoleRow = typeof roles.$inferSelect;

type Orm = ReturnType<typeof drizzle>;

/**
 * An admin's change and its audit entry in one D1 batch (one transaction), so neither lands alone;
 * without `audit` (seeds, sign-up, the user's own changes) just the change.
 */
async function audited(
	d: Orm,
	writes: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]],
	audit: NewAuditEntry | undefined,
): Promise<void> {
	if (audit) await d.batch([...writes, auditInsert(d, audit)]);
	else if (writes.length === 1) await writes[0];
	else await d.batch(writes);
}

/** The audit entry of a change to a user, when an admin (`by`) made it. */
function byAdmin(
	by: string | undefined,
	action: string,
	target: string,
	details?: unknown,
): NewAuditEntry | undefined {
	return by
		? { actor: by, action, target, ...(details === undefined ? {} : { details }) }
		: undefined;
}

/** Emails are compared trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

export interface NewUser {
	id?: string;
	email: string;
	displayName: string;
	/** Omit for a user who signs in through Cloudflare Access only. */
	password?: string;
	isAdmin?: boolean;
	active?: boolean;
	now: number;
}

/** Creates a user; the email must not be taken. */
export async function createUser(db: D1Database, input: NewUser, by?: string): Promise<UserRow> {
	const hash = input.password === undefined ? null : await hashPassword(input.password);
	const row: UserRow = {
		id: input.id ?? crypto.randomUUID(),
		email: normalizeEmail(input.email),
		displayName: input.displayName,
		active: input.active ?? true,
		createdAt: input.now,
		isAdmin: input.isAdmin ?? false,
		passwordHash: hash?.hash ?? null,
		passwordSalt: hash?.salt ?? null,
		passwordIterations: hash?.iterations ?? null,
		sessionVersion: 1,
	};
	const d = drizzle(db);
	await audited(
		d,
		[d.insert(users).values(row)],
		byAdmin(by, "user.created", row.id, { email: row.email, isAdmin: row.isAdmin }),
	);
	return row;
}

export async function findUserByEmail(db: D1Database, email: string): Promise<UserRow | undefined> {
	const [row] = await drizzle(db)
		.select()
		.from(users)
		.where(eq(users.email, normalizeEmail(email)))
		.limit(1);
	return row;
}

export async function findUserById(db: D1Database, id: string): Promise<UserRow | undefined> {
	const [row] = await drizzle(db).select().from(users).where(eq(users.id, id)).limit(1);
	return row;
}

export async function listUsers(db: D1Database): Promise<UserRow[]> {
	return drizzle(db).select().from(users).orderBy(asc(users.displayName));
}

/** The stored password hash, or null for a user without a password. */
export function passwordOf(user: UserRow): PasswordHash | null {
	if (!user.passwordHash || !user.passwordSalt || !user.passwordIterations) return null;
	return { hash: user.passwordHash, salt: user.passwordSalt, iterations: user.passwordIterations };
}

const bumpVersion = sql`${users.sessionVersion} + 1`;

/**
 * Activates or deactivates a user. Deactivation also ends their sessions at once; their tokens and
 * Access sign-ins stop on the next request because the middleware re-reads `active`.
 */
/**
 * Activates or deactivates a user. Deactivating ends every session (the session version) and
 * revokes every API token of the user for good, in one batch: reactivating them later brings
 * neither back, so a copy of an old token kept somewhere stays useless.
 */
export async function setUserActive(
	db: D1Database,
	userId: string,
	active: boolean,
	now: number = Date.now(),
	by?: string,
): Promise<void> {
	const orm = drizzle(db);
	const audit = byAdmin(by, active ? "user.activated" : "user.deactivated", userId);
	if (active) {
		await audited(orm, [orm.update(users).set({ active }).where(eq(users.id, userId))], audit);
		return;
	}
	await audited(
		orm,
		[
			orm.update(users).set({ active, sessionVersion: bumpVersion }).where(eq(users.id, userId)),
			orm
				.update(apiTokens)
				.set({ revokedAt: now })
				.where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt))),
		],
		audit,
	);
}

/** Sets a new password and ends every session of the user. */
export async function setPassword(
	db: D1Database,
	userId: string,
	password: string,
	by?: string,
): Promise<void> {
	const hash = await hashPassword(password);
	const d = drizzle(db);
	await audited(
		d,
		[
			d
				.update(users)
				.set({
					passwordHash: hash.hash,
					passwordSalt: hash.salt,
					passwordIterations: hash.iterations,
					sessionVersion: bumpVersion,
				})
				.where(eq(users.id, userId)),
		],
		byAdmin(by, "user.password_set", userId),
	);
}

export async function setAdmin(
	db: D1Database,
	userId: string,
	isAdmin: boolean,
	by?: string,
): Promise<void> {
	const d = drizzle(db);
	await audited(
		d,
		[d.update(users).set({ isAdmin }).where(eq(users.id, userId))],
		byAdmin(by, "user.admin_set", userId, { isAdmin }),
	);
}

export async function updateDisplayName(
	db: D1Database,
	userId: string,
	displayName: string,
	by?: string,
): Promise<void> {
	const d = drizzle(db);
	await audited(
		d,
		[d.update(users).set({ displayName }).where(eq(users.id, userId))],
		byAdmin(by, "user.renamed", userId, { displayName }),
	);
}

/** Ends every session of the user ("sign out everywhere"). */
export async function endAllSessions(db: D1Database, userId: string, by?: string): Promise<void> {
	const d = drizzle(db);
	await audited(
		d,
		[d.update(users).set({ sessionVersion: bumpVersion }).where(eq(users.id, userId))],
		byAdmin(by, "user.signed_out", userId),
	);
}

/** At most this many ids in one query: D1 binds at most 100 parameters. */
const IDS_PER_QUERY = 90;

/** Display names of users by id (for assignees and "started by"); ids without a user are left out. */
export async function userNames(
	db: D1Database,
	ids: Iterable<string>,
): Promise<Map<string, string>> {
	const list = [...new Set(ids)].filter(Boolean);
	const chunks: string[][] = [];
	for (let i = 0; i < list.length; i += IDS_PER_QUERY)
		chunks.push(list.slice(i, i + IDS_PER_QUERY));
	const rows = await Promise.all(
		chunks.map((chunk) =>
			drizzle(db)
				.select({ id: users.id, name: users.displayName })
				.from(users)
				.where(inArray(users.id, chunk)),
		),
	);
	return new Map(rows.flat().map((r) => [r.id, r.name]));
}

/** How many users there are, how many of them active, and how many roles. */
export async function peopleCounts(
	db: D1Database,
): Promise<{ users: number; activeUsers: number; roles: number }> {
	const d = drizzle(db);
	const [people, roleCount] = await d.batch([
		d
			.select({
				total: count(),
				active: sql<number>`sum(case when ${users.active} = 1 then 1 else 0 end)`,
			})
			.from(users),
		d.select({ n: count() }).from(roles),
	]);
	return {
		users: people[0]?.total ?? 0,
		activeUsers: Number(people[0]?.active ?? 0),
		roles: roleCount[0]?.n ?? 0,
	};
}

// ---------------------------------------------------------------------------------------------
// Roles and memberships

type NewRole = { key: string; name: string; now: number };

function insertRole(db: D1Database, role: NewRole) {
	return drizzle(db).insert(roles).values({ key: role.key, name: role.name, createdAt: role.now });
}

/** Creates the role, or renames it when the key exists (keys are stable, names may change). */
export async function upsertRole(db: D1Database, role: NewRole, by?: string): Promise<void> {
	await audited(
		drizzle(db),
		[insertRole(db, role).onConflictDoUpdate({ target: roles.key, set: { name: role.name } })],
		byAdmin(by, "role.saved", role.key, { name: role.name }),
	);
}

/** Creates the role unless its key exists (then nothing changes). */
export async function addRole(db: D1Database, role: NewRole, by?: string): Promise<void> {
	await audited(
		drizzle(db),
		[insertRole(db, role).onConflictDoNothing()],
		byAdmin(by, "role.created", role.key, { name: role.name }),
	);
}

export async function listRoles(db: D1Database): Promise<RoleRow[]> {
	return drizzle(db).select().from(roles).orderBy(asc(roles.name));
}

/** Role names by key. */
export async function roleNames(db: D1Database): Promise<Map<string, string>> {
	const rows = await drizzle(db).select({ key: roles.key, name: roles.name }).from(roles);
	return new Map(rows.map((r) => [r.key, r.name]));
}

/** Adds the user to the role; a member already in it keeps their original joining time. */
export async function addMember(
	db: D1Database,
	roleKey: string,
	userId: string,
	now: number,
	by?: string,
): Promise<void> {
	const d = drizzle(db);
	await audited(
		d,
		[d.insert(memberships).values({ roleKey, userId, joinedAt: now }).onConflictDoNothing()],
		byAdmin(by, "role.member_added", roleKey, { userId }),
	);
}

/** Removes the user from the role; from their next request they no longer see its tasks. */
export async function removeMember(
	db: D1Database,
	roleKey: string,
	userId: string,
	by?: string,
): Promise<void> {
	const d = drizzle(db);
	await audited(
		d,
		[
			d
				.delete(memberships)
				.where(and(eq(memberships.roleKey, roleKey), eq(memberships.userId, userId))),
		],
		byAdmin(by, "role.member_removed", roleKey, { userId }),
	);
}

export interface MemberView {
	userId: string;
	email: string;
	displayName: string;
	active: boolean;
	joinedAt: number;
}

/** The members of a role, earliest first. */
export async function listMembers(db: D1Database, roleKey: string): Promise<MemberView[]> {
	return drizzle(db)
		.select({
			userId: users.id,
			email: users.email,
			displayName: users.displayName,
			active: users.active,
			joinedAt: memberships.joinedAt,
		})
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(eq(memberships.roleKey, roleKey))
		.orderBy(asc(memberships.joinedAt), asc(users.id));
}

/** The role, or undefined. */
export async function findRole(db: D1Database, key: string): Promise<RoleRow | undefined> {
	const [row] = await drizzle(db).select().from(roles).where(eq(roles.key, key)).limit(1);
	return row;
}

/** Every membership: who is in which role. */
export async function listMemberships(db: D1Database): Promise<{ userId: string; role: string }[]> {
	return drizzle(db)
		.select({ userId: memberships.userId, role: memberships.roleKey })
		.from(memberships);
}

/** The roles of a user, with when they joined each. */
export async function membershipsOf(
	db: D1Database,
	userId: string,
): Promise<{ key: string; joinedAt: number }[]> {
	return drizzle(db)
		.select({ key: memberships.roleKey, joinedAt: memberships.joinedAt })
		.from(memberships)
		.where(eq(memberships.userId, userId));
}

/** Members per role key, and how many of them are active (roles without members are absent). */
export async function memberCountsByRole(
	db: D1Database,
): Promise<Map<string, { members: number; active: number }>> {
	const rows = await drizzle(db)
		.select({
			role: memberships.roleKey,
			n: count(),
			active: sql<number>`sum(case when ${users.active} = 1 then 1 else 0 end)`,
		})
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.groupBy(memberships.roleKey);
	return new Map(rows.map((r) => [r.role, { members: r.n, active: Number(r.active ?? 0) }]));
}

/** Active members per role key (roles with none are absent). */
export async function activeMembersByRole(db: D1Database): Promise<Map<string, number>> {
	const rows = await drizzle(db)
		.select({ role: memberships.roleKey, n: count() })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(eq(users.active, true))
		.groupBy(memberships.roleKey);
	return new Map(rows.map((r) => [r.role, r.n]));
}

// ---------------------------------------------------------------------------------------------
// Permission grants

export interface GrantInput {
	subjectKind: "user" | "role";
	subjectId: string;
	permission: Permission;
	/** A workflow key, or "*" for every workflow. */
	scope: string;
}

export async function grantPermission(
	db: D1Database,
	grant: GrantInput & { grantedBy?: string | null; now: number },
): Promise<void> {
	const d = drizzle(db);
	const { subjectKind, subjectId, permission, scope } = grant;
	await audited(
		d,
		[
			d
				.insert(permissionGrants)
				.values({
					subjectKind,
					subjectId,
					permission,
					scope,
					grantedAt: grant.now,
					grantedBy: grant.grantedBy ?? null,
				})
				.onConflictDoNothing(),
		],
		byAdmin(grant.grantedBy ?? undefined, "grant.added", `${subjectKind}:${subjectId}`, {
			permission,
			scope,
		}),
	);
}

export async function revokePermission(
	db: D1Database,
	grant: GrantInput,
	by?: string,
): Promise<void> {
	const d = drizzle(db);
	const { subjectKind, subjectId, permission, scope } = grant;
	await audited(
		d,
		[
			d
				.delete(permissionGrants)
				.where(
					and(
						eq(permissionGrants.subjectKind, subjectKind),
						eq(permissionGrants.subjectId, subjectId),
						eq(permissionGrants.permission, permission),
						eq(permissionGrants.scope, scope),
					),
				),
		],
		byAdmin(by, "grant.removed", `${subjectKind}:${subjectId}`, { permission, scope }),
	);
}

/** Every grant, for the admin pages. */
export async function listGrants(
	db: D1Database,
): Promise<(typeof permissionGrants.$inferSelect)[]> {
	return drizzle(db).select().from(permissionGrants);
}

/** The grants given directly to one user or role. */
export async function grantsOf(
	db: D1Database,
	subjectKind: "user" | "role",
	subjectId: string,
): Promise<(typeof permissionGrants.$inferSelect)[]> {
	return drizzle(db)
		.select()
		.from(permissionGrants)
		.where(
			and(eq(permissionGrants.subjectKind, subjectKind), eq(permissionGrants.subjectId, subjectId)),
		);
}

/** The grants on one workflow: on its own key and on "*". */
export async function grantsOnWorkflow(
	db: D1Database,
	workflowKey: string,
): Promise<(typeof permissionGrants.$inferSelect)[]> {
	return drizzle(db)
		.select()
		.from(permissionGrants)
		.where(or(eq(permissionGrants.scope, workflowKey), eq(permissionGrants.scope, "*")));
}

// ---------------------------------------------------------------------------------------------
// The current user, re-read on every request

export interface LoadedUser {
	user: UserRow;
	roles: string[];
	grants: Grant[];
	/** True when this session id is on the deny list (signed out). */
	sessionRevoked: boolean;
}

/**
 * The user with their roles and grants (direct and through roles), in one round trip to D1; and
 * whether the given session was signed out. Undefined when there is no such user.
 */
export async function loadUser(
	db: D1Database,
	by: { id: string } | { email: string },
	sessionId?: string,
): Promise<LoadedUser | undefined> {
	const userKey = "id" in by ? "id = ?1" : "email = ?1";
	const subject = "id" in by ? by.id : normalizeEmail(by.email);
	const [userResult, roleResult, grantResult, revokedResult] = await db.batch([
		db.prepare(`SELECT * FROM users u WHERE u.${userKey}`).bind(subject),
		db
			.prepare(
				`SELECT m.role_key AS key FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.${userKey}`,
			)
			.bind(subject),
		db
			.prepare(
				`SELECT DISTINCT g.permission, g.scope FROM permission_grants g, users u
				 WHERE u.${userKey} AND (
				   (g.subject_kind = 'user' AND g.subject_id = u.id) OR
				   (g.subject_kind = 'role' AND g.subject_id IN (SELECT role_key FROM memberships WHERE user_id = u.id)))`,
			)
			.bind(subject),
		db
			.prepare("SELECT 1 AS revoked FROM revoked_sessions WHERE session_id = ?1")
			.bind(sessionId ?? ""),
	]);
	const raw = userResult?.results[0] as Record<string, unknown> | undefined;
	if (!raw) return undefined;
	const roleRows = (roleResult?.results ?? []) as { key: string }[];
	return {
		user: userFromRaw(raw),
		roles: roleRows.map((r) => r.key),
		grants: (grantResult?.results ?? []) as unknown as Grant[],
		sessionRevoked: (revokedResult?.results.length ?? 0) > 0,
	};
}

function userFromRaw(raw: Record<string, unknown>): UserRow {
	return {
		id: raw.id as string,
		email: raw.email as string,
		displayName: raw.display_name as string,
		active: Boolean(raw.active),
		createdAt: raw.created_at as number,
		isAdmin: Boolean(raw.is_admin),
		passwordHash: (raw.password_hash as string | null) ?? null,
		passwordSalt: (raw.password_salt as string | null) ?? null,
		passwordIterations: (raw.password_iterations as number | null) ?? null,
		sessionVersion: raw.session_version as number,
	};
}

// ---------------------------------------------------------------------------------------------
// Assignment (SEMANTICS T3)

/**
 * The user a new task of `role` goes to: among the role's active members, the one with the fewest
 * active tasks (PENDING, STARTED or RETRY, in any role), ties to the earliest member. Null when the
 * role has no active member: the ProcessObject then leaves the task unassigned and raises an
 * incident. Called by the ProcessObject when a task is created. The index lags behind the asking
 * process by a few milliseconds, so that process's own tasks are counted from its state
 * (`own.counts`) and left out of the index count.
 */
export async function pickAssigneeForRole(
	db: D1Database,
	role: string,
	own?: { processId: string; counts: Record<string, number> },
): Promise<string | null> {
	const results = await roleMemberWorkloads(db, role, own?.processId ?? null);
	const counts: Record<string, number> = {};
	for (const row of results) counts[row.userId] = row.active + (own?.counts[row.userId] ?? 0);
	return pickAssignee(results, counts);
}
