// The task page's props: what the task is, in which process, why it waits (the missing fields), the
// generated form when the viewer may fill it in, and what they may do otherwise (claim, retry).
import type { CurrentUser } from "../../auth/current-user.ts";
import { canActOnTask, canClaimTask, isAdmin } from "../../auth/permissions.ts";
import { compiledWorkflow } from "../../durable/compiled-workflows.ts";
import type { ProcessView } from "../../durable/process-object.ts";
import {
	describeTaskForm,
	EngineError,
	findNodeDefinition,
	findTask,
	isRetryable,
	isTaskActive,
	type TaskForm,
	type TaskState,
} from "../../engine/index.ts";
import { taskRef } from "../../processes/access.ts";
import type { HandOverChoices } from "../../processes/hand-over.ts";
import {
	type Collaboration,
	type CommentFormView,
	type CommentView,
	commentForm,
	type FileView,
	fileHref,
} from "./comments.ts";
import { type ExternalTaskWords, externalTaskWords } from "./external-task-words.ts";
import {
	fullValue,
	type Moment,
	moment,
	pairs,
	priorityLabel,
	processHref,
	processLabel,
	processStatusBadge,
	type StatusBadge,
	taskHref,
	taskStatusBadge,
} from "./format.ts";
import { type FieldView, fieldViews, type Typed } from "./task-form.ts";
import { type DateWords, dueWords, followUpWords } from "./time-words.ts";

export interface TaskFormView {
	action: string;
	/** A fresh idempotency nonce per rendering: a double submit of one rendering applies once. */
	nonce: string;
	/** The author's words the task shows as text (a question's title and details, T11). */
	shown: string[];
	/** What the workflow, the node or the starter already set, which the person may not change. */
	given: { key: string; value: string }[];
	/** The fields the person may fill in (T11). */
	fields: FieldView[];
	/** Errors not tied to a shown field. */
	otherErrors: string[];
	hasErrors: boolean;
}

export interface TaskPageView {
	id: string;
	href: string;
	nodeName: string;
	description?: string;
	taskTypeTitle: string;
	status: StatusBadge;
	isActive: boolean;
	awaitingInput: boolean;
	roleName?: string;
	assigneeName: string;
	isMine: boolean;
	attempt: number;
	maxAttempts: number;
	priority: string;
	progress: number;
	created: Moment;
	started?: Moment;
	ended?: Moment;
	/** H1: when the task is due, in the inbox's words; `isPast` marks it overdue. */
	due?: DateWords;
	/** H1: when to look at it again. */
	followUp?: DateWords;
	/** K1: a task of an external type: its worker and lock, or that it waits for one. */
	external?: ExternalTaskWords;
	/** The fields the task waits for (T2), by label. */
	missing: string[];
	/** What a person submitted; a file field's value is its file's name, with its download link. */
	submitted?: {
		byName: string;
		at: Moment;
		values: { key: string; value: string; href?: string }[];
	};
	result?: string;
	error?: string;
	incident?: string;
	process: {
		href: string;
		label: string;
		workflowName: string;
		version: number;
		status: StatusBadge;
		isRunning: boolean;
	};
	form?: TaskFormView;
	canClaim: boolean;
	canRetry: boolean;
	canRevoke: boolean;
	/** Why the viewer sees no form, in a sentence (or nothing when there is one). */
	note?: string;
	/** After a submit that lost a race: what happened, and what the person had typed. */
	raced?: { message: string; typed: { key: string; value: string }[] };
	/** The task's comments, oldest first, and the form that adds one. */
	comments: CommentView[];
	commentForm: CommentFormView;
	/** The files of the task (its form's and its comments'). */
	files: FileView[];
	/** H2–H4: the hand-overs the viewer may make. */
	handOver?: HandOverChoices;
}

export interface TaskPageInput {
	view: ProcessView;
	taskId: string;
	viewer: CurrentUser;
	userNames: Map<string, string>;
	roleNames: Map<string, string>;
	workflowName?: string;
	now: number;
	nonce: string;
	/** After a rejected submit: what was typed and the errors by field. */
	typed?: Typed;
	errors?: Record<string, string>;
	/** After a submit that lost a race (someone else claimed or submitted the task first). */
	raced?: boolean;
	collaboration?: Collaboration;
	handOver?: HandOverChoices;
	/** A comment that came back refused: what was typed and why. */
	commentRefused?: { typed: string; error: string };
}

/** The task in its process, or throws not_found. */
export function taskOf(view: ProcessView, taskId: string): TaskState {
	const task = findTask(view.state, taskId);
	if (!task) throw new EngineError("not_found", "There is no such task.");
	return task;
}

/**
 * The task's form as a person sees it (T11): the fields they may fill in with the values already
 * known (T1 merged params), the author's words shown as text, and what is already set.
 */
export function taskFormOf(view: ProcessView, task: TaskState): TaskForm {
	return describeTaskForm(compiledWorkflow(view.definition), view.state, task);
}

export function taskPageView(input: TaskPageInput): TaskPageView {
	const { view, viewer, now } = input;
	const task = taskOf(view, input.taskId);
	const node = findNodeDefinition(view.definition, task.node);
	// The compiled node's spec: a workflow's own external types (K1) are not in the catalog.
	const spec = compiledWorkflow(view.definition).nodes.get(task.node)?.spec;
	const ref = taskRef(view, task);
	const running = view.state.status === "STARTED";
	const userName = (id: string) => input.userNames.get(id) ?? id;
	const taskForm = taskFormOf(view, task);
	const fields = taskForm.fields;
	const labels = new Map([...taskForm.given, ...fields].map((f) => [f.name, f.label]));
	const canFill =
		running && task.status === "PENDING" && task.awaitingInput && canActOnTask(viewer, ref);
	const canClaim = running && task.awaitingInput && canClaimTask(viewer, ref);
	const workflowName = input.workflowName ?? view.definition.name;

	const page: TaskPageView = {
		id: task.id,
		href: taskHref(task.id),
		nodeName: node?.name ?? task.node,
		taskTypeTitle: spec?.title ?? node?.task ?? "",
		status: taskStatusBadge(task.status, task.awaitingInput),
		isActive: isTaskActive(task),
		awaitingInput: task.awaitingInput && task.status === "PENDING",
		assigneeName: task.assignee ? userName(task.assignee) : "Nobody yet",
		isMine: task.assignee === viewer.id,
		attempt: task.attempt,
		maxAttempts: task.maxAttempts,
		priority: priorityLabel(task.priority),
		progress: task.progress,
		created: moment(task.createdAt, now),
		missing: task.requiredFields.map((f) => labels.get(f) ?? f),
		process: {
			href: processHref(view.state.id),
			label: processLabel({ id: view.state.id, name: view.state.name ?? null, workflowName }),
			workflowName,
			version: view.state.workflow.version,
			status: processStatusBadge(view.state.status, view.stuck),
			isRunning: running,
		},
		canClaim,
		canRetry: isAdmin(viewer) && isRetryable(view.state, task),
		canRevoke: running && isAdmin(viewer) && isTaskActive(task),
		comments: input.collaboration?.comments ?? [],
		files: input.collaboration?.files ?? [],
		commentForm: commentForm(
			`${taskHref(task.id)}/comments`,
			input.collaboration?.people ?? [],
			input.commentRefused,
		),
	};
	if (input.handOver) page.handOver = input.handOver;
	if (node?.description) page.description = node.description;
	if (task.role) page.roleName = input.roleNames.get(task.role) ?? task.role;
	if (task.startedAt !== undefined) page.started = moment(task.startedAt, now);
	if (task.endedAt !== undefined) page.ended = moment(task.endedAt, now);
	if (task.dueAt !== undefined) page.due = dueWords(task.dueAt, now, page.isActive);
	if (task.followUpAt !== undefined) {
		page.followUp = followUpWords(task.followUpAt, now, page.isActive);
	}
	const external = externalTaskWords(view.definition, task, now);
	if (external) page.external = external;
	if (task.submittedBy && task.submittedAt !== undefined) {
		page.submitted = {
			byName: userName(task.submittedBy),
			at: moment(task.submittedAt, now),
			values: pairs(task.values).map((pair) => {
				const file = fileOf(task.values?.[pair.key]);
				return file ? { key: pair.key, value: file.name, href: fileHref(file.id) } : pair;
			}),
		};
	}
	if (task.result !== undefined) page.result = fullValue(task.result);
	if (task.error) page.error = task.error.message;
	const incident = task.incident
		? view.state.incidents.find((i) => i.id === task.incident)
		: undefined;
	if (incident) page.incident = incident.message;

	if (canFill) {
		const errors = input.errors ?? {};
		const shown = new Set(fields.map((f) => f.name));
		const formView: TaskFormView = {
			action: `${taskHref(task.id)}/input`,
			nonce: input.nonce,
			shown: taskForm.shown.map((s) => s.value),
			given: taskForm.given.map((f) => ({ key: f.label, value: fullValue(f.value) })),
			fields: fieldViews(fields, {
				prefix: "field",
				missing: task.requiredFields,
				...(input.typed ? { typed: input.typed } : {}),
				errors,
			}),
			otherErrors: Object.entries(errors)
				.filter(([name]) => !shown.has(name))
				.map(([, message]) => message),
			hasErrors: Object.keys(errors).length > 0,
		};
		page.form = formView;
	} else {
		const note = noteFor(page, task, running, canClaim);
		if (note) page.note = note;
	}
	if (input.raced) {
		const byName = new Map(fields.map((f) => [f.name, f.label]));
		page.raced = {
			message: racedMessage(task, running, viewer.id, userName),
			typed: Object.entries(input.typed ?? {})
				.filter(([, value]) => value.trim() !== "")
				.map(([name, value]) => ({ key: byName.get(name) ?? name, value })),
		};
	}
	return page;
}

/** What happened while the person was filling in the form, in words (no ids). */
function racedMessage(
	task: TaskState,
	running: boolean,
	viewerId: string,
	userName: (id: string) => string,
): string {
	if (task.submittedBy === viewerId && !task.awaitingInput)
		return "You already submitted this task.";
	if (!running) return "The process ended while you were filling in this task.";
	if (task.submittedBy && task.submittedBy !== viewerId && !task.awaitingInput) {
		return `${userName(task.submittedBy)} submitted this task first.`;
	}
	if (task.assignee && task.assignee !== viewerId) {
		return `${userName(task.assignee)} claimed this task while you were filling it in.`;
	}
	if (!isTaskActive(task)) return "This task ended while you were filling it in.";
	return "This task changed while you were filling it in.";
}

function noteFor(
	page: TaskPageView,
	task: TaskState,
	running: boolean,
	canClaim: boolean,
): string | undefined {
	if (!running)
		return `The process is ${page.process.status.label.toLowerCase()}: nothing more can be done here.`;
	if (task.status === "PENDING" && task.awaitingInput) {
		if (canClaim) return `${page.assigneeName} has this task. Claim it to fill it in yourself.`;
		return `This task waits for ${page.assigneeName === "Nobody yet" ? `someone in ${page.roleName ?? "its role"}` : page.assigneeName}.`;
	}
	if (!isTaskActive(task)) return `This task is ${page.status.label.toLowerCase()}.`;
	if (page.external?.lockedBy) {
		return `The worker ${page.external.lockedBy} is running this task outside Baton; nothing to fill in.`;
	}
	if (page.external?.waitsForWorker && task.status === "PENDING") {
		return `This task waits for a worker of "${page.external.taskType}" to fetch it.`;
	}
	if (task.status === "STARTED") return "This task is running on its own; nothing to fill in.";
	if (task.status === "RETRY")
		return "This task failed an attempt and will be retried automatically.";
	return undefined;
}

/** A file field's value (the stored file), or undefined for any other value. */
function fileOf(value: unknown): { id: string; name: string } | undefined {
	if (!value || typeof value !== "object") return undefined;
	const v = value as { id?: unknown; name?: unknown };
	return typeof v.id === "string" && /^f-[0-9a-f]{32}$/.test(v.id) && typeof v.name === "string"
		? { id: v.id, name: v.name }
		: undefined;
}
