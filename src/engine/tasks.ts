// Task creation and activation (T1–T3): a new task per firing, its assignee asked for, its merged
// params checked; then, by execution mode, dispatched, started, or left waiting for a person.
import { hasBudget, noteBudgetExhausted } from "./budget.ts";
import { clearDispatch, dispatchJob } from "./dispatch.ts";
import type { Draft } from "./draft.ts";
import { timerDueAt } from "./duration.ts";
import { childProcessIdOf, taskIdOf } from "./ids.ts";
import { checkParams, formSchema, mergeParams } from "./params.ts";
import { type Arrival, isTaskActive, type TaskState } from "./state.ts";

/** How long a claimed job may run without reporting progress before it is re-dispatched. */
export const LEASE_MS = 5 * 60_000;

/**
 * Creates one task of `nodeKey` (a firing) and activates it; returns undefined when the step
 * budget is spent (P7), in which case the caller keeps its arrivals.
 */
export function createTask(d: Draft, nodeKey: string, firedBy: Arrival[]): TaskState | undefined {
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
		maxAttempts: node.spec.mode === "job" ? 1 + node.spec.retry.limit : 1,
		priority:
			nodePriority === undefined ? state.priority : Math.floor((nodePriority + state.priority) / 2),
		params: {},
		requiredFields: [],
		awaitingInput: false,
		progress: 0,
		createdAt: d.now,
		firedBy,
	};
	state.tasks.push(task);
	d.adopt(task);
	d.log("TaskCreated", task, { firedBy: firedBy.map((a) => a.id) });
	if (node.def.role !== undefined) {
		// T3: the assignee is picked when the task is created, and the task is activated (run,
		// dispatched, inlined, or its input requested) once the answer is recorded.
		task.role = node.def.role;
		task.assignee = null;
		task.awaitingAssignee = true;
		d.emit({ type: "PickAssignee", taskId: task.id, role: node.def.role });
		return task;
	}
	activateTask(d, task);
	return task;
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
	const spec = d.node(task.node).spec;
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
		case "job":
			// T9: a pure job on an inline node runs in this step, once the command itself is done.
			if (d.node(task.node).def.inline && spec.runInline) d.inlineRuns.push(task.id);
			else dispatchJob(d, task, 0);
			return;
		case "timer": {
			const dueAt = timerDueAt(params, d.now) ?? d.now;
			markStarted(d, task);
			task.timerDueAt = dueAt;
			d.emit({ type: "SetTimer", taskId: task.id, dueAt });
			d.log("TimerSet", task, { dueAt });
			return;
		}
		case "subprocess": {
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
			return;
		}
		case "message": {
			markStarted(d, task);
			const wait = {
				name: String(params.message ?? "event"),
				correlationKey: String(params.correlationKey ?? ""),
			};
			task.message = wait;
			task.correlationKey = wait.correlationKey;
			d.emit({ type: "Subscribe", taskId: task.id, ...wait });
			return;
		}
		case "send":
		case "error":
		case "scope":
			throw new Error(`mode ${spec.mode} is not runnable yet`);
	}
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
