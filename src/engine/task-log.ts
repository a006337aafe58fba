// The lines a task's code logs (ctx.log), recorded on the task's history: bounded in count and
// length, since they come from task code and every line is stored with the process.
import type { Draft } from "./draft.ts";
import type { TaskState } from "./state.ts";

/** At most this many lines of one run (or of one batch of hooks) are recorded. */
export const MAX_LOG_LINES = 50;
/** A longer line is cut here (with an ellipsis). */
export const MAX_LOG_LINE_CHARS = 1_000;

/** One logged line as it is recorded: a string of at most MAX_LOG_LINE_CHARS. */
export function boundLogLine(line: unknown): string {
	const text = typeof line === "string" ? line : String(line);
	return text.length <= MAX_LOG_LINE_CHARS ? text : `${text.slice(0, MAX_LOG_LINE_CHARS - 1)}…`;
}

/**
 * The lines to record: the first MAX_LOG_LINES, each bounded, and one last line saying how many
 * more there were (`dropped` lines the collector already left out, plus any beyond the bound).
 */
export function boundLogLines(lines: readonly unknown[], dropped = 0): string[] {
	const kept = lines.slice(0, MAX_LOG_LINES).map(boundLogLine);
	const more = dropped + Math.max(0, lines.length - MAX_LOG_LINES);
	if (more > 0) kept.push(`… ${more} more line${more === 1 ? "" : "s"} not recorded`);
	return kept;
}

/** Records the lines on the task's history (TaskLogged); nothing when there are none. */
export function recordTaskLog(
	d: Draft,
	task: TaskState,
	attempt: number,
	lines: readonly unknown[] | undefined,
): void {
	if (!lines || lines.length === 0) return;
	// A collector's own "… more lines" note is one line past the bound: keep it.
	const bounded =
		lines.length === MAX_LOG_LINES + 1
			? [...boundLogLines(lines.slice(0, MAX_LOG_LINES)), boundLogLine(lines[MAX_LOG_LINES])]
			: boundLogLines(lines);
	d.log("TaskLogged", task, { attempt, lines: bounded });
}
