// The ids the engine gives tasks and subprocesses. Adapters derive one id from another only
// through these, never by parsing the text themselves.

/** The id of the `n`th task of a process: `${processId}/t${n}` (n from the process's `seq`). */
export function taskIdOf(processId: string, n: number): string {
	return `${processId}/t${n}`;
}

/** The process a task belongs to (its id up to the last "/t<n>"), or undefined for no task id. */
export function processIdOfTask(taskId: string): string | undefined {
	const match = /^(.+)\/t\d+$/.exec(taskId);
	return match?.[1];
}

/** The id of the child process a `subprocess` task starts on its `attempt`: `${taskId}/p${attempt}`. */
export function childProcessIdOf(taskId: string, attempt: number): string {
	return `${taskId}/p${attempt}`;
}
