// The step function: (workflow, state, command, ctx) → new state + effects + history events.
// It never mutates its input and never throws for a domain error: errors come back as data.
import {
	raiseStepBudget,
	recordIncident,
	resolveIncident,
	retryTaskCommand,
	revokeTaskCommand,
} from "./admin.ts";
import type { Command } from "./commands.ts";
import type { CompiledWorkflow } from "./compiled.ts";
import { Draft } from "./draft.ts";
import type { Effect } from "./effects.ts";
import { stopProcess } from "./ending.ts";
import { EngineError, type EngineErrorData, toErrorData } from "./errors.ts";
import type { HistoryEvent } from "./events.ts";
import { assignTask, submitValues } from "./human.ts";
import { claimTask, completeTask, expireLeases, failJob, reportProgress } from "./jobs.ts";
import { startProcess } from "./start.ts";
import type { ProcessState, StepContext } from "./state.ts";
import { deliverEvent, endSubprocess, fireTimer } from "./waits.ts";

export type StepOutcome =
	| { ok: true; state: ProcessState; effects: Effect[]; events: HistoryEvent[]; reply?: unknown }
	| { ok: false; error: EngineErrorData };

/** Applies one command to a process. Domain errors leave the state untouched (ok: false). */
export function step(
	workflow: CompiledWorkflow,
	state: ProcessState,
	command: Command,
	ctx: StepContext,
): StepOutcome {
	const d = new Draft(workflow, state, ctx);
	try {
		apply(d, command);
	} catch (error) {
		if (error instanceof EngineError) return { ok: false, error: toErrorData(error) };
		throw error;
	}
	const outcome: StepOutcome = { ok: true, state: d.state, effects: d.effects, events: d.events };
	if (d.reply !== undefined) outcome.reply = d.reply;
	return outcome;
}

function apply(d: Draft, c: Command): void {
	switch (c.type) {
		case "StartProcess":
			return startProcess(d);
		case "StopProcess":
			return stopProcess(d, c.actor?.id);
		case "ClaimTask":
			d.reply = claimTask(d, c.taskId, c.attempt);
			return;
		case "CompleteTask":
			return completeTask(d, c.taskId, c.attempt, c.result);
		case "FailTask":
			return failJob(d, c.taskId, c.attempt, c.error, c.retryable);
		case "ReportProgress":
			return reportProgress(d, c.taskId, c.attempt, c.progress);
		case "SubmitValues":
			return submitValues(d, c.taskId, c.values, c.actor);
		case "RevokeTask":
			return revokeTaskCommand(d, c.taskId, c.actor);
		case "RetryTask":
			return retryTaskCommand(d, c.taskId, c.actor);
		case "AssignTask":
			return assignTask(d, c.taskId, c.assignee, c.actor);
		case "FireTimer":
			return fireTimer(d, c.taskId);
		case "EndSubprocess":
			return endSubprocess(d, c.taskId, c.status, c.results);
		case "DeliverEvent":
			return deliverEvent(d, c.taskId, c.payload);
		case "ExpireLeases":
			return expireLeases(d);
		case "RecordIncident":
			return recordIncident(d, c.kind, c.message, c.taskId);
		case "ResolveIncident":
			return resolveIncident(d, c.incidentId, c.actor);
		case "RaiseStepBudget":
			return raiseStepBudget(d, c.stepBudget, c.actor);
	}
}
