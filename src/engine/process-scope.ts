// What FEEL sees of a process as `process` (R1): its id, name, params, passes per node, the latest
// result per node and the results. Conditions, timers, correlation keys and collections share it.
import type { CompiledWorkflow } from "./compiled.ts";
import type { ProcessState } from "./state.ts";

/**
 * What a FEEL condition sees as `process`: id, name, params, priority, passes per node, the latest
 * successful result per node (`last`, so a decision after a gateway can name the task it is about),
 * and the process results.
 */
export function processScope(
	workflow: CompiledWorkflow,
	state: ProcessState,
): Record<string, unknown> {
	const passes: Record<string, number> = {};
	for (const key of workflow.nodeOrder) passes[key] = 0;
	const last: Record<string, unknown> = {};
	for (const task of state.tasks) {
		passes[task.node] = (passes[task.node] ?? 0) + 1;
		if (task.status === "SUCCESS") last[task.node] = task.result ?? null;
	}
	return {
		id: state.id,
		name: state.name ?? null,
		params: state.params,
		priority: state.priority,
		passes,
		last,
		results: state.results,
	};
}

/**
 * R5: the process variables a FEEL expression may name directly (`= amount > 1000`, as modelers
 * write): the process params, overlaid by the object results of the tasks that succeeded, in
 * creation order (later wins). An instance's result is not merged: its body collects them (M1).
 */
export function processVariables(state: ProcessState): Record<string, unknown> {
	const variables: Record<string, unknown> = { ...state.params };
	for (const task of state.tasks) {
		if (task.status !== "SUCCESS" || task.instanceOf !== undefined) continue;
		const result = task.result;
		if (typeof result === "object" && result !== null && !Array.isArray(result)) {
			Object.assign(variables, result);
		}
	}
	return variables;
}

/** What FEEL sees: a task's merged params, the process, and the process variables (R5). */
export interface LazyScope extends Record<string, unknown> {
	params: Record<string, unknown>;
	process: Record<string, unknown>;
	variables: Record<string, unknown>;
}

/**
 * `fixed` with the lazy members every FEEL evaluation may read: `params`, `process` and
 * `variables` each walk the process, so each is built once, and only when an expression reads it.
 * They are enumerable getters, so a scope's names are still its keys.
 */
export function lazyScope<T extends object>(
	fixed: T,
	workflow: CompiledWorkflow,
	state: ProcessState,
	paramsOf: () => Record<string, unknown>,
): T & LazyScope {
	const built: Partial<LazyScope> = {};
	const lazy = (name: keyof LazyScope, build: () => Record<string, unknown>) => ({
		enumerable: true,
		get: () => {
			built[name] ??= build();
			return built[name];
		},
	});
	return Object.defineProperties(fixed, {
		params: lazy("params", paramsOf),
		process: lazy("process", () => processScope(workflow, state)),
		variables: lazy("variables", () => processVariables(state)),
	}) as T & LazyScope;
}
