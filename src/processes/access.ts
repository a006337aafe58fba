// Who may see a process or a task, decided on the ProcessObject: the truth of one process, where the
// D1 index may lag (docs/decisions/0001). Pages, the API and every act go through here. What the
// viewer may not see answers not_found, exactly like what does not exist: no hint either way. A
// process retention removed answers 410 with when and why (its id is unguessable, and the answer
// names neither its workflow nor anything it held).
import type { CurrentUser } from "../auth/current-user.ts";
import { canSeeProcess, canSeeTask, type TaskRef } from "../auth/permissions.ts";
import { removedProcess } from "../db/retention.ts";
import { processStub } from "../durable/process-client.ts";
import type { ProcessView } from "../durable/process-view.ts";
import { EngineError, processIdOfTask, type TaskState } from "../engine/index.ts";
import { AppError } from "../errors.ts";

const notFound = (what: "process" | "task") =>
	new EngineError(
		"not_found",
		what === "process" ? "There is no such process." : "There is no such task.",
	);

/** Ids too long or malformed never reach a Durable Object. Child ids hold "/" (`p-…/t1/p1`). */
export function isPlausibleId(id: string): boolean {
	return id.length > 0 && id.length <= 200 && /^p-[A-Za-z0-9/_-]+$/.test(id);
}

/** What the permission checks read of a task, from the ProcessObject's view. */
export function taskRef(view: ProcessView, task: TaskState): TaskRef {
	return {
		role: task.role ?? null,
		assignee: task.assignee ?? null,
		status: task.status,
		workflowKey: view.state.workflow.key,
	};
}

/**
 * Retention (issue #16): a process that is not there may have been removed; its tombstone says when
 * and why, as a 410. Read only when the object is empty, so a live process costs no D1 read.
 */
async function goneOrNotFound(
	env: Env,
	processId: string,
	what: "process" | "task",
): Promise<EngineError | AppError> {
	const tombstone = await removedProcess(env.DB, processId);
	if (!tombstone) return notFound(what);
	const when = new Date(tombstone.removedAt)
		.toISOString()
		.replace(/\.\d{3}Z$/, " UTC")
		.replace("T", " ");
	return new AppError(
		"gone",
		`This ${what === "process" ? "process" : "task's process"} was removed on ${when}: ${tombstone.reason}.`,
		{
			processId,
			removedAt: tombstone.removedAt,
			reason: tombstone.reason,
		},
	);
}

/** The process, if it exists and the viewer may see it; else not_found. */
export async function visibleProcess(
	env: Env,
	user: CurrentUser,
	processId: string,
): Promise<ProcessView> {
	if (!isPlausibleId(processId)) throw notFound("process");
	const view = await processStub(env, processId).view();
	if (!view) throw await goneOrNotFound(env, processId, "process");
	const refs = view.state.tasks.map((t) => taskRef(view, t));
	const process = { workflowKey: view.state.workflow.key, startedBy: view.startedBy };
	if (!canSeeProcess(user, process, refs)) throw notFound("process");
	return view;
}

export interface VisibleTask {
	view: ProcessView;
	task: TaskState;
	processId: string;
}

/** The task in its process, if it exists and the viewer may see it; else not_found. */
export async function visibleTask(
	env: Env,
	user: CurrentUser,
	taskId: string,
): Promise<VisibleTask> {
	const processId = processIdOfTask(taskId);
	if (!processId || !isPlausibleId(taskId)) throw notFound("task");
	const view = await processStub(env, processId).view();
	if (!view) throw await goneOrNotFound(env, processId, "task");
	const task = view.state.tasks.find((t) => t.id === taskId);
	if (!task || !canSeeTask(user, taskRef(view, task))) throw notFound("task");
	return { view, task, processId };
}
