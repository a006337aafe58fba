// Handing a person's task on (H2–H4): back to its role's queue, to a colleague of the role, or,
// as a grant, to anyone of the role. The adapter says who the new person is and which roles they
// hold, and whether the actor holds the reassign grant; the engine decides who may hand what on.
import type { Actor, HandOverTarget } from "./commands.ts";
import type { Draft } from "./draft.ts";
import { EngineError } from "./errors.ts";
import { canActOn } from "./human.ts";
import { isTaskActive, type TaskState } from "./state.ts";

export type HandOverKind = "unclaim" | "delegate" | "reassign";

/** A note longer than this is refused: it is a line for the history, not a comment. */
export const MAX_HAND_OVER_NOTE = 500;

/** H2: the task's assignee gives it back to its role's queue, unassigned, for any member to claim. */
export function unclaimTask(d: Draft, taskId: string, actor: Actor, note?: string): void {
	const task = handable(d, taskId, note);
	if (task.assignee !== actor.id) {
		throw new EngineError("forbidden", `only the assignee may give task ${taskId} back`);
	}
	if (task.role === undefined) {
		throw new EngineError("conflict", `task ${taskId} has no role to go back to`);
	}
	handOver(d, task, null, "unclaim", actor, note);
}

/**
 * H3: whoever may act on the task (its assignee, a member of its role while it is unassigned, or
 * an admin, T4) hands it to another member of the task's role.
 */
export function delegateTask(
	d: Draft,
	taskId: string,
	to: HandOverTarget,
	actor: Actor,
	note?: string,
): void {
	const task = handable(d, taskId, note);
	if (!canActOn(task, actor)) {
		throw new EngineError("forbidden", `${actor.id} may not hand task ${taskId} on`);
	}
	if (task.role === undefined) {
		throw new EngineError("conflict", `task ${taskId} has no role to delegate within`);
	}
	checkTarget(task, to);
	handOver(d, task, to.id, "delegate", actor, note);
}

/**
 * H4: an admin, or a holder of the reassign grant on the workflow (`granted`, checked by the
 * adapter), gives the task to a member of its role (anyone, for a task without a role), or back
 * to the queue (`to` null).
 */
export function reassignTask(
	d: Draft,
	taskId: string,
	to: HandOverTarget | null,
	actor: Actor,
	granted: boolean,
	note?: string,
): void {
	if (!actor.isAdmin && !granted) {
		throw new EngineError("forbidden", `${actor.id} may not reassign task ${taskId}`);
	}
	const task = handable(d, taskId, note);
	if (to === null && task.role === undefined) {
		throw new EngineError("conflict", `task ${taskId} has no role to go back to`);
	}
	if (to !== null) checkTarget(task, to);
	handOver(d, task, to?.id ?? null, "reassign", actor, note);
}

/**
 * A task waiting for a person (T2) in a running process, with a note of a sensible length. A job
 * already running belongs to nobody's hands any more.
 */
function handable(d: Draft, taskId: string, note: string | undefined): TaskState {
	const task = d.task(taskId);
	if (!isTaskActive(task) || !task.awaitingInput || d.state.status !== "STARTED") {
		throw new EngineError(
			"conflict",
			`task ${taskId} is ${task.status}${task.awaitingInput ? "" : ", not waiting for a person"}; it cannot be handed on`,
		);
	}
	if (task.awaitingAssignee) {
		// T3: the automatic pick is on its way and would overwrite a hand-over made before it.
		throw new EngineError("conflict", `task ${taskId} is still being assigned; try again`);
	}
	if (note !== undefined && note.length > MAX_HAND_OVER_NOTE) {
		throw new EngineError("invalid_params", "the note is too long", {
			fields: { note: `At most ${MAX_HAND_OVER_NOTE} characters.` },
		});
	}
	return task;
}

function checkTarget(task: TaskState, to: HandOverTarget): void {
	if (task.role !== undefined && !to.roles.includes(task.role)) {
		throw new EngineError("invalid_params", `${to.id} is not a member of ${task.role}`, {
			fields: { to: "Choose a member of the task's role." },
		});
	}
	if (to.id === task.assignee) {
		throw new EngineError("invalid_params", `the task is already ${to.id}'s`, {
			fields: { to: "The task is already theirs." },
		});
	}
}

/** Records the hand-over as an assignment, so every reader of assignments sees it (T3). */
function handOver(
	d: Draft,
	task: TaskState,
	assignee: string | null,
	kind: HandOverKind,
	actor: Actor,
	note: string | undefined,
): void {
	const from = task.assignee ?? null;
	task.assignee = assignee;
	const data: Record<string, unknown> = { assignee, from, handOver: kind };
	if (note?.trim()) data.note = note.trim();
	d.log("TaskAssigned", task, data, actor.id);
}
