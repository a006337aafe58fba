// The processes list's props: one page of rows in words, the filters as typed, and the links to the
// pages around this one (filters kept).

import { PAGE_SIZE, type ProcessFilter, type ProcessRowView } from "../../db/process-index.ts";
import {
	type Moment,
	moment,
	PROCESS_STATUS_CHOICES,
	processHref,
	processLabel,
	processStatusBadge,
	type StatusBadge,
} from "./format.ts";

export interface ProcessListItem {
	id: string;
	href: string;
	label: string;
	workflowName: string;
	version: number;
	status: StatusBadge;
	progress: number;
	activeTasks: number;
	openIncidents: number;
	startedByName: string;
	started: Moment;
	ended?: Moment;
	isChild: boolean;
	/** O1: suspended by an admin. */
	isSuspended: boolean;
}

export interface ProcessListView {
	items: ProcessListItem[];
	filter: ProcessFilter;
	isFiltered: boolean;
	total: number;
	page: number;
	pageCount: number;
	firstShown: number;
	lastShown: number;
	previousHref?: string;
	nextHref?: string;
	choices: {
		workflows: { value: string; label: string }[];
		statuses: { value: string; label: string }[];
		suspension: { value: string; label: string }[];
	};
	/** The suspension filter as the select shows it: "yes", "no" or none. */
	suspendedChoice?: string;
	/** Problems with the filters as typed (a day that is not a date). */
	filterErrors: Record<string, string>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters from a query string: unknown statuses and malformed days are reported, not used. */
export function processFilterFrom(query: Record<string, string | undefined>): {
	filter: ProcessFilter;
	errors: Record<string, string>;
} {
	const errors: Record<string, string> = {};
	const page = Number.parseInt(query.page ?? "1", 10);
	const filter: ProcessFilter = {
		page: Number.isFinite(page) && page > 0 ? Math.min(page, 10_000) : 1,
	};
	const q = query.q?.trim().slice(0, 100);
	if (q) filter.q = q;
	if (query.workflow && query.workflow.length <= 100) filter.workflow = query.workflow;
	if (query.status) {
		if (PROCESS_STATUS_CHOICES.some((s) => s.value === query.status)) filter.status = query.status;
		else errors.status = "Choose a status from the list.";
	}
	if (query.suspended === "yes") filter.suspended = true;
	else if (query.suspended === "no") filter.suspended = false;
	for (const key of ["from", "to"] as const) {
		const day = query[key]?.trim();
		if (!day) continue;
		if (DAY.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`))) filter[key] = day;
		else errors[key] = "Enter a date like 2027-03-14.";
	}
	if (filter.from && filter.to && filter.from > filter.to) {
		errors.to = "The end date must not be before the start date.";
		delete filter.to;
	}
	return { filter, errors };
}

export function processListView(input: {
	rows: ProcessRowView[];
	total: number;
	filter: ProcessFilter;
	filterErrors: Record<string, string>;
	workflows: { key: string; name: string }[];
	now: number;
}): ProcessListView {
	const { filter, total, now } = input;
	const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
	const page = Math.min(filter.page, pageCount);
	const hrefFor = (p: number) => {
		const params = new URLSearchParams();
		for (const key of ["q", "workflow", "status", "from", "to"] as const) {
			const v = filter[key];
			if (v) params.set(key, v);
		}
		if (filter.suspended !== undefined) params.set("suspended", filter.suspended ? "yes" : "no");
		if (p > 1) params.set("page", String(p));
		const qs = params.toString();
		return qs ? `/processes?${qs}` : "/processes";
	};
	const view: ProcessListView = {
		items: input.rows.map((r) => {
			const workflowName = r.workflowName ?? r.workflowKey;
			const item: ProcessListItem = {
				id: r.id,
				href: processHref(r.id),
				label: processLabel({ id: r.id, name: r.name, workflowName }),
				workflowName,
				version: r.workflowVersion,
				status: processStatusBadge(r.status, r.stuck),
				progress: r.progress,
				activeTasks: r.activeTasks,
				openIncidents: r.openIncidents,
				startedByName:
					r.startedByName ??
					(r.startedBy ? r.startedBy : r.parentProcessId ? "Parent process" : "—"),
				started: moment(r.startedAt ?? r.createdAt, now),
				isChild: r.parentProcessId !== null,
				isSuspended: r.suspendedAt !== null,
			};
			if (r.endedAt !== null) item.ended = moment(r.endedAt, now);
			return item;
		}),
		filter,
		isFiltered: Boolean(
			filter.q ||
				filter.workflow ||
				filter.status ||
				filter.from ||
				filter.to ||
				filter.suspended !== undefined,
		),
		total,
		page,
		pageCount,
		firstShown: total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1,
		lastShown: Math.min(total, page * PAGE_SIZE),
		choices: {
			workflows: input.workflows.map((w) => ({ value: w.key, label: w.name })),
			statuses: PROCESS_STATUS_CHOICES,
			suspension: [
				{ value: "yes", label: "Suspended" },
				{ value: "no", label: "Not suspended" },
			],
		},
		filterErrors: input.filterErrors,
	};
	if (filter.suspended !== undefined) view.suspendedChoice = filter.suspended ? "yes" : "no";
	if (page > 1) view.previousHref = hrefFor(page - 1);
	if (page < pageCount) view.nextHref = hrefFor(page + 1);
	return view;
}
