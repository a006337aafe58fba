// The process and task index: a projection of the ProcessObjects, written from their outboxes.
// Lists and inboxes read it; the ProcessObject stays the source of truth (DESIGN §3).
import { isNotNull } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const processes = sqliteTable(
	"processes",
	{
		id: text("id").primaryKey(),
		name: text("name"),
		workflowKey: text("workflow_key").notNull(),
		workflowVersion: integer("workflow_version").notNull(),
		status: text("status").notNull(),
		priority: integer("priority").notNull(),
		progress: integer("progress").notNull(),
		stuck: integer("stuck", { mode: "boolean" }).notNull(),
		openIncidents: integer("open_incidents").notNull(),
		activeTasks: integer("active_tasks").notNull(),
		startedBy: text("started_by"),
		parentProcessId: text("parent_process_id"),
		parentTaskId: text("parent_task_id"),
		createdAt: integer("created_at").notNull(),
		startedAt: integer("started_at"),
		endedAt: integer("ended_at"),
		/** O1: when an admin suspended the process; null while it is not suspended. */
		suspendedAt: integer("suspended_at"),
		/** The ProcessObject's revision that wrote this row; older writes never overwrite newer ones. */
		revision: integer("revision").notNull(),
	},
	// Every index entry is a row D1 bills on each insert, so only what a read needs (I1; no read
	// looks a process up by its parent).
	(t) => [
		index("processes_status_idx").on(t.status, t.createdAt),
		index("processes_workflow_idx").on(t.workflowKey, t.createdAt),
	],
);

export const tasks = sqliteTable(
	"tasks",
	{
		id: text("id").primaryKey(),
		processId: text("process_id").notNull(),
		workflowKey: text("workflow_key").notNull(),
		node: text("node").notNull(),
		nodeName: text("node_name").notNull(),
		taskType: text("task_type").notNull(),
		status: text("status").notNull(),
		role: text("role"),
		assignee: text("assignee"),
		priority: integer("priority").notNull(),
		progress: integer("progress").notNull(),
		attempt: integer("attempt").notNull(),
		awaitingInput: integer("awaiting_input", { mode: "boolean" }).notNull(),
		incident: text("incident"),
		/** For `event` tasks: the key an outside event names to complete this task. */
		correlationKey: text("correlation_key"),
		/** H1: when the task is due (epoch ms); the inbox words it, marks it overdue and filters on it. */
		dueAt: integer("due_at"),
		/** H1: when to look at the task again (epoch ms). */
		followUpAt: integer("follow_up_at"),
		createdAt: integer("created_at").notNull(),
		startedAt: integer("started_at"),
		endedAt: integer("ended_at"),
		revision: integer("revision").notNull(),
	},
	// D1 bills each index entry an insert writes as a row, so a task row costs one row per index it
	// enters: an automated task (no role, assignee, incident or dates) enters only the status and
	// workflow indexes. What is missing is on purpose: a process's tasks are found by the primary
	// key, their ids beginning with the process's (tasksOfProcess), and no read looks a task up by
	// its correlation key (messages meet in a MessageBox). I1 checks that each read is still served.
	(t) => [
		index("tasks_status_idx").on(t.status, t.createdAt),
		// How the work flows (issue #16): a workflow's tasks that ended in a period.
		index("tasks_workflow_ended_idx").on(t.workflowKey, t.endedAt),
		// Partial: people's work (the inboxes, the queues of roles) and the incidents admins see.
		index("tasks_assignee_idx").on(t.assignee, t.status).where(isNotNull(t.assignee)),
		index("tasks_role_idx").on(t.role, t.status).where(isNotNull(t.role)),
		index("tasks_incident_idx").on(t.incident).where(isNotNull(t.incident)),
		index("tasks_due_idx").on(t.dueAt).where(isNotNull(t.dueAt)),
		index("tasks_follow_up_idx").on(t.followUpAt).where(isNotNull(t.followUpAt)),
	],
);
