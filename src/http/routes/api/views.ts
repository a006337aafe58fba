// Rows and ProcessObject state turned into the API's shapes (schemas.ts). Plain functions: the
// handlers load, check who may see what, and call these.
import {
	type IndexedProcess,
	type IndexedTask,
	indexedProcess,
	indexedTask,
} from "../../../db/process-index.ts";
import { compiledWorkflow } from "../../../durable/compiled-workflows.ts";
import type { ProcessView } from "../../../durable/process-object.ts";
import type { StoredEvent } from "../../../durable/process-store.ts";
import {
	describeTaskForm,
	findNodeDefinition,
	mergedParams,
	type TaskState,
} from "../../../engine/index.ts";

export function processUrl(origin: string, id: string): string {
	return `${origin}/processes/${id}`;
}

export function processSummary(row: IndexedProcess, origin: string) {
	return {
		id: row.id,
		name: row.name,
		workflowKey: row.workflowKey,
		workflowVersion: row.workflowVersion,
		status: row.status,
		priority: row.priority,
		progress: row.progress,
		startedBy: row.startedBy,
		parentProcessId: row.parentProcessId,
		createdAt: row.createdAt,
		startedAt: row.startedAt,
		endedAt: row.endedAt,
		suspendedAt: row.suspendedAt,
		url: processUrl(origin, row.id),
		stuck: row.stuck,
		openIncidents: row.openIncidents,
		activeTasks: row.activeTasks,
	};
}

export function taskSummary(row: IndexedTask) {
	return {
		id: row.id,
		processId: row.processId,
		workflowKey: row.workflowKey,
		node: row.node,
		nodeName: row.nodeName,
		taskType: row.taskType,
		status: row.status,
		role: row.role,
		assignee: row.assignee,
		priority: row.priority,
		progress: row.progress,
		attempt: row.attempt,
		awaitingInput: row.awaitingInput,
		incident: row.incident,
		createdAt: row.createdAt,
		startedAt: row.startedAt,
		endedAt: row.endedAt,
		dueAt: row.dueAt ?? null,
		followUpAt: row.followUpAt ?? null,
	};
}

/** A task of the ProcessObject's state in the index's shape (the object is the source of truth). */
export function taskFromState(view: ProcessView, task: TaskState) {
	const node = findNodeDefinition(view.definition, task.node);
	const { correlationKey: _, ...row } = indexedTask(view.state, task, node);
	return row;
}

export function processDetail(view: ProcessView, events: StoredEvent[], origin: string) {
	const { state } = view;
	const { openIncidents, activeTasks, parentTaskId, ...row } = indexedProcess(state, view);
	return {
		...row,
		url: processUrl(origin, state.id),
		params: state.params,
		results: state.results,
		incidents: state.incidents,
		tasks: state.tasks.map((t) => taskFromState(view, t)),
		history: events.map(({ seq, type, at, taskId, node, actor, data }) => ({
			seq,
			type,
			at,
			...(taskId === undefined ? {} : { taskId }),
			...(node === undefined ? {} : { node }),
			...(actor === undefined ? {} : { actor }),
			...(data === undefined ? {} : { data }),
		})),
	};
}

/** A task with its merged params and the fields a person may fill in (T1, T2, T11). */
export function taskDetail(view: ProcessView, task: TaskState) {
	const workflow = compiledWorkflow(view.definition);
	const params = mergedParams(workflow, view.state, task.id);
	return {
		...taskFromState(view, task),
		params,
		values: task.values ?? null,
		requiredFields: task.requiredFields,
		...(task.result === undefined ? {} : { result: task.result }),
		error: task.error ?? null,
		submittedBy: task.submittedBy ?? null,
		submittedAt: task.submittedAt ?? null,
		form: task.awaitingInput ? describeTaskForm(workflow, view.state, task).fields : [],
	};
}
