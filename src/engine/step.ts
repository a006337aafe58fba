// The step function: (workflow, state, command, ctx) → new state + effects + history events.
// It never mutates its input and never throws for a domain error: errors come back as data.
import {
	correctValues,
	raiseStepBudget,
	recordHookFailure,
	recordIncident,
	recordTaskLogCommand,
	resolveIncident,
	retryTaskCommand,
	revokeTaskCommand,
} from "./admin.ts";
import type { Command, CommandType, CompleteReply, FailReply } from "./commands.ts";
import type { CompiledWorkflow } from "./compiled.ts";
import { redispatchJobs } from "./dispatch.ts";
import { Draft } from "./draft.ts";
import type { Effect } from "./effects.ts";
import { stopProcess } from "./ending.ts";
import { EngineError, type EngineErrorData, toErrorData } from "./errors.ts";
import type { HistoryEvent } from "./events.ts";
import { delegateTask, reassignTask, unclaimTask } from "./hand-over.ts";
import { assignTask, submitValues } from "./human.ts";
import { runInlineTasks } from "./inline.ts";
import {
	claimDispatched,
	claimTask,
	completeTask,
	expireLeases,
	extendLock,
	failJob,
	renewLease,
	reportProgress,
} from "./jobs.ts";
import { startProcess } from "./start.ts";
import type { ProcessState, StepContext } from "./state.ts";
import { resumeProcess, suspendProcess, whileSuspended } from "./suspension.ts";
import { activateOnceAssigned } from "./tasks.ts";
import { deliverEvent, deliverMessage, endSubprocess, fireDueTimers, fireTimer } from "./waits.ts";

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
		const held = whileSuspended(d, command);
		if (!held) apply(d, command);
		runInlineTasks(d);
		// T14: after the inline tasks, so the jobs they lead to are among those claimed.
		if (!held && command.type === "CompleteTask" && command.claimNext) {
			d.reply = { next: claimDispatched(d, command.claimNext) } satisfies CompleteReply;
		}
	} catch (error) {
		if (error instanceof EngineError) return { ok: false, error: toErrorData(error) };
		throw error;
	}
	const outcome: StepOutcome = { ok: true, state: d.state, effects: d.effects, events: d.events };
	if (d.reply !== undefined) outcome.reply = d.reply;
	return outcome;
}

type Handlers = { [K in CommandType]: (d: Draft, c: Extract<Command, { type: K }>) => void };

const handlers: Handlers = {
	StartProcess: (d) => startProcess(d),
	StopProcess: (d, c) => stopProcess(d, c.actor?.id),
	ClaimTask: (d, c) => {
		d.reply = claimTask(d, c.taskId, c.attempt, c);
	},
	ExtendLock: (d, c) => extendLock(d, c.taskId, c.attempt, c.lockMs, c.worker),
	CompleteTask: (d, c) => completeTask(d, c.taskId, c.attempt, c.result, c.log),
	FailTask: (d, c) => {
		failJob(d, c.taskId, c.attempt, c.error, c.retryable, c.log);
		d.reply = { status: d.task(c.taskId).status } satisfies FailReply;
	},
	ReportProgress: (d, c) => reportProgress(d, c.taskId, c.attempt, c.progress),
	RenewLease: (d, c) => renewLease(d, c.taskId, c.attempt),
	SubmitValues: (d, c) => submitValues(d, c.taskId, c.values, c.actor),
	RevokeTask: (d, c) => revokeTaskCommand(d, c.taskId, c.actor),
	RetryTask: (d, c) => retryTaskCommand(d, c.taskId, c.actor),
	AssignTask: (d, c) => {
		assignTask(d, c.taskId, c.assignee, c.actor);
		activateOnceAssigned(d, c.taskId);
	},
	UnclaimTask: (d, c) => unclaimTask(d, c.taskId, c.actor, c.note),
	DelegateTask: (d, c) => delegateTask(d, c.taskId, c.to, c.actor, c.note),
	ReassignTask: (d, c) => reassignTask(d, c.taskId, c.to, c.actor, c.granted, c.note),
	FireTimer: (d, c) => fireTimer(d, c.taskId),
	FireDueTimers: (d) => fireDueTimers(d),
	EndSubprocess: (d, c) => endSubprocess(d, c.taskId, c.status, c.results, c.error),
	DeliverEvent: (d, c) => deliverEvent(d, c.taskId, c.payload),
	DeliverMessage: (d, c) => deliverMessage(d, c.taskId, c),
	ExpireLeases: (d) => expireLeases(d),
	RedispatchJobs: (d) => redispatchJobs(d),
	RecordIncident: (d, c) => recordIncident(d, c.kind, c.message, c.taskId),
	RecordHookFailure: (d, c) => recordHookFailure(d, c.taskId, c.hook, c.message),
	RecordTaskLog: (d, c) => recordTaskLogCommand(d, c.taskId, c.attempt, c.lines),
	ResolveIncident: (d, c) => resolveIncident(d, c.incidentId, c.actor),
	RaiseStepBudget: (d, c) => raiseStepBudget(d, c.stepBudget, c.actor),
	SuspendProcess: (d, c) => suspendProcess(d, c.actor, c.reason),
	ResumeProcess: (d, c) => {
		resumeProcess(d, (held) => apply(d, held), c.actor);
		d.reply = undefined;
		// O1: what came due while suspended runs now, in order: timers, then lapsed leases.
		fireDueTimers(d);
		expireLeases(d);
	},
	CorrectValues: (d, c) => correctValues(d, c.values, c.taskId, c.actor),
};

function apply(d: Draft, command: Command): void {
	const handler = handlers[command.type] as (d: Draft, c: Command) => void;
	handler(d, command);
}
