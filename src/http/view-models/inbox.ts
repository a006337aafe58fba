// The inbox's props: the viewer's own tasks, their roles' queues (claimable), and for admins the tasks
// that need attention, each sorted by priority then age; with counts and the filters' choices.
import type { CurrentUser } from "../../auth/current-user.ts";
import { canClaimTask, isOwnWork } from "../../auth/permissions.ts";
import type { InboxFilter, InboxRow } from "../../db/process-index.ts";
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
}

export interface InboxSection {
	id: "mine" | "queue" | "attention";
	title: string;
	empty: string;
	items: InboxItemView[];
}

export interface InboxView {
	sections: InboxSection[];
	/** Tasks waiting for the viewer's own input. */
	waitingForYou: number;
	total: number;
	filter: InboxFilter;
	isFiltered: boolean;
	choices: {
		workflows: { value: string; label: string }[];
		roles: { value: string; label: string }[];
		statuses: { value: string; label: string }[];
	};
	/** After a submit: the task just done, in words. */
	done?: string;
	truncated: boolean;
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
}

const STATUS_CHOICES = [
	{ value: "PENDING", label: "Waiting" },
	{ value: "STARTED", label: "Running" },
	{ value: "RETRY", label: "Retrying" },
];

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
		isFiltered: Boolean(filter.q || filter.workflow || filter.role || filter.status),
		choices: {
			workflows: input.workflows.map((w) => ({ value: w.key, label: w.name })),
			roles: viewer.roles.map((key) => ({ value: key, label: input.roleNames.get(key) ?? key })),
			statuses: STATUS_CHOICES,
		},
		truncated: input.rows.length >= input.limit,
	};
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
	return filter;
}
