// The bulk actions' props: the form under the processes list (the filters it carries, the actions
// and, with one workflow chosen, the versions to migrate to), the preview, and an operation's
// progress in words.
import type { BulkAction, BulkItemRow, BulkOperationRow } from "../../db/bulk-operations.ts";
import type { BulkFilter, BulkPreview } from "../../processes/bulk.ts";
import { type Moment, moment, processHref } from "./format.ts";

export const ACTION_WORDS: Record<BulkAction, { verb: string; doing: string; label: string }> = {
	stop: { verb: "Stop", doing: "Stopping", label: "Stop them" },
	suspend: { verb: "Suspend", doing: "Suspending", label: "Suspend them" },
	resume: { verb: "Resume", doing: "Resuming", label: "Resume them" },
	retry: {
		verb: "Retry the failed tasks of",
		doing: "Retrying the failed tasks of",
		label: "Retry their failed tasks",
	},
	migrate: { verb: "Migrate", doing: "Migrating", label: "Migrate them to another version" },
};

/** What each action applies to, said on the preview when the filters select more. */
const APPLIES_TO: Record<BulkAction, string> = {
	stop: "running",
	suspend: "running and not suspended",
	resume: "suspended",
	retry: "with a failed task an administrator may retry",
	migrate: "running on another version",
};

export interface BulkFormView {
	/** The filters as hidden fields, so the preview and the start select what the list showed. */
	hidden: { name: string; value: string }[];
	actions: { value: string; label: string }[];
	/** Published versions of the filtered workflow; none without a workflow filter. */
	versions: { value: string; label: string }[];
	workflowName?: string;
}

export function filterFields(filter: BulkFilter): { name: string; value: string }[] {
	const out: { name: string; value: string }[] = [];
	for (const key of ["workflow", "status", "q", "from", "to"] as const) {
		const v = filter[key];
		if (v) out.push({ name: key, value: v });
	}
	if (filter.suspended !== undefined) {
		out.push({ name: "suspended", value: filter.suspended ? "yes" : "no" });
	}
	return out;
}

export function bulkFormView(
	filter: BulkFilter,
	versions: number[],
	workflowName: string | undefined,
): BulkFormView {
	const actions = (Object.keys(ACTION_WORDS) as BulkAction[])
		.filter((a) => a !== "migrate" || versions.length > 0)
		.map((a) => ({ value: a, label: ACTION_WORDS[a].label }));
	return {
		hidden: filterFields(filter),
		actions,
		versions: versions.map((v) => ({ value: String(v), label: `Version ${v}` })),
		...(workflowName ? { workflowName } : {}),
	};
}

export interface BulkPreviewView {
	action: BulkAction;
	title: string;
	lead: string;
	count: number;
	tooMany: boolean;
	hidden: { name: string; value: string }[];
	startLabel: string;
	backHref: string;
	dryRun?: { processId: string; href: string; migrated: boolean; why: string }[];
}

function plural(n: number, one: string, many = `${one}es`) {
	return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

export function bulkPreviewView(
	preview: BulkPreview,
	filter: BulkFilter,
	extra: { name: string; value: string }[],
	toVersion: number | undefined,
): BulkPreviewView {
	const words = ACTION_WORDS[preview.action];
	const target = preview.action === "migrate" ? ` to version ${toVersion}` : "";
	const params = new URLSearchParams(filterFields(filter).map((f) => [f.name, f.value]));
	const view: BulkPreviewView = {
		action: preview.action,
		title: `${words.verb} ${plural(preview.count, "process")}${target}?`,
		lead:
			preview.matching === preview.count
				? `The filters select ${plural(preview.matching, "process")}.`
				: `The filters select ${plural(preview.matching, "process")}; ${preview.count.toLocaleString("en")} of them ${preview.count === 1 ? "is" : "are"} ${APPLIES_TO[preview.action]}.`,
		count: preview.count,
		tooMany: preview.tooMany,
		hidden: [...filterFields(filter), { name: "action", value: preview.action }, ...extra],
		startLabel: `${words.verb} ${plural(preview.count, "process")}`,
		backHref: params.size > 0 ? `/processes?${params}` : "/processes",
	};
	if (preview.dryRun) {
		view.dryRun = preview.dryRun.map((d) => ({
			processId: d.processId,
			href: processHref(d.processId),
			migrated: d.migrated,
			why: d.migrated ? "Can migrate" : d.blockers.join("; "),
		}));
	}
	return view;
}

export interface BulkOperationView {
	id: string;
	href: string;
	title: string;
	status: "running" | "done" | "cancelled";
	statusText: string;
	done: number;
	total: number;
	percent: number;
	succeeded: number;
	skipped: number;
	failed: number;
	started: Moment;
	finished?: Moment;
	problems: { processId: string; href: string; outcome: string; why: string }[];
}

export function bulkOperationView(
	op: BulkOperationRow,
	problems: BulkItemRow[],
	now: number,
): BulkOperationView {
	const action = op.action as BulkAction;
	const done = op.succeeded + op.skipped + op.failed;
	const status = op.status as BulkOperationView["status"];
	const options = (op.options ?? {}) as { toVersion?: number };
	const target =
		action === "migrate" && options.toVersion ? ` to version ${options.toVersion}` : "";
	const words = ACTION_WORDS[action];
	const view: BulkOperationView = {
		id: op.id,
		href: `/bulk-actions/${op.id}`,
		title: `${status === "running" ? words.doing : words.verb} ${plural(op.total, "process")}${target}`,
		status,
		statusText:
			status === "running"
				? `${done.toLocaleString("en")} of ${op.total.toLocaleString("en")} done`
				: status === "done"
					? "Finished"
					: `Cancelled after ${done.toLocaleString("en")} of ${op.total.toLocaleString("en")}`,
		done,
		total: op.total,
		percent: op.total === 0 ? 100 : Math.floor((done / op.total) * 100),
		succeeded: op.succeeded,
		skipped: op.skipped,
		failed: op.failed,
		started: moment(op.createdAt, now),
		problems: problems.map((p) => ({
			processId: p.processId,
			href: processHref(p.processId),
			outcome: p.outcome === "failed" ? "Failed" : "Skipped",
			why: p.message ?? "",
		})),
	};
	if (op.finishedAt !== null) view.finished = moment(op.finishedAt, now);
	return view;
}
