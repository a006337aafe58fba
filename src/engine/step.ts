// The step function: (workflow, state, command, ctx) → new state + effects + history events.
import type { Command } from "./commands.ts";
import type { CompiledWorkflow } from "./compiled.ts";
import type { Effect } from "./effects.ts";
import type { EngineErrorData } from "./errors.ts";
import type { HistoryEvent } from "./events.ts";
import type { ProcessState, StepContext } from "./state.ts";

export type StepOutcome =
	| { ok: true; state: ProcessState; effects: Effect[]; events: HistoryEvent[]; reply?: unknown }
	| { ok: false; error: EngineErrorData };

/** Applies one command to a process. Never mutates `state`; never throws for domain errors. */
export function step(
	_workflow: CompiledWorkflow,
	_state: ProcessState,
	command: Command,
	_ctx: StepContext,
): StepOutcome {
	return {
		ok: false,
		error: { code: "conflict", message: `${command.type}: not implemented yet` },
	};
}
