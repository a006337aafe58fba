// A task that ends in FAILURE (R3, P2): its failure routes if it has any, else the alternative way
// (the next branch of the nearest XOR-split ancestor), else the process fails.
import { evaluateCondition } from "./conditions.ts";
import type { Draft } from "./draft.ts";
import { finishProcess, revokeTask } from "./ending.ts";
import { EngineError } from "./errors.ts";
import { recheckOrJoins } from "./firing.ts";
import { conditionScope, deposit, fireTaken, routeFrom } from "./routing.ts";
import { isTaskActive, type TaskState } from "./state.ts";

/** T6 end: the task is FAILURE with its error kept; then R3, else P2. */
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
	const firstArrival = d.state.arrivalSeq + 1;
	const failureRoutes = routeFrom(d, task, node.failureRoutes, task.error);
	if (failureRoutes.length > 0) {
		noteFailureArrivals(d, task, firstArrival);
		fireTaken(d, failureRoutes);
		recheckOrJoins(d);
		return;
	}
	d.raiseIncident("task_failed", `task "${node.key}" failed: ${error.message}`, task);
	if (takeAlternativeWay(d, task)) {
		noteFailureArrivals(d, task, firstArrival);
		recheckOrJoins(d);
		return;
	}
	finishProcess(d, "FAILURE", `task "${node.key}" failed with no failure route or alternative way`);
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
		for (const a of task.firedBy) if (!ids.has(a.id)) deposit(d, a.transition, a.fromTask);
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
