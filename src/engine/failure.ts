// A task that ends in FAILURE (R3, P2): its failure routes if it has any, else the alternative way
// (the next branch of the nearest XOR-split ancestor), else the process fails.
import { evaluateCondition } from "./conditions.ts";
import type { Draft } from "./draft.ts";
import { finishProcess } from "./ending.ts";
import { recheckOrJoins } from "./firing.ts";
import { conditionScope, deposit, fireTaken, routeFrom } from "./routing.ts";
import type { TaskState } from "./state.ts";

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
	const failureRoutes = routeFrom(d, task, node.failureRoutes, task.error);
	if (failureRoutes.length > 0) {
		fireTaken(d, failureRoutes);
		recheckOrJoins(d);
		return;
	}
	d.raiseIncident("task_failed", `task "${node.key}" failed: ${error.message}`, task);
	if (takeAlternativeWay(d, task)) {
		recheckOrJoins(d);
		return;
	}
	finishProcess(d, "FAILURE", `task "${node.key}" failed with no failure route or alternative way`);
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
