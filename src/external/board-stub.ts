// How the Worker and the processes reach a task type's board: one TaskBoard per type, by name.
import type { TaskBoardRpc } from "./external-task.ts";

/** The one board of a task type. */
export function taskBoard(env: Env, taskType: string): TaskBoardRpc {
	return env.TASK_BOARDS.getByName(taskType) as unknown as TaskBoardRpc;
}
