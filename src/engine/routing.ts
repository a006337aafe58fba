// Routing after a task ends (R1–R2): the candidates are the routes whose condition holds; an AND
// split takes them all, an XOR split the first whose child can fire. Arrivals are deposited for
// every taken transition before any child fires.
import type { CompiledWorkflow } from "./compiled.ts";
import { type ConditionScope, evaluateCondition } from "./conditions.ts";
import type { Draft } from "./draft.ts";
import { finishProcess } from "./ending.ts";
import { fireIfReady, recheckOrJoins } from "./firing.ts";
import { canFireWith } from "./join.ts";
import { mergeParams } from "./params.ts";
import type { ProcessState, TaskState } from "./state.ts";

/**
 * T5 + P1 + R2: the task succeeded with `result` (any JSON value). An end node ends the process;
 * any other node routes on.
 */
export function succeedTask(d: Draft, task: TaskState, result: unknown): void {
	task.status = "SUCCESS";
	task.result = result === undefined ? null : result;
	task.progress = 100;
	task.endedAt = d.now;
	delete task.leaseUntil;
	d.resolveIncidentOf(task);
	const node = d.node(task.node);
	if (node.def.end) {
		d.log("TaskSucceeded", task, { result: task.result });
		d.state.results.push(task.result);
		finishProcess(d, "SUCCESS", `end node "${node.key}" succeeded`);
		return;
	}
	const taken = routeFrom(d, task, node.outgoing, task.result);
	d.log("TaskSucceeded", task, {
		result: task.result,
		taken: taken.map((t) => d.workflow.transitions[t]?.to),
	});
	fireTaken(d, taken);
	recheckOrJoins(d);
}

/**
 * R2: chooses the routes out of a task and deposits one arrival on each; returns them.
 * AND split: every candidate. XOR split (exclusive choice): the first candidate whose child can
 * fire with this arrival, else the first candidate.
 */
export function routeFrom(
	d: Draft,
	task: TaskState,
	routes: readonly number[],
	result: unknown,
): number[] {
	if (routes.length === 0) return [];
	const scope = conditionScope(d, task, result);
	const candidates = routes.filter((t) => {
		const transition = d.workflow.transitions[t];
		return transition !== undefined && evaluateCondition(transition.condition, scope);
	});
	let taken = candidates;
	if (d.node(task.node).split === "xor" && candidates.length > 1) {
		const ready = candidates.find((t) => {
			const to = d.workflow.transitions[t]?.to;
			return to !== undefined && canFireWith(d.workflow, d.state, d.node(to), t);
		});
		taken = [ready ?? (candidates[0] as number)];
	}
	for (const t of taken) deposit(d, t, task.id);
	return taken;
}

/** Leaves one arrival (a token) on transition `t`. */
export function deposit(d: Draft, t: number, fromTask: string): void {
	d.state.arrivalSeq += 1;
	d.state.arrivals.push({ id: `a${d.state.arrivalSeq}`, transition: t, fromTask, at: d.now });
}

/** Evaluates the join of each taken transition's child, in order (arrivals are all in place). */
export function fireTaken(d: Draft, taken: readonly number[]): void {
	for (const t of taken) {
		const to = d.workflow.transitions[t]?.to;
		if (to !== undefined) fireIfReady(d, d.node(to), t);
	}
}

/**
 * What the conditions of routes out of `task` see. `params` and `process` walk the process's tasks,
 * so they are built only when a FEEL condition reads them (most routes have none, or a literal).
 */
export function conditionScope(d: Draft, task: TaskState, result: unknown): ConditionScope {
	let params: Record<string, unknown> | undefined;
	let process: Record<string, unknown> | undefined;
	return {
		result,
		get params() {
			params ??= mergeParams(d.workflow, d.state, task);
			return params;
		},
		get process() {
			process ??= processScope(d.workflow, d.state);
			return process;
		},
	};
}

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
