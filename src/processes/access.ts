// Who may see a process or a task, decided on the ProcessObject: the truth of one process, where the
// D1 index may lag (docs/decisions/0001). Pages, the API and every act go through here. What the
// viewer may not see answers not_found, exactly like what does not exist: no hint either way.
import type { CurrentUser } from "../auth/current-user.ts";
import { canSeeProcess, canSeeTask, type TaskRef } from "../auth/permissions.ts";
import { processStub } from "../durable/process-client.ts";
import type { ProcessView } from "../durable/process-view.ts";
import { EngineError, processIdOfTask, type TaskState } from "../engine/index.ts";

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

/** The process, if it exists and the viewer may see it; else not_found. */
export async function visibleProcess(
	env: Env,
	user: CurrentUser,
	processId: string,
): Promise<ProcessView> {
	if (!isPlausibleId(processId)) throw notFound("process");
	const view = await processStub(env, processId).view();
	if (!view) throw notFound("process");
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
	const task = view?.state.tasks.find((t) => t.id === taskId);
	if (!view || !task || !canSeeTask(user, taskRef(view, task))) throw notFound("task");
	return { view, task, processId };
}
