// What the live inbox hears about a task: the few index columns that say whose work it is and
// whether it waits for a person. Built from the index rows the outbox drain writes, so a change is
// announced only after D1 holds it (an inbox refetched on the announcement sees it).

export interface TaskChange {
	taskId: string;
	processId: string;
	status: string;
	role: string | null;
	assignee: string | null;
	awaitingInput: boolean;
	hasIncident: boolean;
}

/** The columns of a task row of the D1 index (TaskRow) read here. */
export interface IndexedTaskColumns {
	id: string;
	processId: string;
	status: string;
	role?: string | null;
	assignee?: string | null;
	awaitingInput?: boolean;
	incident?: string | null;
}

/** The changes worth announcing: tasks that belong to a person or a role (not automated jobs). */
export function taskChangesOf(rows: readonly IndexedTaskColumns[]): TaskChange[] {
	return rows
		.filter((r) => r.role || r.assignee || r.incident)
		.map((r) => ({
			taskId: r.id,
			processId: r.processId,
			status: r.status,
			role: r.role ?? null,
			assignee: r.assignee ?? null,
			awaitingInput: r.awaitingInput === true,
			hasIncident: Boolean(r.incident),
		}));
}

/**
 * Whether `change` is a task this user could work on next: waiting for a person and assigned to
 * them, or unassigned in one of their roles (isOwnWork, as nextTaskInProcess decides it).
 */
export function isNextFor(change: TaskChange, user: { id: string; roles: string[] }): boolean {
	if (change.status !== "PENDING" || !change.awaitingInput) return false;
	if (change.assignee === user.id) return change.role === null || user.roles.includes(change.role);
	return change.assignee === null && change.role !== null && user.roles.includes(change.role);
}
