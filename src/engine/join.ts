// J1–J4: whether a node may fire given the unconsumed arrivals on its incoming transitions, and
// which arrivals a firing consumes. Pure decisions; the firing itself is in firing.ts.
import type { CompiledNode, CompiledWorkflow } from "./compiled.ts";
import { isTaskActive, type ProcessState } from "./state.ts";

export type JoinDecision = { fire: false } | { fire: true; consume: string[] };

/** The oldest unconsumed arrival on each incoming transition of `node` (undefined when none). */
function oldestArrivals(
	state: ProcessState,
	node: CompiledNode,
	scope: string | undefined,
): (string | undefined)[] {
	return node.incoming.map(
		(t) => state.arrivals.find((a) => a.transition === t && a.scope === scope)?.id,
	);
}

/**
 * Whether `node` fires now, and on which arrivals.
 * J1 single incoming transition: fires on every arrival.
 * J2 AND join (synchronization): fires when every incoming transition holds an arrival; one from each.
 * J3 XOR join (simple merge): fires on the oldest arrival of `via` (or of any transition).
 * J4 OR join (structured synchronizing merge): fires when it holds an arrival and no other incoming
 * transition can still receive one; consumes one arrival from each transition that holds one.
 * C1: only arrivals of the same scope instance (`scope`, a scope task's id) count together.
 */
export function decideJoin(
	workflow: CompiledWorkflow,
	state: ProcessState,
	node: CompiledNode,
	via?: number,
	scope?: string,
): JoinDecision {
	const held = oldestArrivals(state, node, scope);
	const present = held.filter((id): id is string => id !== undefined);
	if (present.length === 0) return { fire: false };
	if (node.incoming.length === 1 || node.join === "xor") {
		const i = via === undefined ? -1 : node.incoming.indexOf(via);
		const id = (i >= 0 ? held[i] : undefined) ?? present[0];
		return id === undefined ? { fire: false } : { fire: true, consume: [id] };
	}
	if (node.join === "and") {
		return present.length === held.length ? { fire: true, consume: present } : { fire: false };
	}
	return branchesStillComing(workflow, state, node, undefined, scope).length === 0
		? { fire: true, consume: present }
		: { fire: false };
}

/**
 * R2 ("can fire with this arrival"): whether `node` would fire if one more arrival landed on
 * transition `via`, given the arrivals it already holds.
 */
export function canFireWith(
	workflow: CompiledWorkflow,
	state: ProcessState,
	node: CompiledNode,
	via: number,
	scope?: string,
): boolean {
	if (node.incoming.length === 1 || node.join === "xor") return true;
	if (node.join === "and") {
		return node.incoming.every(
			(t) => t === via || state.arrivals.some((a) => a.transition === t && a.scope === scope),
		);
	}
	return branchesStillComing(workflow, state, node, via, scope).length === 0;
}

/**
 * J4: the incoming transitions of an OR join that hold no arrival yet but can still receive one:
 * an active task, an unconsumed arrival or a start not yet created sits upstream of it without
 * passing through the join. `assumed` is a transition counted as holding an arrival.
 */
export function branchesStillComing(
	workflow: CompiledWorkflow,
	state: ProcessState,
	node: CompiledNode,
	assumed?: number,
	scope?: string,
): number[] {
	const waiting: number[] = [];
	for (const t of node.incoming) {
		if (t === assumed || state.arrivals.some((a) => a.transition === t && a.scope === scope)) {
			continue;
		}
		const upstream = workflow.transitions[t]?.upstream;
		if (!upstream) continue;
		const coming =
			state.tasks.some(
				(task) => isTaskActive(task) && task.scope === scope && upstream.has(task.node),
			) ||
			state.arrivals.some((a) => {
				const target = workflow.transitions[a.transition]?.to;
				return (
					a.scope === scope && target !== undefined && target !== node.key && upstream.has(target)
				);
			}) ||
			(scope === undefined && state.pendingStarts.some((key) => upstream.has(key)));
		if (coming) waiting.push(t);
	}
	return waiting;
}
