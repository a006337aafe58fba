// An external task (K1) on the process and task pages: which workers serve it and, while one holds
// its lock, who and for how long (K2). Workers are named by themselves (their workerId), not people.
import { compiledWorkflow } from "../../durable/compiled-workflows.ts";
import { isTaskActive, type TaskState, type WorkflowDefinition } from "../../engine/index.ts";
import { type DateWords, lockWords } from "./time-words.ts";

export interface ExternalTaskWords {
	taskType: string;
	/** The worker holding the current attempt's lock. */
	lockedBy?: string;
	lock?: DateWords;
	/** Active and not locked: offered to the type's workers (after a backoff, maybe). */
	waitsForWorker: boolean;
}

/** The words for `task` when its type is external, else undefined. */
export function externalTaskWords(
	definition: WorkflowDefinition,
	task: TaskState,
	now: number,
): ExternalTaskWords | undefined {
	const spec = compiledWorkflow(definition).nodes.get(task.node)?.spec;
	if (spec?.mode !== "external") return undefined;
	const locked = task.status === "STARTED" && task.lockedBy !== undefined;
	const words: ExternalTaskWords = {
		taskType: spec.name,
		waitsForWorker: isTaskActive(task) && !locked && !task.awaitingInput,
	};
	if (locked && task.lockedBy !== undefined) {
		words.lockedBy = task.lockedBy;
		if (task.leaseUntil !== undefined) words.lock = lockWords(task.leaseUntil, now);
	}
	return words;
}
