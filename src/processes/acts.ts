// The acts on processes that pages, the API and webhooks share: start, submit values, claim,
// retry, revoke, stop, publish a message. Each finds what it acts on through access.ts (the
// ProcessObject, never the index), checks what the adapter decides (permissions, token scopes),
// leaves to the engine what only it can decide (T4, T10, T11), sends one command with its
// idempotency key, and returns the process as it stands after the commit. Errors are thrown as
// EngineError; each door words them.
import type { CurrentUser } from "../auth/current-user.ts";
import { toActor } from "../auth/current-user.ts";
import {
	canActOnTask,
	canClaimTask,
	canPublishMessages,
	canStartWorkflow,
	canStopProcess,
	isAdmin,
	isOwnWork,
} from "../auth/permissions.ts";
import { processStub, type StartedProcess, startProcess } from "../durable/process-client.ts";
import type { ProcessView } from "../durable/process-view.ts";
import { type Command, EngineError, fromErrorData, isTaskActive } from "../engine/index.ts";
import { type Published, publishMessage } from "../messages/publish.ts";
import { taskRef, type VisibleTask, visibleProcess, visibleTask } from "./access.ts";

/** Sends the command; the process after its commit, or the engine's refusal thrown. */
export async function run(
	env: Env,
	processId: string,
	command: Command,
	key: string | undefined,
): Promise<ProcessView> {
	const { answer, view } = await processStub(env, processId).act(command, key);
	if (!answer.ok) throw fromErrorData(answer.error);
	if (!view) throw new EngineError("not_found", "There is no such process.");
	return view;
}

/** `run` for a command on one task: the task and its process after the commit. */
async function runOnTask(
	env: Env,
	processId: string,
	taskId: string,
	command: Command,
	key: string | undefined,
): Promise<VisibleTask> {
	const view = await run(env, processId, command, key);
	const task = view.state.tasks.find((t) => t.id === taskId);
	if (!task) throw new EngineError("not_found", "There is no such task.");
	return { view, task, processId };
}

export interface StartInput {
	workflowKey: string;
	version?: number;
	params?: Record<string, unknown>;
	priority?: number | null;
	name?: string;
	/** S3: the same key names the same process (scoped by the door: page, API, hook). */
	idempotencyKey?: string;
}

/** S1–S3 for a person (page, API): they must be allowed to start the workflow. */
export async function startAs(
	env: Env,
	user: CurrentUser,
	input: StartInput,
): Promise<StartedProcess> {
	if (!canStartWorkflow(user, input.workflowKey)) {
		throw new EngineError("forbidden", `You may not start "${input.workflowKey}".`);
	}
	return startProcess(env, { ...input, startedBy: user.id });
}

/** S1–S3 for a webhook trigger: its signature was its authentication. */
export function startFromTrigger(
	env: Env,
	triggerKey: string,
	input: StartInput,
): Promise<StartedProcess> {
	return startProcess(env, { ...input, startedBy: `hook:${triggerKey}` });
}

/**
 * T4: a person submits values. An active task they may not act on is `forbidden` (also for a token
 * without tasks:write); the engine decides the rest (already_started, T11, invalid_params).
 */
export async function submitValues(
	env: Env,
	user: CurrentUser,
	taskId: string,
	values: Record<string, unknown>,
	key?: string,
	/** The task as the caller just read it for this user (a page reads it for its form). */
	found?: VisibleTask,
): Promise<VisibleTask> {
	const { view, task, processId } = found ?? (await visibleTask(env, user, taskId));
	if (isTaskActive(task) && !canActOnTask(user, taskRef(view, task))) {
		throw new EngineError("forbidden", "You may not act on this task.");
	}
	const command: Command = { type: "SubmitValues", taskId, values, actor: toActor(user) };
	return runOnTask(env, processId, taskId, command, key);
}

/** T3: a member of the task's role takes it; taking one's own task again changes nothing. */
export async function claimTask(
	env: Env,
	user: CurrentUser,
	taskId: string,
): Promise<VisibleTask & { claimed: boolean }> {
	const found = await visibleTask(env, user, taskId);
	const { view, task, processId } = found;
	if (!isTaskActive(task) || view.state.status !== "STARTED") {
		throw new EngineError("conflict", `The task is ${task.status}; it cannot be taken.`);
	}
	const ref = taskRef(view, task);
	if (task.assignee === user.id && canActOnTask(user, ref)) return { ...found, claimed: false };
	if (!canClaimTask(user, ref)) {
		throw new EngineError("forbidden", "Only a member of the task's role may take it.");
	}
	// The engine checks the claim again and records who claimed it in the history.
	const command: Command = { type: "AssignTask", taskId, assignee: user.id, actor: toActor(user) };
	const key = `claim:${taskId}:${user.id}:${task.assignee ?? "none"}`;
	const after = await runOnTask(env, processId, taskId, command, key);
	if (after.task.assignee !== user.id) {
		throw new EngineError("conflict", `The task is ${after.task.status}; it cannot be taken.`);
	}
	return { ...after, claimed: true };
}

/** An admin's act on a task (P8, R4: retry; revoke), keyed so a double click applies once. */
export async function adminTaskAct(
	env: Env,
	user: CurrentUser,
	taskId: string,
	act: "retry" | "revoke",
): Promise<VisibleTask> {
	const { task, processId } = await visibleTask(env, user, taskId);
	if (!isAdmin(user)) throw new EngineError("forbidden", "Only administrators may do this.");
	const command: Command =
		act === "retry"
			? { type: "RetryTask", taskId, actor: toActor(user) }
			: { type: "RevokeTask", taskId, actor: toActor(user) };
	const key = `${act === "retry" ? "retried" : "revoked"}:${taskId}:${task.attempt}:${task.status}`;
	return runOnTask(env, processId, taskId, command, key);
}

/** P3: the starter, an admin or a holder of process.stop stops a running process. */
export async function stopProcess(
	env: Env,
	user: CurrentUser,
	processId: string,
	key: string | undefined,
): Promise<ProcessView> {
	const view = await visibleProcess(env, user, processId);
	if (!canStopProcess(user, { workflowKey: view.state.workflow.key, startedBy: view.startedBy })) {
		throw new EngineError("forbidden", "You may not stop this process.");
	}
	return run(env, processId, { type: "StopProcess", actor: toActor(user) }, key);
}

/**
 * Where a person goes after a submit: the first task of this process, created by their step or
 * still open, that is their own work (their role's queue or assigned to them), read from the
 * process as it stands after the commit, so the lagging index cannot hide it.
 */
export function nextTaskInProcess(
	view: ProcessView,
	user: Pick<CurrentUser, "id" | "roles">,
	afterTaskId: string,
): string | undefined {
	const open = view.state.tasks.filter(
		(t) =>
			t.id !== afterTaskId &&
			t.status === "PENDING" &&
			// Waiting for a person, or for its assignee before it asks (T3); not a job on its way.
			(t.awaitingInput || t.awaitingAssignee === true) &&
			isOwnWork(user, taskRef(view, t)) &&
			(t.assignee === user.id || t.assignee === null || t.assignee === undefined),
	);
	open.sort((a, b) => Number(b.assignee === user.id) - Number(a.assignee === user.id));
	return open[0]?.id;
}

/**
 * An administrator's commands on a process (the incidents page: retry, revoke, assign, resolve,
 * raise the step budget, stop), each with its own key, applied in order. The engine records the
 * admin as the actor of each.
 */
export async function actAsAdmin(
	env: Env,
	user: CurrentUser,
	processId: string,
	commands: { command: Command; key: string }[],
): Promise<ProcessView> {
	let view = await visibleProcess(env, user, processId);
	if (!isAdmin(user)) throw new EngineError("forbidden", "Only administrators may do this.");
	for (const { command, key } of commands) view = await run(env, processId, command, key);
	return view;
}

export interface PublishInput {
	/** The publisher's id for the message: the same id is the same message (N2). */
	messageId: string;
	name: string;
	correlationKey: string;
	payload: unknown;
	ttlSeconds?: number;
}

/** N2, N3 for a person or a token (the API): only admins publish (canPublishMessages). */
export async function publishAs(
	env: Env,
	user: CurrentUser,
	input: PublishInput,
): Promise<Published> {
	if (!canPublishMessages(user)) {
		throw new EngineError("forbidden", "Only administrators may publish messages.");
	}
	const { messageId, ...rest } = input;
	return publishMessage(env, { ...rest, id: `api:${messageId}`, startedBy: user.id });
}

/**
 * N2, N3 for a webhook event trigger: its signature was its authentication. Its messages reach
 * only its own workflow's waiting tasks and message starts, whatever their correlation key.
 */
export function publishFromTrigger(
	env: Env,
	trigger: { key: string; workflowKey: string },
	input: PublishInput,
): Promise<Published> {
	const { messageId, ...rest } = input;
	return publishMessage(env, {
		...rest,
		id: `hook:${trigger.key}:${messageId}`,
		workflowKey: trigger.workflowKey,
		startedBy: `hook:${trigger.key}`,
	});
}
