// Object-level authorisation (DESIGN §5): may this user see or act on this task, this process, this
// workflow? Pure checks over the current user and the indexed rows; a route answers 404 when a
// "see" check fails, so that nobody learns what exists. The ProcessObject re-checks acts (T4).
import { isActiveTaskStatus } from "../engine/index.ts";
import { type CurrentUser, hasScope, type Permission } from "./current-user.ts";

/** The fields of a task index row the checks read. */
export interface TaskRef {
	role: string | null;
	assignee: string | null;
	status: string;
	workflowKey: string;
}

/** The fields of a process index row the checks read. */
export interface ProcessRef {
	workflowKey: string;
	startedBy: string | null;
}

/** Admin rights, unless the request comes with a token that lacks the `admin` scope. */
export function isAdmin(user: CurrentUser): boolean {
	return user.isAdmin && hasScope(user, "admin");
}

/** True when the user holds the permission for this workflow, directly or through a role. */
export function hasGrant(user: CurrentUser, permission: Permission, workflowKey: string): boolean {
	return user.grants.some(
		(g) => g.permission === permission && (g.scope === "*" || g.scope === workflowKey),
	);
}

/**
 * True when the task belongs to the user's work: their role's queue, or assigned to them without a
 * role. The same rule over the index in SQL: ownWork in src/db/process-index-rules.ts.
 */
export function isOwnWork(user: Pick<CurrentUser, "id" | "roles">, task: TaskRef): boolean {
	return task.role === null ? task.assignee === user.id : user.roles.includes(task.role);
}

/**
 * A user sees a task of one of their roles (assigned to them, to a colleague, or queued), a task
 * with no role assigned to them, and every task of workflows whose processes they may all see.
 * Admins see everything. Someone removed from the role no longer sees its tasks, even assigned ones.
 */
export function canSeeTask(user: CurrentUser, task: TaskRef): boolean {
	if (user.isAdmin) return true;
	return isOwnWork(user, task) || hasGrant(user, "process.see_all", task.workflowKey);
}

/**
 * A user acts on (fills in, submits) an active task that is assigned to them, or queued unassigned
 * for one of their roles, while still a member of that role. Admins act on any active task.
 */
export function canActOnTask(user: CurrentUser, task: TaskRef): boolean {
	if (!isActiveTaskStatus(task.status) || !hasScope(user, "tasks:write")) return false;
	if (isAdmin(user)) return true;
	if (!isOwnWork(user, task)) return false;
	return task.assignee === user.id || task.assignee === null;
}

/** A member of the task's role takes over an active task of the role's queue that is not theirs. */
export function canClaimTask(user: CurrentUser, task: TaskRef): boolean {
	if (!isActiveTaskStatus(task.status) || !hasScope(user, "tasks:write")) return false;
	return task.role !== null && user.roles.includes(task.role) && task.assignee !== user.id;
}

/** Only admins give a task to someone else. */
export function canReassignTask(user: CurrentUser, task: TaskRef): boolean {
	return isActiveTaskStatus(task.status) && isAdmin(user);
}

/** Starting a process of a workflow needs `workflow.start` on it (or on "*"); admins may always. */
export function canStartWorkflow(user: CurrentUser, workflowKey: string): boolean {
	if (!hasScope(user, "processes:write")) return false;
	return isAdmin(user) || hasGrant(user, "workflow.start", workflowKey);
}

/** Whether the user may start a process of some workflow (whether to offer "Start a process"). */
export function canStartAnyWorkflow(user: CurrentUser): boolean {
	if (!hasScope(user, "processes:write")) return false;
	return isAdmin(user) || user.grants.some((g) => g.permission === "workflow.start");
}

/** True when the user may list and open every process of the workflow (or of all, without a key). */
export function canSeeAllProcesses(user: CurrentUser, workflowKey = "*"): boolean {
	if (user.isAdmin) return true;
	return user.grants.some(
		(g) => g.permission === "process.see_all" && (g.scope === "*" || g.scope === workflowKey),
	);
}

/**
 * A user sees a process they started, one where they can see a task, and every process of a
 * workflow they hold `process.see_all` on. Admins see all. Pass the process's tasks from the index.
 */
export function canSeeProcess(
	user: CurrentUser,
	process: ProcessRef,
	tasks: readonly TaskRef[] = [],
): boolean {
	if (canSeeAllProcesses(user, process.workflowKey)) return true;
	if (process.startedBy === user.id) return true;
	return tasks.some((task) => isOwnWork(user, task));
}

/** Stopping a process: admins, whoever started it, and holders of `process.stop` on its workflow. */
export function canStopProcess(user: CurrentUser, process: ProcessRef): boolean {
	if (!hasScope(user, "processes:write")) return false;
	if (isAdmin(user)) return true;
	return process.startedBy === user.id || hasGrant(user, "process.stop", process.workflowKey);
}

/**
 * N2: publishing a message reaches any process that waits for its name and key, so only admins
 * publish: from a session, or with a token that carries `messages:publish` (a token never does more
 * than its user may; the scope lets an integration's token publish and nothing else).
 */
export function canPublishMessages(user: CurrentUser): boolean {
	return user.isAdmin && hasScope(user, "messages:publish");
}

/**
 * K1: an external task's worker reads the params of, and finishes, tasks of any process whose
 * workflow uses its types, so only admins serve them: from a session, or with a token carrying
 * `external-tasks` (which serves only the task types named on it).
 */
export function canServeExternalTasks(user: CurrentUser): boolean {
	return user.isAdmin && hasScope(user, "external-tasks");
}

/** The external task types the user may serve: a token's named types, or any (null) otherwise. */
export function servedTaskTypes(user: CurrentUser): readonly string[] | null {
	return user.via === "api-token" ? (user.externalTaskTypes ?? []) : null;
}

/** Definitions, roles, users, grants and webhooks are managed by admins only. */
export function canManage(user: CurrentUser): boolean {
	return isAdmin(user);
}
