// Writes a ProcessObject's state into the D1 index (the `processes` and `tasks` tables) that lists
// and inboxes read. Rows carry the object's revision, so a late, older write never overwrites a newer one.
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { processes, tasks } from "../db/schema/index.ts";
import {
	type CompiledWorkflow,
	isStuck,
	isTaskActive,
	type ProcessState,
	processProgress,
	type TaskState,
} from "../engine/index.ts";

export type ProcessRow = typeof processes.$inferInsert;
export type TaskRow = typeof tasks.$inferInsert;

export function processRow(
	workflow: CompiledWorkflow,
	state: ProcessState,
	revision: number,
	startedBy: string | null,
): ProcessRow {
	return {
		id: state.id,
		name: state.name ?? null,
		workflowKey: state.workflow.key,
		workflowVersion: state.workflow.version,
		status: state.status,
		priority: state.priority,
		progress: processProgress(state),
		stuck: isStuck(workflow, state),
		openIncidents: state.incidents.filter((i) => i.resolvedAt === undefined).length,
		activeTasks: state.tasks.filter(isTaskActive).length,
		startedBy,
		parentProcessId: state.parent?.processId ?? null,
		parentTaskId: state.parent?.taskId ?? null,
		createdAt: state.createdAt,
		startedAt: state.startedAt ?? null,
		endedAt: state.endedAt ?? null,
		revision,
	};
}

export function taskRow(
	workflow: CompiledWorkflow,
	state: ProcessState,
	task: TaskState,
	revision: number,
): TaskRow {
	const node = workflow.nodes.get(task.node);
	return {
		id: task.id,
		processId: state.id,
		workflowKey: state.workflow.key,
		node: task.node,
		nodeName: node?.def.name ?? task.node,
		taskType: node?.def.task ?? "",
		status: task.status,
		role: task.role ?? null,
		assignee: task.assignee ?? null,
		priority: task.priority,
		progress: task.progress,
		attempt: task.attempt,
		awaitingInput: task.awaitingInput,
		incident: task.incident ?? null,
		correlationKey: task.correlationKey ?? null,
		createdAt: task.createdAt,
		startedAt: task.startedAt ?? null,
		endedAt: task.endedAt ?? null,
		revision,
	};
}

/** Upserts the process row and the given tasks in one D1 batch (atomic; D1 has no BEGIN). */
export async function writeIndex(
	db: D1Database,
	rows: { process: ProcessRow; tasks: TaskRow[] },
): Promise<void> {
	const d = drizzle(db);
	const { id: _pid, ...processSet } = rows.process;
	const first = d
		.insert(processes)
		.values(rows.process)
		.onConflictDoUpdate({
			target: processes.id,
			set: processSet,
			setWhere: sql`excluded.revision >= ${processes.revision}`,
		});
	// One statement per task: a multi-row insert would pass D1's 100 bound parameters.
	const rest = rows.tasks.map((row) => {
		const { id: _tid, ...taskSet } = row;
		return d
			.insert(tasks)
			.values(row)
			.onConflictDoUpdate({
				target: tasks.id,
				set: taskSet,
				setWhere: sql`excluded.revision >= ${tasks.revision}`,
			});
	});
	await d.batch([first, ...rest]);
}
