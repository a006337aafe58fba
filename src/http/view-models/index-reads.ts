// The pages' reads of the D1 index (the projection of the ProcessObjects): the inbox, the process
// list, display names. Who may see what is decided in src/auth/permissions.ts; these queries apply
// the same rules in SQL so a list never shows what the object-level check would hide.
import {
	and,
	asc,
	count,
	desc,
	eq,
	gte,
	inArray,
	isNotNull,
	isNull,
	lte,
	or,
	type SQL,
	sql,
} from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { CurrentUser } from "../../auth/current-user.ts";
import { canSeeAllProcesses } from "../../auth/permissions.ts";
import { processes, roles, tasks, users, workflows } from "../../db/schema/index.ts";

export const ACTIVE_STATUSES = ["PENDING", "STARTED", "RETRY"] as const;
export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];

export interface InboxFilter {
	workflow?: string;
	role?: string;
	status?: ActiveStatus;
	q?: string;
}

export interface InboxRow {
	id: string;
	processId: string;
	processName: string | null;
	workflowKey: string;
	workflowName: string | null;
	nodeName: string;
	taskType: string;
	status: string;
	role: string | null;
	assignee: string | null;
	assigneeName: string | null;
	priority: number;
	progress: number;
	attempt: number;
	awaitingInput: boolean;
	incident: string | null;
	createdAt: number;
}

/** At most this many tasks in one inbox; the filters narrow it down. */
export const INBOX_LIMIT = 200;

/**
 * A search over `columns`: true when one of them contains `q`, ASCII letters in either case (as
 * LIKE did). instr() rather than LIKE: D1 refuses a LIKE pattern over 50 bytes, which 25 × "é" or 13
 * emoji already reach, and instr() takes every character, % and _ included, literally.
 */
function containsAny(q: string, ...columns: SQL[]): SQL {
	return or(...columns.map((c) => sql`instr(lower(${c}), lower(${q})) > 0`)) as SQL;
}

/**
 * The user's work (canSeeTask without grants): active tasks of their roles, tasks without a role
 * assigned to them and, for admins, every task with an open incident. Highest priority (0) first,
 * then oldest first.
 */
export async function readInbox(
	db: D1Database,
	user: Pick<CurrentUser, "id" | "roles" | "isAdmin">,
	filter: InboxFilter,
): Promise<InboxRow[]> {
	const own = or(
		and(isNull(tasks.role), eq(tasks.assignee, user.id)),
		user.roles.length > 0 ? inArray(tasks.role, [...user.roles]) : undefined,
		user.isAdmin ? isNotNull(tasks.incident) : undefined,
	);
	const where = and(
		inArray(tasks.status, filter.status ? [filter.status] : [...ACTIVE_STATUSES]),
		own,
		filter.workflow ? eq(tasks.workflowKey, filter.workflow) : undefined,
		filter.role ? eq(tasks.role, filter.role) : undefined,
		filter.q
			? containsAny(
					filter.q,
					sql`${tasks.nodeName}`,
					sql`${processes.name}`,
					sql`${workflows.name}`,
				)
			: undefined,
	);
	const rows = await drizzle(db)
		.select({
			id: tasks.id,
			processId: tasks.processId,
			processName: processes.name,
			workflowKey: tasks.workflowKey,
			workflowName: workflows.name,
			nodeName: tasks.nodeName,
			taskType: tasks.taskType,
			status: tasks.status,
			role: tasks.role,
			assignee: tasks.assignee,
			assigneeName: users.displayName,
			priority: tasks.priority,
			progress: tasks.progress,
			attempt: tasks.attempt,
			awaitingInput: tasks.awaitingInput,
			incident: tasks.incident,
			createdAt: tasks.createdAt,
		})
		.from(tasks)
		.innerJoin(processes, eq(processes.id, tasks.processId))
		.leftJoin(workflows, eq(workflows.key, tasks.workflowKey))
		.leftJoin(users, eq(users.id, tasks.assignee))
		.where(where)
		.orderBy(asc(tasks.priority), asc(tasks.createdAt), asc(tasks.id))
		.limit(INBOX_LIMIT);
	return rows;
}

/**
 * The next task waiting for this user's input, after they finished `exceptTaskId`: one in the same
 * process first, then the rest of their inbox; tasks assigned to them before queued ones.
 */
export async function findNextTask(
	db: D1Database,
	user: Pick<CurrentUser, "id" | "roles" | "isAdmin">,
	processId: string,
	exceptTaskId: string,
): Promise<string | undefined> {
	const rows = await readInbox(db, { ...user, isAdmin: false }, { status: "PENDING" });
	const open = rows.filter(
		(r) =>
			r.id !== exceptTaskId && r.awaitingInput && (r.assignee === user.id || r.assignee === null),
	);
	const rank = (r: InboxRow) =>
		(r.processId === processId ? 0 : 2) + (r.assignee === user.id ? 0 : 1);
	open.sort((a, b) => rank(a) - rank(b));
	return open[0]?.id;
}

export interface ProcessFilter {
	workflow?: string;
	status?: string;
	/** Started on or after this day (YYYY-MM-DD, UTC). */
	from?: string;
	/** Started on or before this day (YYYY-MM-DD, UTC). */
	to?: string;
	q?: string;
	page: number;
}

export interface ProcessRowView {
	id: string;
	name: string | null;
	workflowKey: string;
	workflowName: string | null;
	workflowVersion: number;
	status: string;
	priority: number;
	progress: number;
	stuck: boolean;
	openIncidents: number;
	activeTasks: number;
	startedBy: string | null;
	startedByName: string | null;
	parentProcessId: string | null;
	createdAt: number;
	startedAt: number | null;
	endedAt: number | null;
}

export const PAGE_SIZE = 25;

function dayStart(day: string): number | undefined {
	const t = Date.parse(`${day}T00:00:00Z`);
	return Number.isNaN(t) ? undefined : t;
}

/** The processes this user may see (canSeeProcess in SQL), newest first, one page of them. */
export async function readProcesses(
	db: D1Database,
	user: CurrentUser,
	filter: ProcessFilter,
): Promise<{ rows: ProcessRowView[]; total: number }> {
	const d = drizzle(db);
	const startedAt = sql`coalesce(${processes.startedAt}, ${processes.createdAt})`;
	const from = filter.from ? dayStart(filter.from) : undefined;
	const toStart = filter.to ? dayStart(filter.to) : undefined;
	const where = and(
		visibleProcesses(user),
		filter.workflow ? eq(processes.workflowKey, filter.workflow) : undefined,
		filter.status ? eq(processes.status, filter.status) : undefined,
		from !== undefined ? gte(startedAt, from) : undefined,
		toStart !== undefined ? lte(startedAt, toStart + 86_400_000 - 1) : undefined,
		filter.q
			? containsAny(filter.q, sql`${processes.name}`, sql`${processes.id}`, sql`${workflows.name}`)
			: undefined,
	);
	const [rows, totals] = await Promise.all([
		d
			.select({
				id: processes.id,
				name: processes.name,
				workflowKey: processes.workflowKey,
				workflowName: workflows.name,
				workflowVersion: processes.workflowVersion,
				status: processes.status,
				priority: processes.priority,
				progress: processes.progress,
				stuck: processes.stuck,
				openIncidents: processes.openIncidents,
				activeTasks: processes.activeTasks,
				startedBy: processes.startedBy,
				startedByName: users.displayName,
				parentProcessId: processes.parentProcessId,
				createdAt: processes.createdAt,
				startedAt: processes.startedAt,
				endedAt: processes.endedAt,
			})
			.from(processes)
			.leftJoin(workflows, eq(workflows.key, processes.workflowKey))
			.leftJoin(users, eq(users.id, processes.startedBy))
			.where(where)
			.orderBy(desc(processes.createdAt), desc(processes.id))
			.limit(PAGE_SIZE)
			.offset((Math.max(1, filter.page) - 1) * PAGE_SIZE),
		d
			.select({ n: count() })
			.from(processes)
			.leftJoin(workflows, eq(workflows.key, processes.workflowKey))
			.where(where),
	]);
	return { rows, total: totals[0]?.n ?? 0 };
}

function visibleProcesses(user: CurrentUser): SQL | undefined {
	if (canSeeAllProcesses(user)) return undefined;
	const seeAll = user.grants.filter((g) => g.permission === "process.see_all").map((g) => g.scope);
	const ownTask = or(
		and(isNull(tasks.role), eq(tasks.assignee, user.id)),
		user.roles.length > 0 ? inArray(tasks.role, [...user.roles]) : undefined,
	);
	return or(
		eq(processes.startedBy, user.id),
		seeAll.length > 0 ? inArray(processes.workflowKey, seeAll) : undefined,
		sql`exists (select 1 from ${tasks} where ${tasks.processId} = ${processes.id} and ${ownTask})`,
	);
}

/** Display names of users by id; ids without a user are left out. */
export async function userNames(
	db: D1Database,
	ids: Iterable<string>,
): Promise<Map<string, string>> {
	const list = [...new Set(ids)].filter(Boolean).slice(0, 90);
	if (list.length === 0) return new Map();
	const rows = await drizzle(db)
		.select({ id: users.id, name: users.displayName })
		.from(users)
		.where(inArray(users.id, list));
	return new Map(rows.map((r) => [r.id, r.name]));
}

/** Role names by key. */
export async function roleNames(db: D1Database): Promise<Map<string, string>> {
	const rows = await drizzle(db).select({ key: roles.key, name: roles.name }).from(roles);
	return new Map(rows.map((r) => [r.key, r.name]));
}

/** Workflow names by key (for filters and labels). */
export async function workflowNames(db: D1Database): Promise<{ key: string; name: string }[]> {
	return drizzle(db)
		.select({ key: workflows.key, name: workflows.name })
		.from(workflows)
		.orderBy(asc(workflows.name));
}
