// Routing after a task ends (R1–R2): the candidates are the routes whose condition holds; an AND
// split takes them all, an XOR split the first whose child can fire. Arrivals are deposited for
// every taken transition before any child fires.
import { type ConditionScope, evaluateCondition } from "./conditions.ts";
import type { Draft } from "./draft.ts";
import { endDependents, finishProcess, revokeTask } from "./ending.ts";
import { fireIfReady, recheckOrJoins } from "./firing.ts";
import { canFireWith } from "./join.ts";
import { isComplete } from "./multi-instance.ts";
import { mergeParams } from "./params.ts";
import { lazyScope } from "./process-scope.ts";
import { type Arrival, isTaskActive, type TaskState } from "./state.ts";
import { createInstance, feelScope } from "./tasks.ts";

/**
 * T5 + P1 + R2: the task succeeded with `result` (any JSON value). What lived on it ends (B1); a
 * wait that won its race revokes the others (E1); an instance reports to its body (M1); an end
 * node ends its scope (C1) or the process (P1); any other node routes on.
 */
export function succeedTask(d: Draft, task: TaskState, result: unknown): void {
	task.status = "SUCCESS";
	task.result = result === undefined ? null : result;
	task.progress = 100;
	task.endedAt = d.now;
	delete task.leaseUntil;
	d.resolveIncidentOf(task);
	const node = d.node(task.node);
	endDependents(d, task, `"${node.def.name ?? node.key}" ended`);
	if (task.raceOf !== undefined) winRace(d, task);
	if (task.instanceOf !== undefined) {
		d.log("TaskSucceeded", task, { result: task.result });
		instanceEnded(d, task, task.result);
		return;
	}
	if (node.def.end) {
		d.log("TaskSucceeded", task, { result: task.result });
		if (task.scope !== undefined) {
			completeScope(d, task);
			return;
		}
		d.state.results.push(task.result);
		finishProcess(d, "SUCCESS", `end node "${node.key}" succeeded`);
		return;
	}
	const taken = routeFrom(d, task, node.outgoing, task.result);
	d.log("TaskSucceeded", task, {
		result: task.result,
		taken: taken.map((t) => d.workflow.transitions[t]?.to),
	});
	fireTaken(d, taken, task.scope);
	recheckOrJoins(d);
}

/**
 * C1: an inner end node succeeded: its scope instance ends once, with that end's result; the rest
 * of its inner flow is revoked, and the scope task routes on as any task does.
 */
function completeScope(d: Draft, end: TaskState): void {
	const scope = d.task(end.scope as string);
	if (!isTaskActive(scope)) return;
	endDependents(d, scope, `scope "${scope.node}" reached its end "${end.node}"`);
	d.log("ScopeCompleted", scope, { end: end.node });
	succeedTask(d, scope, end.result);
}

/**
 * M1: an instance ended (`result`, or null when it was revoked). The body collects results in item
 * order; once the completion condition holds or every instance ended, the instances still running
 * are revoked and the body succeeds with the results; a sequential body starts the next instance.
 */
export function instanceEnded(d: Draft, instance: TaskState, result: unknown): void {
	const body = d.task(instance.instanceOf as string);
	const mi = d.node(body.node).def.multiInstance;
	if (!isTaskActive(body) || !body.multi || !mi) return;
	const results = body.multi.results.slice();
	results[instance.instanceIndex ?? 0] = result ?? null;
	const multi = { ...body.multi, results, completed: body.multi.completed + 1 };
	body.multi = multi;
	if (isComplete(mi, multi, feelScope(d, body))) {
		d.log("InstancesCompleted", body, { completed: multi.completed, total: multi.items.length });
		endDependents(d, body, `"${body.node}" completed ${multi.completed} of ${multi.items.length}`);
		succeedTask(d, body, results);
		return;
	}
	if (mi.sequential) createInstance(d, body);
}

/** E1: the first wait after an event-based gateway to happen revokes the others of its race. */
function winRace(d: Draft, winner: TaskState): void {
	const losers = d.state.tasks.filter(
		(t) => t.raceOf === winner.raceOf && t.id !== winner.id && isTaskActive(t),
	);
	d.log("RaceWon", winner, { revoked: losers.map((t) => t.id) });
	for (const loser of losers) revokeTask(d, loser, `"${winner.node}" happened first`);
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
			return to !== undefined && canFireWith(d.workflow, d.state, d.node(to), t, task.scope);
		});
		taken = [ready ?? (candidates[0] as number)];
	}
	for (const t of taken) deposit(d, t, task.id, task.scope);
	return taken;
}

/** Leaves one arrival (a token) on transition `t`, in scope instance `scope` (C1). */
export function deposit(d: Draft, t: number, fromTask: string, scope?: string): void {
	d.state.arrivalSeq += 1;
	const arrival: Arrival = { id: `a${d.state.arrivalSeq}`, transition: t, fromTask, at: d.now };
	if (scope !== undefined) arrival.scope = scope;
	d.state.arrivals.push(arrival);
}

/** Evaluates the join of each taken transition's child, in order (arrivals are all in place). */
export function fireTaken(d: Draft, taken: readonly number[], scope?: string): void {
	for (const t of taken) {
		const to = d.workflow.transitions[t]?.to;
		if (to !== undefined) fireIfReady(d, d.node(to), t, scope);
	}
}

/**
 * What the conditions of routes out of `task` see. `params`, `process` and the variables walk the
 * process's tasks, so they are built only when a FEEL condition reads them (most routes have none,
 * or a literal).
 */
export function conditionScope(d: Draft, task: TaskState, result: unknown): ConditionScope {
	return lazyScope({ result }, d.workflow, d.state, () => mergeParams(d.workflow, d.state, task));
}
