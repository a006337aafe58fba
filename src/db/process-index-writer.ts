// Writes a ProcessObject's state into the D1 index (the `processes` and `tasks` tables) that lists
// and inboxes read. Rows carry the object's revision, so a late, older write never overwrites a newer one.
import { getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import {
	type CompiledWorkflow,
	isStuck,
	isTaskActive,
	type NodeDefinition,
	type ProcessState,
	processProgress,
	type TaskState,
} from "../engine/index.ts";
import { processes, tasks } from "./schema/index.ts";

export type ProcessRow = typeof processes.$inferInsert;
export type TaskRow = typeof tasks.$inferInsert;

/**
 * A process's index columns (all but the revision) from the object's state, with what the object
 * derives from its workflow (progress, stuck) and keeps beside the state (who started it). The
 * writer's rows and the API's process shape are both built here.
 */
export function indexedProcess(
	state: ProcessState,
	derived: { progress: number; stuck: boolean; startedBy: string | null },
): Omit<typeof processes.$inferSelect, "revision"> {
	return {
		id: state.id,
		name: state.name ?? null,
		workflowKey: state.workflow.key,
		workflowVersion: state.workflow.version,
		status: state.status,
		priority: state.priority,
		progress: derived.progress,
		stuck: derived.stuck,
		openIncidents: state.incidents.filter((i) => i.resolvedAt === undefined).length,
		activeTasks: state.tasks.filter(isTaskActive).length,
		startedBy: derived.startedBy,
		parentProcessId: state.parent?.processId ?? null,
		parentTaskId: state.parent?.taskId ?? null,
		createdAt: state.createdAt,
		startedAt: state.startedAt ?? null,
		endedAt: state.endedAt ?? null,
		suspendedAt: state.suspended?.at ?? null,
	};
}

export function processRow(
	workflow: CompiledWorkflow,
	state: ProcessState,
	revision: number,
	startedBy: string | null,
): ProcessRow {
	const derived = { progress: processProgress(state), stuck: isStuck(workflow, state), startedBy };
	return { ...indexedProcess(state, derived), revision };
}

/**
 * A task's index columns (all but the revision) from the object's state; `node` is the task's node
 * definition. The writer's rows and the API's task shape are both built here.
 */
export function indexedTask(
	state: ProcessState,
	task: TaskState,
	node: NodeDefinition | undefined,
): Omit<typeof tasks.$inferSelect, "revision"> {
	return {
		id: task.id,
		processId: state.id,
		workflowKey: state.workflow.key,
		node: task.node,
		nodeName: node?.name ?? task.node,
		taskType: node?.task ?? "",
		status: task.status,
		role: task.role ?? null,
		assignee: task.assignee ?? null,
		priority: task.priority,
		progress: task.progress,
		attempt: task.attempt,
		awaitingInput: task.awaitingInput,
		incident: task.incident ?? null,
		correlationKey: task.correlationKey ?? null,
		dueAt: task.dueAt ?? null,
		followUpAt: task.followUpAt ?? null,
		createdAt: task.createdAt,
		startedAt: task.startedAt ?? null,
		endedAt: task.endedAt ?? null,
	};
}

export function taskRow(
	workflow: CompiledWorkflow,
	state: ProcessState,
	task: TaskState,
	revision: number,
): TaskRow {
	return { ...indexedTask(state, task, workflow.nodes.get(task.node)?.def), revision };
}

/**
 * An upsert guarded by the revision, as SQL text built once from the drizzle table (so it follows
 * the schema) and bound per write: building it with drizzle's query builder on every write cost
 * more than the write itself on the per-step path. Its update assigns only the columns that can
 * change: SQLite rewrites (and D1 bills) an index entry whenever one of the index's columns is
 * assigned, even to the value it had, so the columns fixed when the row is created (`fixed`) are
 * written by the insert alone.
 */
function upsert<T extends SQLiteTable>(
	table: T,
	fixed: (keyof T["$inferInsert"] & string)[],
): { sql: string; keys: string[] } {
	const columns = getTableColumns(table) as Record<string, { name: string }>;
	const keys = Object.keys(columns);
	const quoted = (k: string) => `"${columns[k]?.name}"`;
	const name = `"${getTableName(table)}"`;
	const set = keys
		.filter((k) => k !== "id" && !(fixed as string[]).includes(k))
		.map((k) => `${quoted(k)} = excluded.${quoted(k)}`);
	return {
		keys,
		sql: `INSERT INTO ${name} (${keys.map(quoted).join(", ")}) VALUES (${keys.map(() => "?").join(", ")}) ON CONFLICT ("id") DO UPDATE SET ${set.join(", ")} WHERE excluded."revision" >= ${name}."revision"`,
	};
}

// What a process and a task keep from their creation (a migration, O2, changes the version and a
// task's node, never the workflow key).
const processUpsert = upsert(processes, [
	"workflowKey",
	"createdAt",
	"parentProcessId",
	"parentTaskId",
]);
const taskUpsert = upsert(tasks, ["processId", "workflowKey", "createdAt"]);

function bindings(keys: string[], row: Record<string, unknown>): unknown[] {
	return keys.map((k) => {
		const v = row[k];
		return v === undefined ? null : typeof v === "boolean" ? (v ? 1 : 0) : v;
	});
}

/** Upserts the process row and the given tasks in one D1 batch (atomic; D1 has no BEGIN). */
export async function writeIndex(
	db: D1Database,
	rows: { process: ProcessRow; tasks: TaskRow[] },
): Promise<void> {
	// One statement per task: a multi-row insert would pass D1's 100 bound parameters.
	await db.batch([
		db.prepare(processUpsert.sql).bind(...bindings(processUpsert.keys, rows.process)),
		...rows.tasks.map((row) => db.prepare(taskUpsert.sql).bind(...bindings(taskUpsert.keys, row))),
	]);
}
