// Starting a process (S2): PENDING → STARTED with its start date set once, one task per start
// node in definition order, joins ignored at start.
import { hasBudget, noteBudgetExhausted } from "./budget.ts";
import type { Draft } from "./draft.ts";
import { EngineError } from "./errors.ts";
import { createTask } from "./tasks.ts";

/** S2: requires PENDING (already_started) and a start node (no_start_nodes). */
export function startProcess(d: Draft): void {
	const state = d.state;
	if (state.status !== "PENDING") {
		throw new EngineError("already_started", `process ${state.id} is already ${state.status}`);
	}
	if (d.workflow.startNodes.length === 0) {
		throw new EngineError("no_start_nodes", `workflow ${d.workflow.key} has no start node`);
	}
	state.status = "STARTED";
	state.startedAt ??= d.now;
	d.log("ProcessStarted", undefined, { startNodes: [...d.workflow.startNodes] });
	for (const key of d.workflow.startNodes) {
		if (state.status !== "STARTED") break;
		if (hasBudget(d)) createTask(d, key, []);
		else {
			state.pendingStarts.push(key);
			noteBudgetExhausted(d);
		}
	}
	// S4: the start nodes took the starting message; a later wait must not take it again.
	delete state.startMessage;
}
