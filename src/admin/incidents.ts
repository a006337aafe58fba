// What the incidents page lists, read from the processes' own state (the truth, not the index):
// tasks failed after their retries (G8), including the one that failed its process (P8), dead-lettered or lost messages (T13), tasks of a role with nobody
// assigned (T3), stuck processes (P5), processes over their step budget (P7), and any other open
// incident; each with the admin acts that resolve it. Pure: the route loads the processes.
import {
	DISPATCH_LOST,
	failedTaskOf,
	findNodeDefinition,
	type Incident,
	isTaskActive,
	type ProcessState,
	type TaskState,
	type WorkflowDefinition,
} from "../engine/index.ts";
import { processLabel } from "../http/view-models/format.ts";

export type IncidentAction = "retry" | "revoke" | "stop" | "assign" | "raise-budget" | "resolve";

export type IncidentCategory =
	| "failed"
	| "dead_letter"
	| "unassigned"
	| "stuck"
	| "step_budget"
	| "other";

export interface IncidentItem {
	category: IncidentCategory;
	/** Unique on the page, for ids. */
	id: string;
	processId: string;
	processName: string;
	workflowKey: string;
	workflowName: string;
	version: number;
	taskId?: string;
	node?: string;
	nodeName?: string;
	role?: string;
	attempt?: number;
	/** The open incident, when there is one (resolve closes it). */
	incidentId?: string;
	message: string;
	/** When it happened (the incident, the failure, the task's creation). */
	at: number;
	stepBudget?: number;
	stepsUsed?: number;
	actions: IncidentAction[];
}

export interface ProcessForIncidents {
	state: ProcessState;
	definition: WorkflowDefinition;
	stuck: boolean;
}

export const CATEGORY_ORDER: readonly IncidentCategory[] = [
	"failed",
	"dead_letter",
	"unassigned",
	"stuck",
	"step_budget",
	"other",
];

/** The incidents of running processes, by category, most recent first within each. */
export function incidentsOf(
	processes: readonly ProcessForIncidents[],
): Record<IncidentCategory, IncidentItem[]> {
	const out: Record<IncidentCategory, IncidentItem[]> = {
		failed: [],
		dead_letter: [],
		unassigned: [],
		stuck: [],
		step_budget: [],
		other: [],
	};
	for (const p of processes) {
		if (p.state.status === "FAILURE") {
			const item = failedProcessItem(p);
			if (item) out.failed.push(item);
			continue;
		}
		if (p.state.status !== "STARTED") continue;
		for (const item of itemsOf(p)) out[item.category].push(item);
	}
	for (const list of Object.values(out)) list.sort((a, b) => b.at - a.at);
	return out;
}

function itemsOf({ state, definition, stuck }: ProcessForIncidents): IncidentItem[] {
	const items: IncidentItem[] = [];
	const open = state.incidents.filter((i) => i.resolvedAt === undefined);
	const openById = new Map(open.map((i) => [i.id, i]));
	const covered = new Set<string>();
	const base = {
		processId: state.id,
		processName: processLabel({ id: state.id, name: state.name, workflowName: definition.name }),
		workflowKey: state.workflow.key,
		workflowName: definition.name,
		version: state.workflow.version,
	};
	const nodeName = (key: string) => findNodeDefinition(definition, key)?.name ?? key;
	const forTask = (
		task: TaskState,
		category: IncidentCategory,
		message: string,
		at: number,
		actions: IncidentAction[],
	) => {
		const incident = task.incident === undefined ? undefined : openById.get(task.incident);
		if (incident) covered.add(incident.id);
		const item: IncidentItem = {
			...base,
			category,
			id: `${category}:${task.id}`,
			taskId: task.id,
			node: task.node,
			nodeName: nodeName(task.node),
			attempt: task.attempt,
			message,
			at,
			actions: incident ? [...actions, "resolve"] : actions,
		};
		if (task.role !== undefined) item.role = task.role;
		if (incident) item.incidentId = incident.id;
		items.push(item);
	};

	for (const task of state.tasks) {
		const incident = task.incident === undefined ? undefined : openById.get(task.incident);
		// A failure its workflow handled (a failure route, a boundary, its scope) raised no incident,
		// and one whose incident was resolved is settled: neither needs an admin.
		if (task.status === "FAILURE" && incident && !isSuperseded(state, task)) {
			const error = task.error?.message ?? "failed";
			forTask(
				task,
				"failed",
				`Failed after ${task.attempt} attempt${task.attempt === 1 ? "" : "s"}: ${error}`,
				incident?.at ?? task.endedAt ?? task.createdAt,
				["retry", "stop"],
			);
		} else if (
			isTaskActive(task) &&
			(incident?.kind === "dead_letter" || incident?.kind === DISPATCH_LOST)
		) {
			// G8 and T13: a task message the queue could not deliver, or lost.
			forTask(task, "dead_letter", incident.message, incident.at, ["retry", "revoke", "stop"]);
		} else if (
			isTaskActive(task) &&
			task.role !== undefined &&
			(task.assignee === null || incident?.kind === "no_assignee")
		) {
			const message =
				incident?.message ?? `Nobody of the role "${task.role}" is assigned this task.`;
			forTask(task, "unassigned", message, incident?.at ?? task.createdAt, [
				"assign",
				"revoke",
				"stop",
			]);
		}
	}
	for (const incident of open) {
		if (covered.has(incident.id)) continue;
		if (incident.kind === "step_budget") {
			items.push({
				...base,
				category: "step_budget",
				id: `step_budget:${incident.id}`,
				incidentId: incident.id,
				message: incident.message,
				at: incident.at,
				stepBudget: state.stepBudget,
				stepsUsed: state.stepsUsed,
				actions: ["raise-budget", "stop"],
			});
		} else {
			items.push(otherIncident(base, incident, state, nodeName));
		}
	}
	if (stuck) {
		items.push({
			...base,
			category: "stuck",
			id: `stuck:${state.id}`,
			message:
				"Nothing is running and nothing can fire: no active task, and the process has not ended.",
			at: lastActivity(state),
			actions: ["stop"],
		});
	}
	return items;
}

/**
 * P8: a process that failed (P2) because a task failed with no failure route is listed by that
 * task while its incident is open: Retry reopens the process, Resolve leaves it failed.
 */
function failedProcessItem({ state, definition }: ProcessForIncidents): IncidentItem | undefined {
	const task = failedTaskOf(state);
	if (!task) return undefined;
	const incident = state.incidents.find(
		(i) => i.id === task.incident && i.resolvedAt === undefined,
	);
	if (!incident) return undefined;
	const error = task.error?.message ?? "failed";
	const item: IncidentItem = {
		processId: state.id,
		processName: processLabel({ id: state.id, name: state.name, workflowName: definition.name }),
		workflowKey: state.workflow.key,
		workflowName: definition.name,
		version: state.workflow.version,
		category: "failed",
		id: `failed:${task.id}`,
		taskId: task.id,
		node: task.node,
		nodeName: findNodeDefinition(definition, task.node)?.name ?? task.node,
		attempt: task.attempt,
		incidentId: incident.id,
		message: `Failed after ${task.attempt} attempt${task.attempt === 1 ? "" : "s"}, and the process failed with it: ${error}`,
		at: incident.at,
		actions: state.parent ? ["resolve"] : ["retry", "resolve"],
	};
	if (task.role !== undefined) item.role = task.role;
	return item;
}

function otherIncident(
	base: Pick<
		IncidentItem,
		"processId" | "processName" | "workflowKey" | "workflowName" | "version"
	>,
	incident: Incident,
	state: ProcessState,
	nodeName: (key: string) => string,
): IncidentItem {
	const task =
		incident.taskId === undefined ? undefined : state.tasks.find((t) => t.id === incident.taskId);
	const item: IncidentItem = {
		...base,
		category: "other",
		id: `other:${incident.id}`,
		incidentId: incident.id,
		message: `${INCIDENT_KINDS[incident.kind] ?? incident.kind}: ${incident.message}`,
		at: incident.at,
		actions:
			task && isTaskActive(task) ? ["retry", "revoke", "resolve", "stop"] : ["resolve", "stop"],
	};
	if (task) {
		item.taskId = task.id;
		item.node = task.node;
		item.nodeName = nodeName(task.node);
	}
	return item;
}

/** The kinds of incidents in words (an unknown kind is shown as it is). */
const INCIDENT_KINDS: Record<string, string> = {
	task_failed: "A task failed",
	dead_letter: "A task message could not be delivered",
	dispatch_lost: "A task message was lost",
	no_assignee: "Nobody can be assigned",
	step_budget: "The step budget is spent",
	stuck: "Stuck",
};

/** A failed task is superseded when its node ran again after it (a loop, or a failure route back). */
function isSuperseded(state: ProcessState, task: TaskState): boolean {
	const index = state.tasks.indexOf(task);
	return state.tasks.some((t, i) => i > index && t.node === task.node);
}

function lastActivity(state: ProcessState): number {
	let at = state.startedAt ?? state.createdAt;
	for (const t of state.tasks) at = Math.max(at, t.endedAt ?? t.startedAt ?? t.createdAt);
	return at;
}

/** The budget an admin is offered: double the current one, at least 100 more. */
export function suggestedBudget(stepBudget: number): number {
	return Math.max(stepBudget * 2, stepBudget + 100);
}
