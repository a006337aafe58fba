// The process page's props: the process in words, its diagram, its tasks with what the viewer may
// do on each, the timeline and the incidents. Built from the ProcessObject's view (the source of
// truth) and the history; permissions come from src/auth/permissions.ts.
import type { CurrentUser } from "../../auth/current-user.ts";
import {
	canActOnTask,
	canClaimTask,
	canSeeTask,
	canStopProcess,
	isAdmin,
} from "../../auth/permissions.ts";
import { diagramFor } from "../../diagram/cache.ts";
import type { DiagramView } from "../../diagram/view.ts";
import type { ProcessView } from "../../durable/process-object.ts";
import type { StoredEvent } from "../../durable/process-store.ts";
import { allNodes, isProcessFinished, isRetryable, isTaskActive } from "../../engine/index.ts";
import { taskRef } from "../../processes/access.ts";
import {
	type Collaboration,
	type CommentFormView,
	type CommentView,
	commentForm,
	type FileView,
} from "./comments.ts";
import { type ExternalTaskWords, externalTaskWords } from "./external-task-words.ts";
import {
	duration,
	fullValue,
	type Moment,
	moment,
	pairs,
	priorityLabel,
	processHref,
	processLabel,
	processStatusBadge,
	type StatusBadge,
	shortValue,
	taskHref,
	taskStatusBadge,
} from "./format.ts";
import { taskFormOf } from "./task-page.ts";
import { type DateWords, dueWords } from "./time-words.ts";
import { latestNews, type TimelineEntry, timelineOf } from "./timeline.ts";

export interface TaskRowView {
	id: string;
	/** Set when the viewer may open the task. */
	href?: string;
	nodeName: string;
	status: StatusBadge;
	assigneeName: string;
	roleName?: string;
	attempt: number;
	maxAttempts: number;
	progress: number;
	isActive: boolean;
	created: Moment;
	ended?: Moment;
	result?: { short: string; full: string };
	/** The values submitted for it (or corrected, O3); a secret reference shows as its name. */
	values?: { key: string; value: string }[];
	error?: string;
	hasIncident: boolean;
	/** H1: when an active task is due; `isPast` marks it overdue. */
	due?: DateWords;
	/** K1: a task of an external type: its worker and lock, or that it waits for one. */
	external?: ExternalTaskWords;
	canFill: boolean;
	canClaim: boolean;
	canRetry: boolean;
	canRevoke: boolean;
}

export interface ProcessPageView {
	id: string;
	href: string;
	label: string;
	name?: string;
	workflowKey: string;
	workflowName: string;
	version: number;
	revision: number;
	status: StatusBadge;
	isFinished: boolean;
	isStuck: boolean;
	progress: number;
	priority: string;
	startedByName?: string;
	created: Moment;
	started?: Moment;
	ended?: Moment;
	ranFor?: string;
	params: { key: string; value: string }[];
	results?: string;
	parent?: { href: string; label: string };
	diagram: DiagramView;
	tasks: TaskRowView[];
	timeline: TimelineEntry[];
	/** How many events the timeline leaves out (the oldest). */
	timelineHidden: number;
	incidents: { message: string; at: Moment; taskName?: string; isResolved: boolean }[];
	canStop: boolean;
	/** O1: set while an admin has the process suspended: who, since when, why. */
	suspension?: { byName?: string; since: Moment; reason?: string };
	/** O3: the tasks whose values an admin may correct before a retry (failed, or with an incident). */
	correctable: { value: string; label: string }[];
	/** O1: the viewer (an admin) may suspend it now, or resume it. */
	canSuspend: boolean;
	canResume: boolean;
	news: string;
	/** Comments on the process and on the tasks the viewer sees, shown in the timeline. */
	comments: CommentView[];
	commentForm: CommentFormView;
	/** Every file of the process the viewer may see. */
	files: FileView[];
}

/** At most this many timeline entries on the page (newest first). */
export const TIMELINE_LIMIT = 200;

export interface ProcessPageInput {
	view: ProcessView;
	events: StoredEvent[];
	/** Older events the history left out (a very long process). */
	skippedEvents?: number;
	workflowName?: string;
	userNames: Map<string, string>;
	roleNames: Map<string, string>;
	viewer: CurrentUser;
	now: number;
	collaboration?: Collaboration;
	/** A comment that came back refused: what was typed and why. */
	commentRefused?: { typed: string; error: string };
}

/** A secret reference (`{ secret: NAME }`, the http task's headers) is shown as its name only. */
function valuePairs(values: Record<string, unknown>): { key: string; value: string }[] {
	return Object.entries(values).map(([key, value]) => {
		const ref = value as { secret?: unknown } | null;
		const isSecret = typeof ref === "object" && ref !== null && typeof ref.secret === "string";
		return { key, value: isSecret ? `secret ${String(ref.secret)}` : shortValue(value) };
	});
}

export function processPageView(input: ProcessPageInput): ProcessPageView {
	const { view, viewer, now } = input;
	const { state, definition } = view;
	const nodeNames = new Map(allNodes(definition).map((n) => [n.key, n.name ?? n.key]));
	const nodeName = (key: string) => nodeNames.get(key) ?? key;
	const userName = (id: string) => input.userNames.get(id) ?? id;
	const workflowName = input.workflowName ?? definition.name;
	const running = state.status === "STARTED";
	const admin = isAdmin(viewer);

	const tasks: TaskRowView[] = state.tasks.map((task) => {
		const ref = taskRef(view, task);
		const row: TaskRowView = {
			id: task.id,
			nodeName: nodeName(task.node),
			status: taskStatusBadge(task.status, task.awaitingInput),
			assigneeName: task.assignee ? userName(task.assignee) : task.role ? "Unassigned" : "—",
			attempt: task.attempt,
			maxAttempts: task.maxAttempts,
			progress: task.progress,
			isActive: isTaskActive(task),
			created: moment(task.createdAt, now),
			hasIncident: task.incident !== undefined,
			canFill:
				running && task.awaitingInput && task.status === "PENDING" && canActOnTask(viewer, ref),
			canClaim: running && task.awaitingInput && canClaimTask(viewer, ref),
			canRetry: admin && isRetryable(state, task),
			canRevoke: running && admin && isTaskActive(task),
		};
		if (canSeeTask(viewer, ref)) row.href = taskHref(task.id);
		if (task.role) row.roleName = input.roleNames.get(task.role) ?? task.role;
		if (task.endedAt !== undefined) row.ended = moment(task.endedAt, now);
		// A task that returned nothing (null) shows the dash, not a disclosure holding "null".
		if (task.result !== undefined && task.result !== null)
			row.result = { short: shortValue(task.result), full: fullValue(task.result) };
		if (task.error) row.error = task.error.message;
		if (task.values && Object.keys(task.values).length > 0) row.values = valuePairs(task.values);
		// An ended task's due date is history: the row says only what still matters.
		if (task.dueAt !== undefined && row.isActive) row.due = dueWords(task.dueAt, now);
		const external = externalTaskWords(definition, task, now);
		if (external) row.external = external;
		return row;
	});

	const taskNodes = new Map(state.tasks.map((t) => [t.id, t.node]));
	const tasksById = new Map(state.tasks.map((t) => [t.id, t]));
	const nodeTypes = new Map(allNodes(definition).map((n) => [n.key, n.task]));
	const timeline = timelineOf(
		input.events,
		{
			fieldLabel: fieldLabels(view),
			nodeOfTask: (id) => taskNodes.get(id),
			task: (id) => tasksById.get(id),
			nodeName,
			nodeTaskType: (key) => nodeTypes.get(key),
			userName,
		},
		now,
	);

	const page: ProcessPageView = {
		id: state.id,
		href: processHref(state.id),
		label: processLabel({ id: state.id, name: state.name ?? null, workflowName }),
		workflowKey: state.workflow.key,
		workflowName,
		version: state.workflow.version,
		revision: view.revision,
		status: processStatusBadge(state.status, view.stuck),
		isFinished: isProcessFinished(state),
		isStuck: view.stuck,
		progress: view.progress,
		priority: priorityLabel(state.priority),
		created: moment(state.createdAt, now),
		params: pairs(state.params),
		diagram: diagramFor(definition, state, view.waiting, now),
		tasks,
		timeline: timeline.slice(0, TIMELINE_LIMIT),
		timelineHidden: Math.max(0, timeline.length - TIMELINE_LIMIT) + (input.skippedEvents ?? 0),
		incidents: state.incidents.map((i) => {
			const incident: ProcessPageView["incidents"][number] = {
				message: i.message,
				at: moment(i.at, now),
				isResolved: i.resolvedAt !== undefined,
			};
			const node = i.taskId ? taskNodes.get(i.taskId) : undefined;
			if (node) incident.taskName = nodeName(node);
			return incident;
		}),
		canStop:
			running &&
			canStopProcess(viewer, { workflowKey: state.workflow.key, startedBy: view.startedBy }),
		correctable: admin
			? state.tasks
					.filter((t) => t.status === "FAILURE" || (t.incident !== undefined && isTaskActive(t)))
					.map((t) => ({ value: t.id, label: `${nodeName(t.node)} (${t.id})` }))
			: [],
		canSuspend: running && admin && !state.suspended,
		canResume: running && admin && state.suspended !== undefined,
		news: latestNews(timeline),
		comments: input.collaboration?.comments ?? [],
		files: input.collaboration?.files ?? [],
		commentForm: commentForm(
			`${processHref(state.id)}/comments`,
			input.collaboration?.people ?? [],
			input.commentRefused,
		),
	};
	if (state.suspended) {
		const { at, by, reason } = state.suspended;
		page.suspension = { since: moment(at, now), ...(reason ? { reason } : {}) };
		if (by) page.suspension.byName = userName(by);
	}
	if (state.name) page.name = state.name;
	if (view.startedBy) page.startedByName = userName(view.startedBy);
	if (state.startedAt !== undefined) page.started = moment(state.startedAt, now);
	if (state.endedAt !== undefined) page.ended = moment(state.endedAt, now);
	if (state.startedAt !== undefined) {
		page.ranFor = duration((state.endedAt ?? now) - state.startedAt);
	}
	// An end node that returns nothing leaves null: no results to show, not the word "null".
	const results = state.results.filter((r) => r !== null && r !== undefined);
	if (results.length > 0) page.results = fullValue(results.length === 1 ? results[0] : results);
	if (state.parent) {
		page.parent = { href: processHref(state.parent.processId), label: "the parent process" };
	}
	return page;
}

/** The labels of each task's form fields, read once per task the history names. */
function fieldLabels(view: ProcessView): (taskId: string, field: string) => string {
	const byTask = new Map<string, Map<string, string>>();
	return (taskId, field) => {
		let labels = byTask.get(taskId);
		if (!labels) {
			const task = view.state.tasks.find((t) => t.id === taskId);
			const form = task ? taskFormOf(view, task) : undefined;
			labels = new Map(
				[...(form?.given ?? []), ...(form?.fields ?? [])].map((f) => [f.name, f.label]),
			);
			byTask.set(taskId, labels);
		}
		return labels.get(field) ?? field;
	};
}
