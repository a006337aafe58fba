// For simulations: runs the jobs whose result depends only on their params (the task types that
// can run inline: dummy, add, question); any other job's result is null unless a script says
// otherwise.
import type { TaskRegistry } from "./registry.ts";

/** A `runJob` for simulate(): the pure task types computed, everything else null. */
export function pureJobRunner(registry: TaskRegistry) {
	return (taskType: string, params: Record<string, unknown>): unknown => {
		const type = registry.getRunnable(taskType);
		return type?.runInline ? (type.runInline(params) ?? null) : null;
	};
}
