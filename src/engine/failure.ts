// A task that ends in FAILURE (R3, P2): its failure routes if it has any, else the alternative way
// (the next branch of the nearest XOR-split ancestor), else the process fails.
import { evaluateCondition } from "./conditions.ts";
import type { Draft } from "./draft.ts";
import { endDependents, finishProcess, revokeTask } from "./ending.ts";
import { EngineError } from "./errors.ts";
import { recheckOrJoins } from "./firing.ts";
import { conditionScope, deposit, fireTaken, routeFrom, succeedTask } from "./routing.ts";
import { isTaskActive, type TaskState } from "./state.ts";
import { createTask } from "./tasks.ts";

/**
 * T6 end: the task is FAILURE with its error kept. What lived on it ends (B1). Then, in order: an
 * error boundary on its node that catches the code (B4); an instance fails its body (M1); its
 * failure routes (R3); inside a scope, the scope fails with the same error (C1); else an incident,
 * the alternative way (R3), and last the process fails (P2), passing the error up (X1).
 */
export function failTask(
	d: Draft,
	task: TaskState,
	error: { message: string; code?: string },
): void {
	task.status = "FAILURE";
	task.error = { ...error };
	task.endedAt = d.now;
	delete task.leaseUntil;
	d.log("TaskFailed", task, { error: task.error, attempt: task.attempt });
	const node = d.node(task.node);
	endDependents(d, task, `"${node.def.name ?? node.key}" failed`);
	if (catchError(d, task, error)) return;
	if (task.instanceOf !== undefined) {
		const body = d.task(task.instanceOf);
		if (isTaskActive(body)) failTask(d, body, error);
		return;
	}
	const firstArrival = d.state.arrivalSeq + 1;
	const failureRoutes = routeFrom(d, task, node.failureRoutes, task.error);
	if (failureRoutes.length > 0) {
		noteFailureArrivals(d, task, firstArrival);
		fireTaken(d, failureRoutes, task.scope);
		recheckOrJoins(d);
		return;
	}
	if (task.scope !== undefined) {
		const scope = d.task(task.scope);
		if (isTaskActive(scope)) failTask(d, scope, error);
		return;
	}
	const thrown = node.spec.mode === "error";
	if (!thrown) d.raiseIncident("task_failed", `task "${node.key}" failed: ${error.message}`, task);
	if (!thrown && takeAlternativeWay(d, task)) {
		noteFailureArrivals(d, task, firstArrival);
		recheckOrJoins(d);
		return;
	}
	finishProcess(
		d,
		"FAILURE",
		thrown
			? `error end "${node.key}" threw ${error.code ?? "an error"}`
			: `task "${node.key}" failed with no failure route or alternative way`,
		undefined,
		error,
	);
}

/**
 * B4: an error boundary of the failed task's node whose code is the error's (else one with no
 * code, which catches any) catches it: a task of the boundary node succeeds with the error as its
 * result and routes on. True when one caught it.
 */
function catchError(d: Draft, host: TaskState, error: { message: string; code?: string }): boolean {
	const catchers = d
		.node(host.node)
		.boundaries.map((key) => d.node(key))
		.filter((b) => b.spec.mode === "error");
	if (catchers.length === 0) return false;
	const codeOf = (b: (typeof catchers)[number]) => b.def.params?.code;
	const catcher =
		catchers.find((b) => error.code !== undefined && codeOf(b) === error.code) ??
		catchers.find((b) => codeOf(b) === undefined);
	if (!catcher) return false;
	const caught = createTask(d, catcher.key, [], {
		boundaryOf: host.id,
		catches: true,
		...(host.scope === undefined ? {} : { scope: host.scope }),
	});
	if (!caught) return false;
	d.log("ErrorCaught", caught, { host: host.id, code: error.code ?? null, message: error.message });
	succeedTask(d, caught, { ...error });
	return true;
}

/** R4: remembers which arrivals the failure deposited, so that a retry can withdraw them. */
function noteFailureArrivals(d: Draft, task: TaskState, first: number): void {
	const ids: string[] = [];
	for (let seq = first; seq <= d.state.arrivalSeq; seq++) ids.push(`a${seq}`);
	if (ids.length > 0) task.failureArrivals = ids;
}

/**
 * R4: a retry withdraws the failure routing the task's failure caused. The arrivals it deposited
 * that still wait are discarded; the tasks created from them that are still active are revoked
 * (onRevoke runs), and the other arrivals those tasks consumed are deposited again. When a task
 * created from them has finished, its work cannot be undone: `conflict`, naming it, and nothing
 * changes.
 */
export function withdrawFailureRouting(d: Draft, failed: TaskState, actor?: string): void {
	const ids = new Set(failed.failureArrivals ?? []);
	if (ids.size === 0) return;
	const created = d.state.tasks.filter((t) => t.firedBy.some((a) => ids.has(a.id)));
	const finished = created.filter((t) => t.status === "SUCCESS" || t.status === "FAILURE");
	if (finished.length > 0) {
		throw new EngineError(
			"conflict",
			`task ${failed.id} cannot be retried: its failure route already led to ${finished
				.map((t) => `${t.id} ("${t.node}", ${t.status})`)
				.join(", ")}, whose work cannot be undone`,
		);
	}
	const waiting = d.state.arrivals.filter((a) => ids.has(a.id));
	if (waiting.length > 0) {
		d.state.arrivals = d.state.arrivals.filter((a) => !ids.has(a.id));
		for (const t of new Set(waiting.map((a) => a.transition))) {
			d.log("ArrivalsDiscarded", undefined, {
				node: d.workflow.transitions[t]?.to,
				transition: t,
				arrivals: waiting.filter((a) => a.transition === t).map((a) => a.id),
			});
		}
	}
	const revoked: string[] = [];
	for (const task of created) {
		if (!isTaskActive(task)) continue;
		revokeTask(
			d,
			task,
			`the failure of ${failed.id} that created it was withdrawn by a retry`,
			actor,
		);
		revoked.push(task.id);
		for (const a of task.firedBy) if (!ids.has(a.id)) deposit(d, a.transition, a.fromTask, a.scope);
	}
	delete failed.failureArrivals;
	d.log("FailureRoutingWithdrawn", failed, { arrivals: waiting.map((a) => a.id), revoked }, actor);
}

/**
 * R3 alternative way: walk back breadth first to the nearest XOR-split ancestors; take the first
 * other transition (definition order) that matched the ancestor's result and leads to a node with
 * no task yet in this process. True when one was taken.
 */
function takeAlternativeWay(d: Draft, failed: TaskState): boolean {
	const wf = d.workflow;
	const visited = new Set<string>([failed.node]);
	let frontier = [failed.node];
	const withTask = new Set(d.state.tasks.map((t) => t.node));
	while (frontier.length > 0) {
		const next: string[] = [];
		for (const key of frontier) {
			for (const t of d.node(key).incoming) {
				const parentKey = wf.transitions[t]?.from;
				if (parentKey === undefined || visited.has(parentKey)) continue;
				visited.add(parentKey);
				next.push(parentKey);
			}
		}
		for (const key of next) {
			const ancestor = d.node(key);
			if (ancestor.split !== "xor") continue;
			const ran = d.state.tasks.findLast((t) => t.node === key && t.status === "SUCCESS");
			if (!ran) continue;
			const scope = conditionScope(d, ran, ran.result);
			const other = ancestor.outgoing.find((t) => {
				const transition = wf.transitions[t];
				return (
					transition !== undefined &&
					!withTask.has(transition.to) &&
					evaluateCondition(transition.condition, scope)
				);
			});
			if (other === undefined) continue;
			d.log("AlternativeTaken", failed, {
				ancestor: key,
				transition: other,
				to: wf.transitions[other]?.to,
			});
			deposit(d, other, ran.id);
			fireTaken(d, [other]);
			return true;
		}
		frontier = next;
	}
	return false;
}
