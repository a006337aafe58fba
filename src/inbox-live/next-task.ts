// Where a person lands after submitting a task: their next task of the same process when there is
// one, even when it is created a moment later (an automated step runs first, or the role's
// assignee is still being picked); else their next task elsewhere; else the inbox.
import type { CurrentUser } from "../auth/current-user.ts";
import { findNextTask } from "../db/process-index.ts";
import type { ProcessView } from "../durable/process-view.ts";
import { isTaskActive, type TaskState } from "../engine/index.ts";
import { nextTaskInProcess } from "../processes/acts.ts";
import { tasklistOf } from "./tasklist.ts";

/** How long a submit waits for the process to create the person's next task. */
export const NEXT_TASK_WAIT_MS = 3_000;

/**
 * Whether the process may soon create work for this person without anyone acting: it runs, and a
 * task of it is on its way, a job queued or running (no role) or a task of one of the person's
 * roles whose assignee is being picked. A process that only waits for other people, timers or
 * messages is not waited for.
 */
export function mayCreateWorkSoon(view: ProcessView, user: Pick<CurrentUser, "roles">): boolean {
	if (view.state.status !== "STARTED") return false;
	const isOnItsWay = (t: TaskState) => {
		if (!isTaskActive(t) || t.awaitingInput) return false;
		if (t.awaitingAssignee === true) return t.role !== undefined && user.roles.includes(t.role);
		return (
			t.role === undefined &&
			t.timerDueAt === undefined &&
			t.message === undefined &&
			t.childProcessId === undefined
		);
	};
	return view.state.tasks.some(isOnItsWay);
}

/**
 * The task id to open after `taskId` was submitted (`done` is the process as the submit left it),
 * or undefined for the inbox.
 */
export async function nextTaskAfterSubmit(
	env: Env,
	user: CurrentUser,
	done: { view: ProcessView; processId: string },
	taskId: string,
): Promise<string | undefined> {
	const now = nextTaskInProcess(done.view, user, taskId);
	if (now) return now;
	if (mayCreateWorkSoon(done.view, user)) {
		const later = await tasklistOf(env, user.id).waitForNextTask(
			done.processId,
			taskId,
			{ id: user.id, roles: [...user.roles] },
			NEXT_TASK_WAIT_MS,
		);
		if (later) return later;
	}
	return findNextTask(env.DB, user, done.processId, taskId);
}
