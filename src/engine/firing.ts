// Firing nodes: consuming arrivals to create a task when the join allows it (J1–J4), the XOR
// join's cancellation of its other branches (J3), and the OR joins' re-check (J4).

import { hasBudget, noteBudgetExhausted } from "./budget.ts";
import type { CompiledNode } from "./compiled.ts";
import type { Draft } from "./draft.ts";
import { revokeTask } from "./ending.ts";
import { branchesStillComing, decideJoin } from "./join.ts";
import { createTask } from "./tasks.ts";

/**
 * Fires `node` if its join is satisfied (arrival on `via` preferred) in the scope instance `scope`
 * (C1); true when a task was created.
 */
export function fireIfReady(d: Draft, node: CompiledNode, via?: number, scope?: string): boolean {
	if (d.state.status !== "STARTED") return false;
	const decision = decideJoin(d.workflow, d.state, node, via, scope);
	if (!decision.fire) {
		if (node.incoming.length > 1) {
			const waitingFor =
				node.join === "or"
					? branchesStillComing(d.workflow, d.state, node, undefined, scope).map(
							(t) => d.workflow.transitions[t]?.from,
						)
					: node.incoming
							.filter((t) => !d.state.arrivals.some((a) => a.transition === t && a.scope === scope))
							.map((t) => d.workflow.transitions[t]?.from);
			d.log("JoinWaiting", undefined, { node: node.key, waitingFor });
		}
		return false;
	}
	if (!hasBudget(d)) {
		noteBudgetExhausted(d);
		return false;
	}
	const consumed = d.state.arrivals.filter((a) => decision.consume.includes(a.id));
	d.state.arrivals = d.state.arrivals.filter((a) => !decision.consume.includes(a.id));
	createTask(d, node.key, consumed);
	if (node.join === "xor" && node.incoming.length > 1) {
		const taken = consumed[0]?.transition;
		if (taken !== undefined) cancelOtherBranches(d, node, taken, scope);
	}
	return true;
}

/**
 * J3: when an XOR join fires, the arrivals waiting on its other incoming transitions are discarded
 * and the active tasks of its other direct parents are revoked — unless that parent has another
 * outgoing transition (it may still be needed elsewhere).
 */
function cancelOtherBranches(
	d: Draft,
	node: CompiledNode,
	taken: number,
	scope: string | undefined,
): void {
	for (const t of node.incoming) {
		if (t === taken) continue;
		const here = (a: { transition: number; scope?: string }) =>
			a.transition === t && a.scope === scope;
		const discarded = d.state.arrivals.filter(here).map((a) => a.id);
		if (discarded.length > 0) {
			d.state.arrivals = d.state.arrivals.filter((a) => !here(a));
			d.log("ArrivalsDiscarded", undefined, { node: node.key, transition: t, arrivals: discarded });
		}
		const parentKey = d.workflow.transitions[t]?.from;
		if (parentKey === undefined || parentKey === node.key) continue;
		const parent = d.node(parentKey);
		if (parent.outgoing.length + parent.failureRoutes.length !== 1) continue;
		for (const task of d.state.tasks) {
			if (task.node === parentKey && task.scope === scope) {
				revokeTask(d, task, `XOR join "${node.key}" fired`);
			}
		}
	}
}

/**
 * J4: re-checks every OR join holding arrivals, in each scope instance that holds them (C1), until
 * none fires (a task finished or vanished).
 */
export function recheckOrJoins(d: Draft): void {
	let fired = true;
	while (fired && d.state.status === "STARTED") {
		fired = false;
		for (const key of d.workflow.nodeOrder) {
			const node = d.workflow.nodes.get(key);
			if (node?.join !== "or" || node.incoming.length < 2) continue;
			const scopes = new Set<string | undefined>();
			for (const a of d.state.arrivals)
				if (node.incoming.includes(a.transition)) scopes.add(a.scope);
			for (const scope of scopes) {
				const decision = decideJoin(d.workflow, d.state, node, undefined, scope);
				if (decision.fire && fireIfReady(d, node, undefined, scope)) fired = true;
			}
		}
	}
}
