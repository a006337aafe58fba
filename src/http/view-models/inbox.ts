// The inbox's props: the viewer's own tasks, their roles' queues (claimable), and for admins the tasks
// that need attention, each sorted by priority then age (or by due date); with counts, due dates in
// words, and the filters' choices.

import type { CurrentUser } from "../../auth/current-user.ts";
import { canClaimTask, canStartAnyWorkflow, isOwnWork } from "../../auth/permissions.ts";
import {
	DUE_FILTERS,
	type DueFilter,
	INBOX_SORTS,
	type InboxFilter,
	type InboxRow,
	type InboxSort,
} from "../../db/process-index.ts";
import { isActiveTaskStatus } from "../../engine/index.ts";
import {
	ago,
	isHighPriority,
	type Moment,
	moment,
	priorityLabel,
	processHref,
	processLabel,
	type StatusBadge,
	taskHref,
	taskStatusBadge,
} from "./format.ts";
import { refreshSecondsFor } from "./inbox-refresh.ts";
import { type DateWords, dueWords, followUpWords } from "./time-words.ts";

export interface InboxItemView {
	id: string;
	href: string;
	claimAction: string;
	nodeName: string;
	processLabel: string;
	processHref: string;
	workflowName: string;
	roleName?: string;
	assigneeName: string;
	status: StatusBadge;
	priority: string;
	isHighPriority: boolean;
	created: Moment;
	waitingFor: string;
	progress: number;
	hasIncident: boolean;
	canClaim: boolean;
	/** H1: when the task is due, in words; `isPast` marks it overdue. */
	due?: DateWords;
	/** H1: when to look at it again. */
	followUp?: DateWords;
}

export interface InboxSection {
	id: "mine" | "queue" | "attention";
	title: string;
	empty: string;
	items: InboxItemView[];
}

export interface InboxView {
	sections: InboxSection[];
	/**
	 * How often the page fetches its results besides the live stream's news: no change is announced
	 * when a task falls overdue, so the page asks again just after the soonest due date it shows.
	 */
	refreshSeconds: number;
	/** Tasks waiting for the viewer's own input. */
	waitingForYou: number;
	total: number;
	filter: InboxFilter;
	isFiltered: boolean;
	choices: {
		workflows: { value: string; label: string }[];
		roles: { value: string; label: string }[];
		statuses: { value: string; label: string }[];
		due: { value: string; label: string }[];
		sorts: { value: string; label: string }[];
	};
	/** Overdue tasks among those shown, and the link that shows only them (other filters kept). */
	overdue: { count: number; href: string };
	/** After a submit: the task just done, in words. */
	done?: string;
	truncated: boolean;
	/** The person's saved filters, as links; `isCurrent` when the page shows that one. */
	savedFilters: { id: string; name: string; href: string; isCurrent: boolean }[];
	/** This page's filters and order as a query string (what "Save these filters" saves). */
	query: string;
	/** Tasks the viewer may claim, for the bulk claim. */
	claimable: number;
	/** Whether to offer "Start a process" (the viewer may start some workflow). */
	canStart: boolean;
	/** The count beside "Inbox" in the navigation (open tasks of the viewer, unfiltered). */
	openTasks?: number;
}

export interface InboxInput {
	rows: InboxRow[];
	viewer: CurrentUser;
	filter: InboxFilter;
	roleNames: Map<string, string>;
	workflows: { key: string; name: string }[];
	now: number;
	limit: number;
	done?: string;
	savedFilters?: { id: string; name: string; query: string }[];
	openTasks?: number;
}

const STATUS_CHOICES = [
	{ value: "PENDING", label: "Waiting" },
	{ value: "STARTED", label: "Running" },
	{ value: "RETRY", label: "Retrying" },
];

// The days and weeks are UTC (Monday to Sunday), like the exact dates the pages show: said in the
// labels, since a reader far from UTC would otherwise miss a task due "today" at 23:30 UTC.
const DUE_LABELS: Record<DueFilter, string> = {
	overdue: "Overdue",
	today: "Due today (UTC)",
	week: "Due this week (Mon–Sun, UTC)",
	"follow-up": "Follow-up date reached",
};

const SORT_LABELS: Record<InboxSort, string> = {
	priority: "Priority, then oldest",
	due: "Due date, soonest first",
	oldest: "Age, oldest first",
	newest: "Age, newest first",
	workflow: "Workflow name",
	process: "Process name",
};

/** The inbox's query string for these filters (empty ones left out, always in the same order). */
export function inboxQuery(filter: InboxFilter): string {
	const query = new URLSearchParams();
	for (const key of ["q", "workflow", "role", "status", "due", "sort"] as const) {
		const value = filter[key];
		if (value) query.set(key, value);
	}
	return query.toString();
}

/** The inbox's address with these filters (empty ones left out), for links that keep them. */
export function inboxHref(filter: InboxFilter): string {
	const text = inboxQuery(filter);
	return text ? `/inbox?${text}` : "/inbox";
}

export function inboxView(input: InboxInput): InboxView {
	const { viewer, now } = input;
	const item = (row: InboxRow): InboxItemView => {
		const view: InboxItemView = {
			id: row.id,
			href: taskHref(row.id),
			claimAction: `${taskHref(row.id)}/claim`,
			nodeName: row.nodeName,
			processLabel: processLabel({
				id: row.processId,
				name: row.processName,
				workflowName: row.workflowName ?? row.workflowKey,
			}),
			processHref: processHref(row.processId),
			workflowName: row.workflowName ?? row.workflowKey,
			assigneeName:
				row.assignee === viewer.id
					? "You"
					: (row.assigneeName ?? (row.assignee ? row.assignee : "Unassigned")),
			status: taskStatusBadge(row.status, row.awaitingInput),
			priority: priorityLabel(row.priority),
			isHighPriority: isHighPriority(row.priority),
			created: moment(row.createdAt, now),
			waitingFor: ago(row.createdAt, now),
			progress: row.progress,
			hasIncident: row.incident !== null,
			canClaim: canClaimTask(viewer, row),
		};
		if (row.role) view.roleName = input.roleNames.get(row.role) ?? row.role;
		if (row.dueAt !== null) view.due = dueWords(row.dueAt, now);
		if (row.followUpAt !== null) view.followUp = followUpWords(row.followUpAt, now);
		return view;
	};
	const isOwn = (r: InboxRow) => isOwnWork(viewer, r);
	const mine = input.rows.filter((r) => isOwn(r) && r.assignee === viewer.id);
	const queue = input.rows.filter((r) => isOwn(r) && r.assignee !== viewer.id);
	const attention = input.rows.filter((r) => !isOwn(r));

	const sections: InboxSection[] = [
		{
			id: "mine",
			title: "Assigned to you",
			empty: "Nothing waits for you.",
			items: mine.map(item),
		},
	];
	if (viewer.roles.length > 0) {
		sections.push({
			id: "queue",
			title: "Your roles’ queues",
			empty: "Your roles’ queues are empty.",
			items: queue.map(item),
		});
	}
	if (viewer.isAdmin) {
		sections.push({
			id: "attention",
			title: "Needs attention",
			empty: "No incidents.",
			items: attention.map(item),
		});
	}
	const filter = input.filter;
	const view: InboxView = {
		sections,
		waitingForYou: mine.filter((r) => r.awaitingInput && r.status === "PENDING").length,
		total: input.rows.length,
		filter,
		// The order is not a filter: sorting alone offers no "Clear filters".
		isFiltered: Boolean(filter.q || filter.workflow || filter.role || filter.status || filter.due),
		choices: {
			workflows: input.workflows.map((w) => ({ value: w.key, label: w.name })),
			roles: viewer.roles.map((key) => ({ value: key, label: input.roleNames.get(key) ?? key })),
			statuses: STATUS_CHOICES,
			due: DUE_FILTERS.map((value) => ({ value, label: DUE_LABELS[value] })),
			// The default order comes first and is the select's blank value.
			sorts: INBOX_SORTS.filter((s) => s !== "priority").map((value) => ({
				value,
				label: SORT_LABELS[value],
			})),
		},
		overdue: {
			count: input.rows.filter((r) => r.dueAt !== null && r.dueAt <= now).length,
			href: inboxHref({ ...filter, due: "overdue" }),
		},
		truncated: input.rows.length >= input.limit,
		savedFilters: (input.savedFilters ?? []).map((f) => ({
			id: f.id,
			name: f.name,
			href: f.query ? `/inbox?${f.query}` : "/inbox",
			isCurrent: f.query === inboxQuery(filter),
		})),
		query: inboxQuery(filter),
		claimable: sections.reduce((n, s) => n + s.items.filter((i) => i.canClaim).length, 0),
		canStart: canStartAnyWorkflow(viewer),
		refreshSeconds: refreshSecondsFor(input.rows, now),
	};
	if (input.openTasks !== undefined) view.openTasks = input.openTasks;
	if (input.done) view.done = input.done;
	return view;
}

/** The inbox filters from a query string, unknown values dropped. */
export function inboxFilterFrom(query: Record<string, string | undefined>): InboxFilter {
	const filter: InboxFilter = {};
	const q = query.q?.trim().slice(0, 100);
	if (q) filter.q = q;
	if (query.workflow && query.workflow.length <= 100) filter.workflow = query.workflow;
	if (query.role && query.role.length <= 100) filter.role = query.role;
	const status = query.status;
	if (status && isActiveTaskStatus(status)) filter.status = status;
	const due = DUE_FILTERS.find((d) => d === query.due);
	if (due) filter.due = due;
	// The default order is left out, so the address of the plain inbox stays /inbox.
	const sort = INBOX_SORTS.find((s) => s === query.sort && s !== "priority");
	if (sort) filter.sort = sort;
	return filter;
}

/** The label of the default order, the sort select's first choice. */
export const DEFAULT_SORT_LABEL = SORT_LABELS.priority;
