// What a ProcessObject shows of itself to pages and the API: its state with the derived facts
// (progress P6, stuck P5, the branches a waiting OR join still waits for J4).
import {
	type CompiledWorkflow,
	isStuck,
	type ProcessState,
	processProgress,
	type WorkflowDefinition,
	waitingBranches,
} from "../engine/index.ts";

export interface ProcessView {
	state: ProcessState;
	definition: WorkflowDefinition;
	revision: number;
	startedBy: string | null;
	progress: number;
	stuck: boolean;
	/** J4: for each OR join waiting with arrivals, the parents it still waits for. */
	waiting: Record<string, string[]>;
}

export function describeProcess(loaded: {
	workflow: CompiledWorkflow;
	definition: WorkflowDefinition;
	state: ProcessState;
	revision: number;
	startedBy: string | null;
}): ProcessView {
	const { workflow, state } = loaded;
	const waiting: Record<string, string[]> = {};
	for (const key of workflow.nodeOrder) {
		if (workflow.nodes.get(key)?.join !== "or") continue;
		const branches = waitingBranches(workflow, state, key);
		const hasArrival = state.arrivals.some((a) => workflow.transitions[a.transition]?.to === key);
		if (hasArrival && branches.length > 0) waiting[key] = branches;
	}
	return {
		state,
		definition: loaded.definition,
		revision: loaded.revision,
		startedBy: loaded.startedBy,
		progress: processProgress(state),
		stuck: isStuck(workflow, state),
		waiting,
	};
}
