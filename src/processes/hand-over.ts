// Handing a task on (H2 unclaim, H3 delegate, H4 reassign) for pages and the API: the task must be
// one the user may see (else not_found), the person it goes to is read from D1 with the roles they
// hold now, and whether the user holds `task.reassign` on the workflow is decided here; the engine
// decides the rest and records the hand-over.
import type { CurrentUser } from "../auth/current-user.ts";
import { hasScope, toActor } from "../auth/current-user.ts";
import { hasGrant, isAdmin } from "../auth/permissions.ts";
import { findUserById, listMembers, membershipsOf } from "../db/people.ts";
import type { ProcessView } from "../durable/process-view.ts";
import {
	type Command,
	EngineError,
	type HandOverKind,
	type HandOverTarget,
	isTaskActive,
	type TaskState,
} from "../engine/index.ts";
import { taskRef, type VisibleTask, visibleTask } from "./access.ts";
import { run } from "./acts.ts";

export interface HandOverInput {
	kind: HandOverKind;
	/** The user id it goes to; absent for unclaim, and for a reassign back to the queue. */
	to?: string | null;
	note?: string;
}

/** The user, active, with their roles now; a person who cannot take it is invalid_params. */
async function targetOf(db: D1Database, userId: string): Promise<HandOverTarget> {
	const user = await findUserById(db, userId);
	if (!user?.active) {
		throw new EngineError("invalid_params", "There is no such active person.", {
			fields: { to: "Choose an active member of the task's role." },
		});
	}
	const roles = await membershipsOf(db, userId);
	return { id: user.id, roles: roles.map((r) => r.key) };
}

/** Whether the user may reassign tasks of this workflow (H4): an admin or a role lead's grant. */
export function canReassignIn(user: CurrentUser, workflowKey: string): boolean {
	return isAdmin(user) || hasGrant(user, "task.reassign", workflowKey);
}

export async function handOverTask(
	env: Env,
	user: CurrentUser,
	taskId: string,
	input: HandOverInput,
): Promise<VisibleTask> {
	const { view, processId } = await visibleTask(env, user, taskId);
	if (!hasScope(user, "tasks:write")) {
		throw new EngineError("forbidden", "This token may not hand tasks on.");
	}
	const actor = toActor(user);
	const note = input.note?.trim() ? input.note.trim() : undefined;
	const extra = note ? { note } : {};
	let command: Command;
	if (input.kind === "unclaim") {
		command = { type: "UnclaimTask", taskId, actor, ...extra };
	} else if (input.kind === "delegate") {
		if (!input.to) {
			throw new EngineError("invalid_params", "Choose who takes the task.", {
				fields: { to: "Choose who takes the task." },
			});
		}
		command = {
			type: "DelegateTask",
			taskId,
			to: await targetOf(env.DB, input.to),
			actor,
			...extra,
		};
	} else {
		const to = input.to ? await targetOf(env.DB, input.to) : null;
		const granted = hasGrant(user, "task.reassign", view.state.workflow.key);
		command = { type: "ReassignTask", taskId, to, actor, granted, ...extra };
	}
	// The same hand-over asked again of the same process (a double click) applies once; a refusal is
	// remembered with its key too, so the key holds what may change its answer (revision, grant).
	const granted = command.type === "ReassignTask" && command.granted ? "lead" : "member";
	const key = `handover:${taskId}:${input.kind}:${input.to ?? "queue"}:${user.id}:${granted}:${view.revision}`;
	const after = await run(env, processId, command, key);
	const found = after.state.tasks.find((t) => t.id === taskId);
	if (!found) throw new EngineError("not_found", "There is no such task.");
	return { view: after, task: found, processId };
}

export interface HandOverChoices {
	canUnclaim: boolean;
	/** The people the viewer may delegate to (H3), by name; empty when they may not. */
	delegateTo: { id: string; name: string }[];
	/** The people a reassign may give it to (H4); null when the viewer may not reassign. */
	reassignTo: { id: string; name: string }[] | null;
}

/** What the task page offers the viewer: the same rules as the engine, to show only what works. */
export async function handOverChoices(
	db: D1Database,
	user: CurrentUser,
	view: ProcessView,
	task: TaskState,
): Promise<HandOverChoices> {
	const none: HandOverChoices = { canUnclaim: false, delegateTo: [], reassignTo: null };
	const waits = isTaskActive(task) && task.awaitingInput && !task.awaitingAssignee;
	if (
		!waits ||
		view.state.status !== "STARTED" ||
		view.state.suspended ||
		!hasScope(user, "tasks:write")
	) {
		return none;
	}
	const ref = taskRef(view, task);
	const members = task.role ? (await listMembers(db, task.role)).filter((m) => m.active) : [];
	const others = members
		.filter((m) => m.userId !== task.assignee)
		.map((m) => ({ id: m.userId, name: m.displayName }));
	const actsOn =
		isAdmin(user) ||
		(task.assignee
			? task.assignee === user.id
			: ref.role !== null && user.roles.includes(ref.role));
	return {
		canUnclaim: task.role !== undefined && task.assignee === user.id,
		// Handing a queued task to oneself is a claim, which has its own button.
		delegateTo: task.role && actsOn ? others.filter((m) => m.id !== user.id) : [],
		reassignTo: task.role && canReassignIn(user, view.state.workflow.key) ? others : null,
	};
}
