// Task creation and activation (T1–T3): a new task per firing, its assignee asked for, its merged
// params checked; then, by execution mode, dispatched, started, or left waiting for a person. A
// multi-instance node gets a body and its instances (M1), a host gets its boundary listeners (B1).
import { hasBudget, noteBudgetExhausted } from "./budget.ts";
import { clearDispatch, dispatchJob, offerTask } from "./dispatch.ts";
import type { Draft } from "./draft.ts";
import { childProcessIdOf, taskIdOf } from "./ids.ts";
import { messageIdOf, messageWaitOf, outgoingMessageOf } from "./messages.ts";
import { collectionOf, instanceParams } from "./multi-instance.ts";
import { checkParams, formSchema, mergeParams } from "./params.ts";
import { lazyScope } from "./process-scope.ts";
import { type Arrival, isTaskActive, type TaskState } from "./state.ts";
import { isRetriedMode } from "./task-type-spec.ts";
import { instantOf, planTimer } from "./timers.ts";

/**
 * The longest one attempt of a job may run: its worker's abort signal fires then and it stops
 * renewing the lease. Also an external task's lock when its worker asks for none (K1).
 */
export const LEASE_MS = 5 * 60_000;
/**
 * A job's lease from its claim (from the queue, or with a completion, T14), renewed by its worker
 * (RenewLease, ReportProgress) while the job runs. It is short so that the job of a worker that
 * died is a new attempt within seconds (T6): no queue redelivery can be counted on for it (a job
 * claimed with a completion had no message, and a lost message is not redelivered).
 */
export const CLAIM_LEASE_MS = 30_000;

/** Where a new task stands: its scope instance, host, multi-instance body, preset timer. */
export interface Placement {
	/** C1: the scope task instance it runs in (default: that of the arrivals that fired it). */
	scope?: string;
	/** B1: the host task of a boundary listener. */
	boundaryOf?: string;
	/** M1: the body of an instance, its index and its item's params. */
	instanceOf?: string;
	instanceIndex?: number;
	params?: Record<string, unknown>;
	/** B3: the next firing of a cycle: its due time and what remains after it. */
	timer?: { dueAt: number; cycle: { remaining: number | null; everyMs: number } };
	/** B4: an error boundary that caught: started, never activated; the caller ends it. */
	catches?: boolean;
}

/**
 * Creates one task of `nodeKey` (a firing) and activates it; returns undefined when the step
 * budget is spent (P7), in which case the caller keeps its arrivals.
 */
export function createTask(
	d: Draft,
	nodeKey: string,
	firedBy: Arrival[],
	place: Placement = {},
): TaskState | undefined {
	if (!hasBudget(d)) {
		noteBudgetExhausted(d);
		return undefined;
	}
	const node = d.node(nodeKey);
	const state = d.state;
	state.seq += 1;
	state.stepsUsed += 1;
	const nodePriority = node.def.priority;
	const task: TaskState = {
		id: taskIdOf(state.id, state.seq),
		node: nodeKey,
		status: "PENDING",
		attempt: 1,
		maxAttempts: isRetriedMode(node.spec.mode) ? 1 + node.spec.retry.limit : 1,
		priority:
			nodePriority === undefined ? state.priority : Math.floor((nodePriority + state.priority) / 2),
		params: place.params ? { ...place.params } : {},
		requiredFields: [],
		awaitingInput: false,
		progress: 0,
		createdAt: d.now,
		firedBy,
	};
	applyPlacement(d, task, firedBy, placeOr(place, firedBy));
	state.tasks.push(task);
	d.adopt(task);
	d.log("TaskCreated", task, createdData(task, firedBy));
	setDates(d, task);
	const isBody = node.def.multiInstance !== undefined && task.instanceOf === undefined;
	if (place.catches) {
		markStarted(d, task);
	} else if (node.def.role !== undefined && task.boundaryOf === undefined && !isBody) {
		// T3: the assignee is picked when the task is created, and the task is activated (run,
		// dispatched, inlined, or its input requested) once the answer is recorded.
		task.role = node.def.role;
		task.assignee = null;
		task.awaitingAssignee = true;
		d.emit({ type: "PickAssignee", taskId: task.id, role: node.def.role });
	} else {
		activateTask(d, task);
	}
	if (isTaskActive(task) && task.instanceOf === undefined) listen(d, task);
	return task;
}

function placeOr(place: Placement, firedBy: Arrival[]): Placement {
	if (place.scope !== undefined || firedBy[0]?.scope === undefined) return place;
	return { ...place, scope: firedBy[0].scope };
}

/** Copies the placement onto the task; E1: a wait fired by an event-based gateway joins its race. */
function applyPlacement(d: Draft, task: TaskState, firedBy: Arrival[], at: Placement): void {
	if (at.scope !== undefined) task.scope = at.scope;
	if (at.boundaryOf !== undefined) task.boundaryOf = at.boundaryOf;
	if (at.instanceOf !== undefined) {
		task.instanceOf = at.instanceOf;
		task.instanceIndex = at.instanceIndex ?? 0;
	}
	if (at.timer) {
		task.timerDueAt = at.timer.dueAt;
		task.cycle = { ...at.timer.cycle };
	}
	const via = firedBy.length === 1 ? firedBy[0] : undefined;
	if (via && d.workflow.transitions[via.transition]) {
		const from = d.workflow.nodes.get(d.workflow.transitions[via.transition]?.from ?? "");
		if (from?.split === "event") task.raceOf = via.fromTask;
	}
}

function createdData(task: TaskState, firedBy: Arrival[]): Record<string, unknown> {
	const data: Record<string, unknown> = { firedBy: firedBy.map((a) => a.id) };
	if (task.boundaryOf !== undefined) data.boundaryOf = task.boundaryOf;
	if (task.instanceOf !== undefined) data.instance = task.instanceIndex;
	if (task.scope !== undefined) data.scope = task.scope;
	return data;
}

/** What FEEL in a task's settings sees: its merged params, the process and its variables (R5). */
export function feelScope(d: Draft, task: TaskState): Record<string, unknown> {
	return lazyScope({}, d.workflow, d.state, () => mergeParams(d.workflow, d.state, task));
}

/** H1: the due and follow-up dates of a task of a node that sets them. */
function setDates(d: Draft, task: TaskState): void {
	const def = d.node(task.node).def;
	if (def.due === undefined && def.followUp === undefined) return;
	const scope = feelScope(d, task);
	for (const [setting, field] of [
		[def.due, "dueAt"],
		[def.followUp, "followUpAt"],
	] as const) {
		if (setting === undefined) continue;
		const at = instantOf(setting, scope, d.now, "duration");
		if (at.ok) task[field] = at.at;
		else
			d.raiseIncident(
				"expression",
				`${field === "dueAt" ? "due" : "followUp"}: ${at.message}`,
				task,
			);
	}
}

/**
 * M1: the body of a multi-instance node is STARTED at once and creates its instances: all of them,
 * or the first when sequential. A collection that is not a list fails it; an empty one succeeds
 * with an empty list.
 */
function startBody(d: Draft, body: TaskState): void {
	const mi = d.node(body.node).def.multiInstance;
	if (!mi) return;
	markStarted(d, body);
	const collection = collectionOf(mi, feelScope(d, body));
	if (!collection.ok) {
		d.inlineRuns.push({
			taskId: body.id,
			kind: "fail",
			error: { message: collection.message, code: "NOT_A_LIST" },
		});
		return;
	}
	const items = collection.items;
	body.multi = { items, created: 0, completed: 0, results: items.map(() => null) };
	d.log("InstancesCreated", body, { total: items.length, sequential: mi.sequential === true });
	if (items.length === 0) {
		d.inlineRuns.push({ taskId: body.id, kind: "succeed", result: [] });
		return;
	}
	const first = mi.sequential ? 1 : items.length;
	for (let i = 0; i < first; i++) createInstance(d, body);
}

/** M1: the next instance of a body, with its item in its params. */
export function createInstance(d: Draft, body: TaskState): TaskState | undefined {
	const mi = d.node(body.node).def.multiInstance;
	const multi = body.multi;
	if (!mi || !multi || multi.created >= multi.items.length) return undefined;
	const index = multi.created;
	multi.created += 1;
	const place: Placement = {
		instanceOf: body.id,
		instanceIndex: index,
		params: instanceParams(mi, multi.items[index], index),
	};
	if (body.scope !== undefined) place.scope = body.scope;
	return createTask(d, body.node, [], place);
}

/** B1: a host's timer and message boundaries start listening when it is created (or retried). */
export function listen(d: Draft, host: TaskState): void {
	for (const key of d.node(host.node).boundaries) {
		if (d.node(key).spec.mode === "error") continue; // B4: created only when it catches
		createListener(d, host, key);
	}
}

/** B1: one listener task of boundary node `key` on `host`. */
export function createListener(
	d: Draft,
	host: TaskState,
	key: string,
	timer?: Placement["timer"],
): TaskState | undefined {
	const place: Placement = { boundaryOf: host.id };
	if (host.scope !== undefined) place.scope = host.scope;
	if (timer) place.timer = timer;
	return createTask(d, key, [], place);
}

/** T3: the first assignment (a person, or nobody for an empty role) activates a waiting task. */
export function activateOnceAssigned(d: Draft, taskId: string): void {
	const task = d.task(taskId);
	if (!task.awaitingAssignee) return;
	if (d.state.status !== "STARTED" || !isTaskActive(task)) return;
	delete task.awaitingAssignee;
	activateTask(d, task);
}

/** T2: merged params valid → run by mode; otherwise wait PENDING for the fields still required. */
export function activateTask(d: Draft, task: TaskState): void {
	const node = d.node(task.node);
	if (node.def.multiInstance && task.instanceOf === undefined) {
		startBody(d, task);
		return;
	}
	const spec = node.spec;
	const merged = mergeParams(d.workflow, d.state, task);
	if (spec.mode === "input") {
		const check = checkParams(formSchema(spec, merged), merged);
		requestInput(d, task, check.ok ? [] : check.requiredFields);
		return;
	}
	const check = checkParams(spec.params, merged);
	if (!check.ok) {
		requestInput(d, task, check.requiredFields);
		return;
	}
	runTask(d, task, check.params);
}

function requestInput(d: Draft, task: TaskState, requiredFields: string[]): void {
	task.requiredFields = requiredFields;
	task.awaitingInput = true;
	const effect: { type: "RequestInput"; taskId: string; role?: string; requiredFields: string[] } =
		{ type: "RequestInput", taskId: task.id, requiredFields: [...requiredFields] };
	if (task.role !== undefined) effect.role = task.role;
	d.emit(effect);
	d.log("InputRequested", task, { requiredFields });
}

/** Sets a task with valid params going, by its task type's execution mode. */
export function runTask(d: Draft, task: TaskState, params: Record<string, unknown>): void {
	const spec = d.node(task.node).spec;
	task.requiredFields = [];
	task.awaitingInput = false;
	switch (spec.mode) {
		case "input":
			return;
		case "external":
			offerTask(d, task, 0);
			return;
		case "job":
			// T9: a pure job on an inline node runs in this step, once the command itself is done.
			if (d.node(task.node).def.inline && spec.runInline) {
				d.inlineRuns.push({ taskId: task.id, kind: "run" });
			} else dispatchJob(d, task, 0);
			return;
		case "timer":
			startTimer(d, task, params);
			return;
		case "subprocess":
			startSubprocess(d, task, params);
			return;
		case "message":
			startMessageWait(d, task, params);
			return;
		case "send":
			sendMessage(d, task, params);
			return;
		case "error":
			// X1: an error end event throws its code; the step fails the task once the command is done.
			markStarted(d, task);
			d.inlineRuns.push({
				taskId: task.id,
				kind: "fail",
				error: {
					message: String(params.message ?? `error ${String(params.code ?? "")} thrown`).trim(),
					...(typeof params.code === "string" ? { code: params.code } : {}),
				},
			});
			return;
		case "scope":
			enterScope(d, task);
			return;
	}
}

function fail(d: Draft, task: TaskState, message: string, code: string): void {
	d.inlineRuns.push({ taskId: task.id, kind: "fail", error: { message, code } });
}

/** B3: a `wait` task or timer listener: due per its params (or preset for a cycle's next firing). */
function startTimer(d: Draft, task: TaskState, params: Record<string, unknown>): void {
	markStarted(d, task);
	if (task.timerDueAt !== undefined) {
		d.log("TimerSet", task, { dueAt: task.timerDueAt, cycle: task.cycle });
		return;
	}
	const host = task.boundaryOf === undefined ? undefined : d.task(task.boundaryOf);
	const plan = planTimer(params, feelScope(d, task), d.now, host);
	if (!plan.ok) {
		fail(d, task, plan.message, "TIMER_INVALID");
		return;
	}
	if (plan.cycle) task.cycle = plan.cycle;
	// A timer at a due date the host does not have never fires: it waits with its host.
	if (plan.dueAt === null) return;
	task.timerDueAt = plan.dueAt;
	d.emit({ type: "SetTimer", taskId: task.id, dueAt: plan.dueAt });
	d.log("TimerSet", task, { dueAt: plan.dueAt, ...(plan.cycle ? { cycle: plan.cycle } : {}) });
}

function startSubprocess(d: Draft, task: TaskState, params: Record<string, unknown>): void {
	const childProcessId = childProcessIdOf(task.id, task.attempt);
	markStarted(d, task);
	task.childProcessId = childProcessId;
	const effect: Extract<Parameters<Draft["emit"]>[0], { type: "StartSubprocess" }> = {
		type: "StartSubprocess",
		taskId: task.id,
		childProcessId,
		workflow: String(params.workflow),
		params: isRecord(params.params) ? { ...params.params } : {},
		priority: task.priority,
	};
	if (typeof params.version === "number") effect.version = params.version;
	d.emit(effect);
	d.log("SubprocessStarted", task, { childProcessId, workflow: effect.workflow });
}

/**
 * N1: a `message` wait subscribes to its name and key. S4: a start node of a process started by
 * a message of its name takes that message at once.
 */
function startMessageWait(d: Draft, task: TaskState, params: Record<string, unknown>): void {
	markStarted(d, task);
	const started = d.state.startMessage;
	const node = d.node(task.node);
	if (started && node.def.start && node.scope === undefined && started.name === params.message) {
		d.log("MessageReceived", task, { messageId: started.id, name: started.name, start: true });
		d.inlineRuns.push({ taskId: task.id, kind: "succeed", result: started.payload ?? null });
		return;
	}
	const wait = messageWaitOf(params, feelScope(d, task));
	if (!wait.ok) {
		fail(d, task, wait.message, "CORRELATION_KEY_INVALID");
		return;
	}
	task.message = wait.value;
	task.correlationKey = wait.value.correlationKey;
	d.emit({ type: "Subscribe", taskId: task.id, ...wait.value });
}

/** N2: a `send` task publishes its message and succeeds with its id, in this step. */
function sendMessage(d: Draft, task: TaskState, params: Record<string, unknown>): void {
	markStarted(d, task);
	const out = outgoingMessageOf(params, feelScope(d, task));
	if (!out.ok) {
		fail(d, task, out.message, "MESSAGE_INVALID");
		return;
	}
	const messageId = messageIdOf(task.id, task.attempt);
	const { ttlSeconds, ...message } = out.value;
	d.emit({
		type: "PublishMessage",
		taskId: task.id,
		messageId,
		...message,
		...(ttlSeconds === undefined ? {} : { ttlSeconds }),
	});
	d.log("MessagePublished", task, {
		messageId,
		name: message.name,
		correlationKey: message.correlationKey,
	});
	d.inlineRuns.push({ taskId: task.id, kind: "succeed", result: messageId });
}

/** C1: a scope task is STARTED and its inner start nodes fire inside it. */
function enterScope(d: Draft, task: TaskState): void {
	markStarted(d, task);
	const starts = d.node(task.node).innerStarts;
	d.log("ScopeEntered", task, { starts });
	for (const key of starts) createTask(d, key, [], { scope: task.id });
}

/** T5: the task is running. */
export function markStarted(d: Draft, task: TaskState): void {
	task.status = "STARTED";
	task.startedAt ??= d.now;
	clearDispatch(task);
	d.log("TaskStarted", task, { attempt: task.attempt });
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
