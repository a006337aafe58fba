// The audit log page's props: the filters as typed (days for the span), the entries in words (the
// actor's name, the target linked when it is a process), and the link to the older entries.
import type { AuditEntry, AuditFilter } from "../../db/audit.ts";
import { exactMoment, type Moment, processHref, shortValue } from "./format.ts";

export interface AuditPageFilter {
	actor?: string;
	action?: string;
	target?: string;
	from?: string;
	to?: string;
}

export interface AuditEntryView {
	at: Moment;
	actorName: string;
	action: string;
	target: string;
	targetHref?: string;
	details?: string;
}

export interface AuditPageView {
	filter: AuditPageFilter;
	entries: AuditEntryView[];
	olderHref?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function dayStart(day: string | undefined): number | undefined {
	if (!day || !DAY.test(day)) return undefined;
	const t = Date.parse(`${day}T00:00:00Z`);
	return Number.isNaN(t) ? undefined : t;
}

/** The page's filters from the query, and the repository's filter they mean. */
export function auditFilterFrom(query: Record<string, string | undefined>): {
	filter: AuditPageFilter;
	query: AuditFilter;
} {
	const filter: AuditPageFilter = {};
	for (const key of ["actor", "action", "target"] as const) {
		const v = query[key]?.trim().slice(0, 300);
		if (v) filter[key] = v;
	}
	const from = dayStart(query.from);
	const to = dayStart(query.to);
	if (from !== undefined) filter.from = query.from;
	if (to !== undefined) filter.to = query.to;
	const before = query.before?.split("~");
	const beforeAt = Number(before?.[0]);
	return {
		filter,
		query: {
			...(filter.actor ? { actor: filter.actor } : {}),
			...(filter.action ? { action: filter.action } : {}),
			...(filter.target ? { target: filter.target } : {}),
			...(from === undefined ? {} : { from }),
			...(to === undefined ? {} : { to: to + 86_400_000 - 1 }),
			...(before?.[1] && Number.isSafeInteger(beforeAt)
				? { before: { at: beforeAt, id: before[1] } }
				: {}),
		},
	};
}

export function auditPageView(input: {
	filter: AuditPageFilter;
	items: AuditEntry[];
	hasMore: boolean;
	userNames: Map<string, string>;
	now: number;
}): AuditPageView {
	const entries = input.items.map((e) => {
		const entry: AuditEntryView = {
			at: { ...exactMoment(e.at), ago: "" },
			actorName: input.userNames.get(e.actor) ?? e.actor,
			action: e.action,
			target: e.target,
		};
		if (e.target.startsWith("p-")) entry.targetHref = processHref(e.target);
		if (e.details !== null && e.details !== undefined) entry.details = shortValue(e.details, 300);
		return entry;
	});
	const view: AuditPageView = { filter: input.filter, entries };
	const last = input.items.at(-1);
	if (input.hasMore && last) {
		const params = new URLSearchParams(
			Object.entries(input.filter).filter((kv): kv is [string, string] => Boolean(kv[1])),
		);
		params.set("before", `${last.at}~${last.id}`);
		view.olderHref = `/admin/audit?${params}`;
	}
	return view;
}
