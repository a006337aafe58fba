// O1: suspending a process. While suspended nothing starts, fires or is accepted from people:
// completions, messages and a child's end that arrive are held in the state and applied on
// resume, in order; time-driven work waits (the alarm sleeps); people and admins get a clear
// `suspended` refusal. The process keeps its status (STARTED): suspension is a state of it.
import type { Actor, Command, CommandType } from "./commands.ts";
import { dispatchJob, isAwaitingClaim, offerTask } from "./dispatch.ts";
import type { Draft } from "./draft.ts";
import { EngineError } from "./errors.ts";
import type { TaskState } from "./state.ts";

/** What a suspended process does with each command. */
type Verdict = "run" | "hold" | "refuse" | "idle";

const WHILE_SUSPENDED: Record<CommandType, Verdict> = {
	StartProcess: "run",
	StopProcess: "run",
	ClaimTask: "idle",
	CompleteTask: "hold",
	FailTask: "hold",
	RecordTaskLog: "run",
	ReportProgress: "run",
	RenewLease: "run",
	ExtendLock: "run",
	SubmitValues: "refuse",
	RevokeTask: "run",
	RetryTask: "refuse",
	AssignTask: "hold",
	UnclaimTask: "refuse",
	DelegateTask: "refuse",
	ReassignTask: "refuse",
	FireTimer: "idle",
	FireDueTimers: "idle",
	EndSubprocess: "hold",
	DeliverEvent: "hold",
	DeliverMessage: "hold",
	ExpireLeases: "idle",
	RedispatchJobs: "idle",
	RecordIncident: "run",
	RecordHookFailure: "run",
	ResolveIncident: "run",
	RaiseStepBudget: "refuse",
	SuspendProcess: "refuse",
	ResumeProcess: "run",
	CorrectValues: "run",
};

/**
 * O1: a command reaching a suspended process. Returns true when it was dealt with here (held,
 * idled or refused by a throw); false when it runs as usual.
 */
export function whileSuspended(d: Draft, command: Command): boolean {
	const suspended = d.state.suspended;
	if (!suspended) return false;
	const verdict = WHILE_SUSPENDED[command.type];
	if (verdict === "run") return false;
	if (verdict === "refuse") {
		throw new EngineError(
			"suspended",
			`process ${d.state.id} is suspended${suspended.by ? ` by ${suspended.by}` : ""}${suspended.reason ? ` (${suspended.reason})` : ""}: nothing can be done in it until it is resumed`,
		);
	}
	if (command.type === "ClaimTask") {
		// A worker must not run a task of a suspended process; its dispatch is sent again on resume.
		d.reply = { run: false, reason: "suspended" };
		return true;
	}
	if (verdict === "hold") hold(d, command);
	return true;
}

function hold(d: Draft, command: Command): void {
	if (command.type === "DeliverMessage") {
		// N1: taken now if the task waits for it and nothing was held for it yet; applied on resume.
		const task = d.state.tasks.find((t) => t.id === command.taskId);
		const taken = (d.state.held ?? []).some(
			(h) => h.command.type === "DeliverMessage" && h.command.taskId === command.taskId,
		);
		const waits =
			task?.status === "STARTED" &&
			task.message?.name === command.name &&
			task.message.correlationKey === command.correlationKey;
		d.reply = { delivered: Boolean(waits && !taken) };
		if (!waits || taken) return;
	}
	if (command.type === "FailTask") {
		const task = d.state.tasks.find((t) => t.id === command.taskId);
		d.reply = { status: task?.status ?? "STARTED" };
	}
	d.state.held = [...(d.state.held ?? []), { command, at: d.now }];
}

/** O1: a running process is suspended by an admin; refused when it is not running. */
export function suspendProcess(d: Draft, actor?: Actor, reason?: string): void {
	if (actor && !actor.isAdmin) throw new EngineError("forbidden", "only an admin may suspend");
	if (d.state.status !== "STARTED") {
		throw new EngineError("not_running", `process ${d.state.id} is ${d.state.status}, not running`);
	}
	if (d.state.suspended) {
		throw new EngineError("conflict", `process ${d.state.id} is already suspended`);
	}
	d.state.suspended = { at: d.now };
	if (actor) d.state.suspended.by = actor.id;
	if (reason) d.state.suspended.reason = reason;
	d.log("ProcessSuspended", undefined, reason ? { reason } : {}, actor?.id);
}

/**
 * O1: the process goes on. What was held runs first, in the order it came; then the jobs whose
 * claim was turned away are sent again (G3 makes a duplicate harmless), and the timers that came
 * due and the leases that lapsed meanwhile are handled by the caller's usual due work.
 */
export function resumeProcess(d: Draft, run: (command: Command) => void, actor?: Actor): void {
	if (actor && !actor.isAdmin) throw new EngineError("forbidden", "only an admin may resume");
	if (!d.state.suspended) {
		throw new EngineError("conflict", `process ${d.state.id} is not suspended`);
	}
	const since = d.state.suspended.at;
	const held = d.state.held ?? [];
	delete d.state.suspended;
	delete d.state.held;
	d.log("ProcessResumed", undefined, { since, held: held.map((h) => h.command.type) }, actor?.id);
	for (const { command } of held) {
		if (d.state.status !== "STARTED") return;
		run(command);
	}
	for (const task of d.state.tasks) {
		if (d.state.status !== "STARTED") return;
		const mode = d.node(task.node).spec.mode;
		if (isAwaitingClaim(task) && mode === "job") {
			dispatchJob(d, d.editable(task), 0);
		} else if (mode === "external" && waitsForWorker(task)) {
			// K1: its board set the offer aside when a fetch was turned away; offered again now.
			offerTask(d, d.editable(task), 0);
		}
	}
}

function waitsForWorker(task: TaskState): boolean {
	return (
		(task.status === "PENDING" || task.status === "RETRY") &&
		!task.awaitingInput &&
		task.awaitingAssignee !== true
	);
}
