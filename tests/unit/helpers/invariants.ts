// Invariants checked after every step: no arrival lost or duplicated (G1, G2), joins fire on
// fresh, complete sets of arrivals (J2, G4), and OR joins never fire while a branch can still come.
import type { CompiledWorkflow, HistoryEvent, ProcessState } from "../../../src/engine/index.ts";
import { isTaskActive } from "../../../src/engine/index.ts";

export class InvariantError extends Error {}

function fail(message: string): never {
	throw new InvariantError(message);
}

/** Accumulates discarded arrivals across steps, and checks conservation against the state. */
export class ArrivalLedger {
	readonly discarded = new Set<string>();

	check(workflow: CompiledWorkflow, state: ProcessState, events: readonly HistoryEvent[]): void {
		for (const e of events) {
			if (e.type !== "ArrivalsDiscarded") continue;
			for (const id of (e.data?.arrivals as string[]) ?? []) {
				if (this.discarded.has(id)) fail(`arrival ${id} discarded twice`);
				this.discarded.add(id);
			}
		}
		checkArrivals(workflow, state, this.discarded);
		checkJoinFirings(workflow, state);
	}
}

/** G1/G2: every arrival ever deposited is in exactly one place: waiting, consumed or discarded. */
export function checkArrivals(
	workflow: CompiledWorkflow,
	state: ProcessState,
	discarded: ReadonlySet<string>,
): void {
	const seen = new Map<string, string>();
	const place = (id: string, where: string) => {
		const before = seen.get(id);
		if (before) fail(`arrival ${id} is both ${before} and ${where}`);
		seen.set(id, where);
	};
	for (const a of state.arrivals) {
		if (!workflow.transitions[a.transition])
			fail(`arrival ${a.id} on unknown transition ${a.transition}`);
		place(a.id, "waiting");
	}
	for (const task of state.tasks)
		for (const a of task.firedBy) place(a.id, `consumed by ${task.id}`);
	for (const id of discarded) place(id, "discarded");
	if (seen.size !== state.arrivalSeq) {
		fail(`${state.arrivalSeq} arrivals deposited but ${seen.size} accounted for`);
	}
}

/** J1–J4: what each firing consumed matches the node's join. */
export function checkJoinFirings(workflow: CompiledWorkflow, state: ProcessState): void {
	for (const task of state.tasks) {
		if (task.firedBy.length === 0) continue;
		const node = workflow.nodes.get(task.node);
		if (!node) fail(`task ${task.id} of unknown node`);
		const used = task.firedBy.map((a) => a.transition);
		if (new Set(used).size !== used.length)
			fail(`task ${task.id} consumed two arrivals of one transition`);
		for (const t of used) {
			if (!node.incoming.includes(t))
				fail(`task ${task.id} consumed an arrival of transition ${t} not into ${node.key}`);
		}
		for (const a of task.firedBy) {
			const from = state.tasks.find((o) => o.id === a.fromTask);
			// R4: a task fired by a failure that a retry withdrew is revoked; its parent runs again.
			const withdrawn = task.status === "REVOKED" && from !== undefined && from.attempt > 1;
			if (!withdrawn && from?.status !== "SUCCESS" && from?.status !== "FAILURE") {
				fail(
					`task ${task.id} fired on an arrival from ${a.fromTask}, which is ${from?.status ?? "missing"}`,
				);
			}
		}
		const kind = node.incoming.length === 1 ? "single" : node.join;
		if ((kind === "single" || kind === "xor") && used.length !== 1)
			fail(`${kind} join ${task.id} consumed ${used.length}`);
		if (kind === "and" && used.length !== node.incoming.length) {
			fail(`AND join ${task.id} fired with ${used.length} of ${node.incoming.length} arrivals`);
		}
	}
}

/**
 * J4, checked on the tasks a step created: when an OR join task was created, no older task that is
 * still active sits upstream of an incoming transition the firing did not consume.
 */
export function checkOrJoinFirings(
	workflow: CompiledWorkflow,
	state: ProcessState,
	createdIds: ReadonlySet<string>,
): void {
	const order = (id: string) => Number(id.slice(id.lastIndexOf("/t") + 2));
	for (const task of state.tasks) {
		if (!createdIds.has(task.id)) continue;
		const node = workflow.nodes.get(task.node);
		if (node?.join !== "or" || node.incoming.length < 2 || task.firedBy.length === 0) continue;
		const consumed = new Set(task.firedBy.map((a) => a.transition));
		for (const t of node.incoming) {
			if (consumed.has(t)) continue;
			const upstream = workflow.transitions[t]?.upstream;
			const blocker = state.tasks.find(
				(o) => order(o.id) < order(task.id) && isTaskActive(o) && upstream?.has(o.node),
			);
			if (blocker)
				fail(`OR join ${task.id} fired while ${blocker.id} (${blocker.node}) could still reach it`);
		}
	}
}
