// Words and numbers the pages show: status labels, priorities, dates, durations, values. One place,
// so every page says "Waiting for input" the same way.
import type { ProcessStatus, TaskStatus } from "../../engine/index.ts";

export type Tone = "neutral" | "info" | "waiting" | "success" | "danger" | "muted";

export interface StatusBadge {
	label: string;
	tone: Tone;
}

const PROCESS_STATUS: Record<ProcessStatus, StatusBadge> = {
	PENDING: { label: "Not started", tone: "neutral" },
	STARTED: { label: "Running", tone: "info" },
	SUCCESS: { label: "Completed", tone: "success" },
	FAILURE: { label: "Failed", tone: "danger" },
	REVOKED: { label: "Stopped", tone: "muted" },
};

export function processStatusBadge(status: string, stuck = false): StatusBadge {
	if (status === "STARTED" && stuck) return { label: "Stuck", tone: "danger" };
	return PROCESS_STATUS[status as ProcessStatus] ?? { label: status, tone: "neutral" };
}

export function taskStatusBadge(status: string, awaitingInput: boolean): StatusBadge {
	switch (status as TaskStatus) {
		case "PENDING":
			return awaitingInput
				? { label: "Waiting for input", tone: "waiting" }
				: { label: "Queued", tone: "neutral" };
		case "STARTED":
			return { label: "Running", tone: "info" };
		case "RETRY":
			return { label: "Retrying", tone: "waiting" };
		case "SUCCESS":
			return { label: "Done", tone: "success" };
		case "FAILURE":
			return { label: "Failed", tone: "danger" };
		case "REVOKED":
			return { label: "Revoked", tone: "muted" };
		default:
			return { label: status, tone: "neutral" };
	}
}

/** The statuses a filter offers, with their labels. */
export const PROCESS_STATUS_CHOICES = (Object.keys(PROCESS_STATUS) as ProcessStatus[]).map(
	(value) => ({ value, label: PROCESS_STATUS[value].label }),
);

/** Priority 0 is the highest, 9 the lowest (the original's scale). */
export function priorityLabel(priority: number): string {
	if (priority <= 2) return `High (${priority})`;
	if (priority <= 6) return `Normal (${priority})`;
	return `Low (${priority})`;
}

export function isHighPriority(priority: number): boolean {
	return priority <= 2;
}

/** A moment as shown: ISO for `datetime`, a short UTC text, and "5 min ago" against `now`. */
export interface Moment {
	iso: string;
	text: string;
	ago: string;
}

export function moment(at: number, now: number): Moment {
	return { ...exactMoment(at), ago: ago(at, now) };
}

/** A moment without the relative words: ISO for `datetime` and the short UTC text. */
export function exactMoment(at: number): Omit<Moment, "ago"> {
	const iso = new Date(at).toISOString();
	return { iso, text: `${iso.slice(0, 16).replace("T", " ")} UTC` };
}

export function ago(at: number, now: number): string {
	const seconds = Math.max(0, Math.round((now - at) / 1000));
	if (seconds < 45) return "just now";
	const minutes = Math.round(seconds / 60);
	if (minutes < 60) return `${minutes} min ago`;
	const hours = Math.round(minutes / 60);
	if (hours < 24) return `${hours} h ago`;
	const days = Math.round(hours / 24);
	if (days < 60) return `${days} day${days === 1 ? "" : "s"} ago`;
	return new Date(at).toISOString().slice(0, 10);
}

/** A duration in words: "3 min", "1 h 20 min", "2 days". */
export function duration(ms: number): string {
	const minutes = Math.round(ms / 60_000);
	if (minutes < 1) return `${Math.max(1, Math.round(ms / 1000))} s`;
	if (minutes < 60) return `${minutes} min`;
	const hours = Math.floor(minutes / 60);
	if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
	return `${Math.round(hours / 24)} days`;
}

/**
 * A span as precisely as a short one needs: "350 ms", "4.2 s", then as `duration`. For figures
 * that compare fast steps (a heatmap's scale), where `duration`'s whole seconds would all read "1 s".
 */
export function preciseDuration(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
	return duration(ms);
}

/** A JSON value in a few words (for tables); the full value goes in a <details>. */
export function shortValue(value: unknown, max = 60): string {
	if (value === undefined || value === null) return "—";
	if (typeof value === "boolean") return value ? "Yes" : "No";
	if (typeof value === "string") return value.length > max ? `${value.slice(0, max - 1)}…` : value;
	if (typeof value === "number") return String(value);
	// Lists and records in words ("Hall A, 200 seats"; "venue: Hall A, capacity: 200"), not JSON.
	const text = Array.isArray(value)
		? value.length === 0
			? "none"
			: value.map((v) => shortValue(v, max)).join(", ")
		: typeof value === "object"
			? Object.keys(value).length === 0
				? "—"
				: Object.entries(value)
						.map(([k, v]) => `${k}: ${shortValue(v, max)}`)
						.join(", ")
			: String(value);
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A JSON value in full, pretty-printed. */
export function fullValue(value: unknown): string {
	if (typeof value === "string") return value;
	return JSON.stringify(value, null, 2) ?? "";
}

/** The key=value pairs of a record, values shortened, for a compact list. */
export function pairs(
	record: Record<string, unknown> | undefined,
): { key: string; value: string }[] {
	return Object.entries(record ?? {}).map(([key, value]) => ({ key, value: shortValue(value) }));
}

/** URL path segment for an id (task and child process ids contain "/"). */
export function idPath(id: string): string {
	return encodeURIComponent(id);
}

export function taskHref(taskId: string): string {
	return `/tasks/${idPath(taskId)}`;
}

export function processHref(processId: string): string {
	return `/processes/${idPath(processId)}`;
}

/** A short, human label for a process: its name, else the workflow and a short id. */
export function processLabel(p: {
	id: string;
	name?: string | null;
	workflowName: string;
}): string {
	if (p.name) return p.name;
	return `${p.workflowName} #${shortId(p.id)}`;
}

/** The first hex digits of a process id, with a child's path kept ("3fa2c1/t3/p1"). */
export function shortId(id: string): string {
	const [root = "", ...rest] = id.split("/");
	const head = root.replace(/^p-/, "").slice(0, 6);
	return rest.length > 0 ? `${head}/${rest.join("/")}` : head;
}
