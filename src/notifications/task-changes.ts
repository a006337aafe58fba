// The hook the D1 index writer calls after it wrote a process's task rows: the rows that now wait
// for a person (assigned to one, or unheld in a role's queue) are queued for the notification
// consumer, which turns them into notices (record.ts). It runs in the ProcessObject's outbox drain,
// after the step's answer, so it never delays the step; it is one queue send, and nothing when no
// row waits for a person. Replays are harmless: each notice is stored once, by its key.
import type { ChangedTask, NotifyQueue } from "./messages.ts";

/** The index columns this hook reads. */
export interface TaskChange {
	id: string;
	nodeName: string;
	status: string;
	role?: string | null;
	assignee?: string | null;
	awaitingInput: boolean;
}

const ACTIVE = new Set(["PENDING", "STARTED", "RETRY"]);

/** The rows a person must act on: active and awaiting their input. */
export function tasksToTell(rows: readonly TaskChange[]): ChangedTask[] {
	return rows
		.filter((r) => ACTIVE.has(r.status) && r.awaitingInput && (r.assignee || r.role))
		.map((r) => ({
			id: r.id,
			nodeName: r.nodeName,
			role: r.role ?? null,
			assignee: r.assignee ?? null,
		}));
}

export async function noteTaskChanges(
	env: { NOTIFY: NotifyQueue },
	changes: {
		process: { id: string; name?: string | null };
		tasks: readonly TaskChange[];
	},
): Promise<void> {
	const tasks = tasksToTell(changes.tasks);
	if (tasks.length === 0) return;
	// At most 100 rows per message (the schema's bound); a process rarely has more at once.
	for (let i = 0; i < tasks.length; i += 100) {
		await env.NOTIFY.send({
			type: "tasks",
			processId: changes.process.id,
			processName: changes.process.name ?? null,
			tasks: tasks.slice(i, i + 100),
		});
	}
}
