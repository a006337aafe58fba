// The reads of the process index behind the work pages and the API: the inbox, the next task after
// a submit, the process list, and the API's cursor pages of processes and tasks. Who may see what is
// decided in src/auth/permissions.ts; process-index-rules.ts applies the same rules in SQL.
import {
	and,
	asc,
	count,
	desc,
	eq,
	gt,
	gte,
	isNotNull,
	isNull,
	lt,
	lte,
	or,
	type SQL,
	sql,
} from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { CurrentUser } from "../auth/current-user.ts";
import { ACTIVE_TASK_STATUSES, type ActiveTaskStatus } from "../engine/index.ts";
import { type DueFilter, dueRange, type InboxSort } from "./process-index-due.ts";
import {
	activeTask,
	ownWork,
	type TaskScope,
	tasksInScope,
	tasksOfProcess,
	visibleProcesses,
} from "./process-index-rules.ts";
import { processes, tasks, users, workflows } from "./schema/index.ts";

/**
 * A search over `columns`: true when one of them contains `q`, ASCII letters in either case (as
 * LIKE did). instr() rather than LIKE: D1 refuses a LIKE pattern over 50 bytes, which 25 × "é" or 13
 * emoji already reach, and instr() takes every character, % and _ included, literally.
 */
function containsAny(q: string, ...columns: SQL[]): SQL {
	return or(...columns.map((c) => sql`instr(lower(${c}), lower(${q})) > 0`)) as SQL;
}

// ---------------------------------------------------------------------------------------------
// The inbox

export interface InboxFilter {
	workflow?: string;
	role?: string;
	status?: ActiveTaskStatus;
	q?: string;
	due?: DueFilter;
	sort?: InboxSort;
}

function dueCondition(due: DueFilter | undefined, now: number): SQL | undefined {
	if (!due) return undefined;
	const range = dueRange(due, now);
	const column = range.column === "due" ? tasks.dueAt : tasks.followUpAt;
	return and(
		range.from === undefined ? undefined : gte(column, range.from),
		lt(column, range.before),
	);
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
	dueAt: number | null;
	followUpAt: number | null;
}

/** At most this many tasks in one inbox; the filters narrow it down. */
export const INBOX_LIMIT = 200;

/**
 * The user's work (canSeeTask without grants): active tasks of their roles, tasks without a role
 * assigned to them and, for admins, every task with an open incident. Highest priority (0) first,
 * then oldest first; or first by the chosen order (due date: the soonest first and the tasks
 * without one last; age; workflow or process name), then so.
 * `now` is what the due filters measure from.
 */
export async function inboxRows(
	db: D1Database,
	user: Pick<CurrentUser, "id" | "roles" | "isAdmin">,
	filter: InboxFilter,
	now: number,
): Promise<InboxRow[]> {
	const where = and(
		filter.status ? eq(tasks.status, filter.status) : activeTask(),
		or(ownWork(user), user.isAdmin ? isNotNull(tasks.incident) : undefined),
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
		dueCondition(filter.due, now),
	);
	const byPriority = [asc(tasks.priority), asc(tasks.createdAt), asc(tasks.id)];
	const first: Record<InboxSort, SQL[]> = {
		priority: [],
		due: [sql`${tasks.dueAt} IS NULL`, asc(tasks.dueAt)],
		oldest: [asc(tasks.createdAt)],
		newest: [desc(tasks.createdAt)],
		workflow: [sql`lower(coalesce(${workflows.name}, ${tasks.workflowKey}))`],
		// Unnamed processes last, as the list shows them by id.
		process: [sql`${processes.name} IS NULL`, sql`lower(${processes.name})`, asc(tasks.processId)],
	};
	const order = [...first[filter.sort ?? "priority"], ...byPriority];
	return drizzle(db)
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
			dueAt: tasks.dueAt,
			followUpAt: tasks.followUpAt,
		})
		.from(tasks)
		.innerJoin(processes, eq(processes.id, tasks.processId))
		.leftJoin(workflows, eq(workflows.key, tasks.workflowKey))
		.leftJoin(users, eq(users.id, tasks.assignee))
		.where(where)
		.orderBy(...order)
		.limit(INBOX_LIMIT);
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
	// No due filter, so the time the filters measure from does not matter.
	const rows = await inboxRows(db, { ...user, isAdmin: false }, { status: "PENDING" }, 0);
	const open = rows.filter(
		(r) =>
			r.id !== exceptTaskId && r.awaitingInput && (r.assignee === user.id || r.assignee === null),
	);
	const rank = (r: InboxRow) =>
		(r.processId === processId ? 0 : 2) + (r.assignee === user.id ? 0 : 1);
	open.sort((a, b) => rank(a) - rank(b));
	return open[0]?.id;
}

// ---------------------------------------------------------------------------------------------
// The process list page

export interface ProcessFilter {
	workflow?: string;
	status?: string;
	/** Started on or after this day (YYYY-MM-DD, UTC). */
	from?: string;
	/** Started on or before this day (YYYY-MM-DD, UTC). */
	to?: string;
	q?: string;
	/** O1: only the suspended processes (true) or only those not suspended (false). */
	suspended?: boolean;
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
	suspendedAt: number | null;
}

export const PAGE_SIZE = 25;

function dayStart(day: string): number | undefined {
	const t = Date.parse(`${day}T00:00:00Z`);
	return Number.isNaN(t) ? undefined : t;
}

/** One page of the processes this user may see (canSeeProcess), newest first, and their total. */
/** The processes list's filter as SQL (the list's rows need `workflows` joined, for the search). */
function processListWhere(user: CurrentUser, filter: Omit<ProcessFilter, "page">) {
	const startedAt = sql`coalesce(${processes.startedAt}, ${processes.createdAt})`;
	const from = filter.from ? dayStart(filter.from) : undefined;
	const toStart = filter.to ? dayStart(filter.to) : undefined;
	return and(
		visibleProcesses(user),
		filter.workflow ? eq(processes.workflowKey, filter.workflow) : undefined,
		filter.status ? eq(processes.status, filter.status) : undefined,
		filter.suspended === undefined
			? undefined
			: filter.suspended
				? isNotNull(processes.suspendedAt)
				: isNull(processes.suspendedAt),
		from !== undefined ? gte(startedAt, from) : undefined,
		toStart !== undefined ? lte(startedAt, toStart + 86_400_000 - 1) : undefined,
		filter.q
			? containsAny(filter.q, sql`${processes.name}`, sql`${processes.id}`, sql`${workflows.name}`)
			: undefined,
	);
}

export async function processListPage(
	db: D1Database,
	user: CurrentUser,
	filter: ProcessFilter,
): Promise<{ rows: ProcessRowView[]; total: number }> {
	const d = drizzle(db);
	const where = processListWhere(user, filter);
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
				suspendedAt: processes.suspendedAt,
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

// ---------------------------------------------------------------------------------------------
// The API's lists: cursor pages in a stable order

/** A process row of the index, as stored. */
/**
 * The ids of the processes the list's filter selects (and `extra`, an action's own condition),
 * oldest first, at most `limit`; and how many there are in all.
 */
export async function processIdsMatching(
	db: D1Database,
	user: CurrentUser,
	filter: Omit<ProcessFilter, "page">,
	extra: SQL | undefined,
	limit: number,
): Promise<{ ids: string[]; total: number }> {
	const d = drizzle(db);
	const where = and(processListWhere(user, filter), extra);
	const [rows, totals] = await Promise.all([
		d
			.select({ id: processes.id })
			.from(processes)
			.leftJoin(workflows, eq(workflows.key, processes.workflowKey))
			.where(where)
			.orderBy(processes.createdAt, processes.id)
			.limit(limit),
		d
			.select({ n: count() })
			.from(processes)
			.leftJoin(workflows, eq(workflows.key, processes.workflowKey))
			.where(where),
	]);
	return { ids: rows.map((r) => r.id), total: totals[0]?.n ?? 0 };
}

export type IndexedProcess = typeof processes.$inferSelect;
/** A task row of the index, as stored. */
export type IndexedTask = typeof tasks.$inferSelect;

/** The sort key of the last item of the page before: its creation time and id. */
export interface After {
	at: number;
	id: string;
}

/** One page of a list, and whether more follow it. */
export interface ListPage<T> {
	items: T[];
	hasMore: boolean;
}

/**
 * The rows past the cursor in the list's order of (created at, id): below it when the list is
 * newest first, above it when oldest first.
 */
function pastCursor(
	table: { createdAt: SQLiteColumn; id: SQLiteColumn },
	after: After | undefined,
	newestFirst: boolean,
): SQL | undefined {
	if (!after) return undefined;
	const past = newestFirst ? lt : gt;
	return or(
		past(table.createdAt, after.at),
		and(eq(table.createdAt, after.at), past(table.id, after.id)),
	);
}

/** A page from `limit + 1` rows: the extra row only says that more follow. */
function pageOf<T>(rows: T[], limit: number): ListPage<T> {
	return { items: rows.slice(0, limit), hasMore: rows.length > limit };
}

export interface ProcessListFilters {
	status?: string;
	workflow?: string;
	/** A user id (or "hook:<trigger>" for webhook starts). */
	startedBy?: string;
	/** O1: only the suspended processes (true) or only those not suspended (false). */
	suspended?: boolean;
	after?: After;
	limit: number;
}

/** The processes this user may see (canSeeProcess), newest first, after the cursor. */
export async function listProcessesFor(
	db: D1Database,
	user: CurrentUser,
	filters: ProcessListFilters,
): Promise<ListPage<IndexedProcess>> {
	const rows = await drizzle(db)
		.select()
		.from(processes)
		.where(
			and(
				visibleProcesses(user),
				filters.status ? eq(processes.status, filters.status) : undefined,
				filters.workflow ? eq(processes.workflowKey, filters.workflow) : undefined,
				filters.startedBy ? eq(processes.startedBy, filters.startedBy) : undefined,
				filters.suspended === undefined
					? undefined
					: filters.suspended
						? isNotNull(processes.suspendedAt)
						: isNull(processes.suspendedAt),
				pastCursor(processes, filters.after, true),
			),
		)
		.orderBy(desc(processes.createdAt), desc(processes.id))
		.limit(filters.limit + 1);
	return pageOf(rows, filters.limit);
}

export interface TaskListFilters {
	/** One status, or "active" for PENDING, STARTED or RETRY. */
	status: string;
	workflow?: string;
	process?: string;
	after?: After;
	limit: number;
}

/**
 * The tasks of the scope (see tasksInScope) that this user may see, oldest first, after the
 * cursor.
 */
export async function listTasksFor(
	db: D1Database,
	user: CurrentUser,
	scope: TaskScope | undefined,
	filters: TaskListFilters,
): Promise<ListPage<IndexedTask>> {
	// One process's tasks are a range of the primary key (tasksOfProcess); the unary plus keeps
	// SQLite, which has no statistics to weigh them, from taking the status index instead.
	const status = filters.process ? sql`+${tasks.status}` : sql`${tasks.status}`;
	const rows = await drizzle(db)
		.select()
		.from(tasks)
		.where(
			and(
				tasksInScope(user, scope),
				filters.status === "active" ? activeTask(status) : eq(status, filters.status),
				filters.workflow ? eq(tasks.workflowKey, filters.workflow) : undefined,
				filters.process ? tasksOfProcess(filters.process) : undefined,
				pastCursor(tasks, filters.after, false),
			),
		)
		.orderBy(asc(tasks.createdAt), asc(tasks.id))
		.limit(filters.limit + 1);
	return pageOf(rows, filters.limit);
}

// ---------------------------------------------------------------------------------------------
// Lookups for the adapters: the workload of a role's members

/** The active statuses as an SQL list, for the queries written as SQL text. */
const ACTIVE_SQL_LIST = ACTIVE_TASK_STATUSES.map((s) => `'${s}'`).join(", ");

/**
 * The active members of a role, each with when they joined it and how many active tasks the index
 * assigns them (in any role), leaving out the tasks of `exceptProcessId`.
 */
export async function roleMemberWorkloads(
	db: D1Database,
	role: string,
	exceptProcessId: string | null,
): Promise<{ userId: string; joinedAt: number; active: number }[]> {
	const { results } = await db
		.prepare(
			`SELECT m.user_id AS userId, m.joined_at AS joinedAt,
			   (SELECT count(*) FROM tasks t
			    WHERE t.assignee = m.user_id AND t.status IN (${ACTIVE_SQL_LIST})
			      AND t.process_id IS NOT ?2) AS active
			 FROM memberships m JOIN users u ON u.id = m.user_id
			 WHERE m.role_key = ?1 AND u.active = 1`,
		)
		.bind(role, exceptProcessId)
		.all<{ userId: string; joinedAt: number; active: number }>();
	return results;
}
