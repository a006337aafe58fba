// For simulations: runs the built-in jobs whose result depends only on their params (dummy, add,
// question); any other job's result is null unless a script says otherwise.
import type { TaskRegistry } from "./registry.ts";

const PURE = new Set(["dummy", "add", "question"]);

/** A `runJob` for simulate(): the pure built-ins computed, everything else null. */
export function pureJobRunner(registry: TaskRegistry) {
	return (taskType: string, params: Record<string, unknown>): unknown => {
		const type = registry.getRunnable(taskType);
		if (!type?.run || !PURE.has(taskType)) return null;
		const result = type.run({
			processId: "sim",
			taskId: "sim",
			attempt: 1,
			idempotencyKey: "sim:sim",
			params,
			signal: new AbortController().signal,
			progress: async () => {},
			log: () => {},
			fetch: () => Promise.reject(new Error("no network in a simulation")),
		});
		return result instanceof Promise ? null : result;
	};
}
