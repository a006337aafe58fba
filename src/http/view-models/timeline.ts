// A process's history as a timeline people read: one entry per stored event, in words, with who
// did it and the values or results involved. Bookkeeping events (joins discarding arrivals) are
// worded too, so nothing that happened is hidden. Timers, messages, boundaries, scopes and
// multi-instance nodes are worded in event-words.ts.
import type { HistoryEvent } from "../../engine/index.ts";
import { type EventNames, eventWords } from "./event-words.ts";
import { type Moment, moment, shortValue, type Tone } from "./format.ts";
import { operationWords } from "./operation-words.ts";

export interface TimelineEntry {
	seq: number;
	at: Moment;
	tone: Tone;
	/** A short symbol for the kind of event (decorative; the title says it in words). */
	icon: string;
	title: string;
	actorName?: string;
	detail?: string;
	values?: { key: string; value: string }[];
	taskId?: string;
}

export interface TimelineNames extends EventNames {
	/** The node of a task (the history refers to tasks by id). */
	nodeOfTask(taskId: string): string | undefined;
	userName(userId: string): string;
	/** The label a task's form gives a field (the history names fields by key). */
	fieldLabel?(taskId: string, field: string): string;
}

/** Newest first. */
export function timelineOf(
	events: readonly (HistoryEvent & { seq: number })[],
	names: TimelineNames,
	now: number,
): TimelineEntry[] {
	return events.map((e) => entryOf(e, names, now)).reverse();
}

function entryOf(
	e: HistoryEvent & { seq: number },
	names: TimelineNames,
	now: number,
): TimelineEntry {
	const node = e.node ?? (e.taskId ? names.nodeOfTask(e.taskId) : undefined);
	const step = node ? names.nodeName(node) : "A task";
	const data = e.data ?? {};
	const base: TimelineEntry = {
		seq: e.seq,
		at: moment(e.at, now),
		tone: "neutral",
		icon: "•",
		title: "",
	};
	if (e.actor) base.actorName = names.userName(e.actor);
	if (e.taskId) base.taskId = e.taskId;
	const label = (field: string) =>
		(e.taskId && names.fieldLabel ? names.fieldLabel(e.taskId, field) : undefined) ?? field;
	const set = (tone: Tone, icon: string, title: string, detail?: string): TimelineEntry => {
		const entry: TimelineEntry = { ...base, tone, icon, title };
		if (detail) entry.detail = detail;
		return entry;
	};
	const operation = operationWords(e, step, names.nodeName);
	if (operation) {
		const entry = set(operation.tone, operation.icon, operation.title, operation.detail);
		if (operation.values) entry.values = operation.values;
		return entry;
	}
	const worded = eventWords(e, names);
	if (worded) return set(worded.tone, worded.icon, worded.title, worded.detail);
	switch (e.type) {
		case "ProcessCreated":
			return set("neutral", "+", "Process created");
		case "ProcessStarted":
			return set("info", "▶", "Process started");
		case "ProcessSucceeded":
			return set("success", "✓", "Process completed");
		case "ProcessFailed":
			return set("danger", "✕", "Process failed");
		case "ProcessRevoked":
			return set("muted", "■", "Process stopped");
		case "ProcessReopened":
			return set("info", "↻", "Process reopened to retry the task that failed it");
		case "TaskCreated":
			return set("neutral", "+", `${step} created`);
		case "TaskAssigned": {
			const assigneeId = typeof data.assignee === "string" ? data.assignee : undefined;
			const assignee = assigneeId ? names.userName(assigneeId) : undefined;
			const note = typeof data.note === "string" ? `“${data.note}”` : undefined;
			// H2–H4: a hand-over says how the task changed hands, with the note that came with it.
			if (data.handOver === "unclaim") {
				return set("neutral", "↩", `${step} given back to its role's queue`, note);
			}
			if (data.handOver === "delegate") {
				return set("neutral", "→", `${step} handed on to ${assignee ?? "someone"}`, note);
			}
			if (data.handOver === "reassign") {
				const to = assignee ? `reassigned to ${assignee}` : "put back in its role's queue";
				return set("neutral", "→", `${step} ${to}`, note);
			}
			if (assigneeId && assigneeId === e.actor) return set("neutral", "→", `${step} claimed`);
			return set(
				"neutral",
				"→",
				assignee ? `${step} assigned to ${assignee}` : `${step} unassigned`,
			);
		}
		case "InputRequested": {
			const fields = Array.isArray(data.requiredFields) ? data.requiredFields.map(String) : [];
			return set(
				"waiting",
				"●",
				`${step} waits for input`,
				fields.length > 0 ? `Needs: ${fields.map(label).join(", ")}` : undefined,
			);
		}
		case "ValuesSubmitted": {
			const entry = set("info", "✎", `${step}: values submitted`);
			const values = data.values as Record<string, unknown> | undefined;
			if (values && typeof values === "object") {
				entry.values = Object.entries(values).map(([key, value]) => ({
					key: label(key),
					value: shortValue(value),
				}));
			}
			return entry;
		}
		case "TaskStarted":
			return set("info", "▶", `${step} started`, attemptText(data.attempt));
		case "TaskProgressed":
			return set("info", "◔", `${step} at ${Number(data.progress ?? 0)}%`);
		case "TaskSucceeded": {
			const result = data.result;
			return set(
				"success",
				"✓",
				`${step} done`,
				result === undefined ? undefined : `Result: ${shortValue(result, 120)}`,
			);
		}
		case "TaskRetried": {
			const delay = typeof data.delaySeconds === "number" ? ` in ${data.delaySeconds} s` : "";
			const manual = data.manual === true ? "Retried by hand" : `Will retry${delay}`;
			return set(
				"waiting",
				"↻",
				`${step}: ${manual.toLowerCase()}`,
				[attemptText(data.attempt), errorText(data.error)].filter(Boolean).join(" · "),
			);
		}
		case "TaskFailed":
			return set("danger", "✕", `${step} failed`, errorText(data.error));
		case "TaskRevoked":
			return set(
				"muted",
				"⊘",
				`${step} revoked`,
				typeof data.reason === "string" ? `Reason: ${data.reason}` : undefined,
			);
		case "TaskRedispatched":
			return set(
				"waiting",
				"↻",
				`${step}: sent to the queue again`,
				"No worker claimed it in time; the same attempt was sent again.",
			);
		case "TaskOffered": {
			const type = typeof data.taskType === "string" ? data.taskType : "its";
			const delay = typeof data.delaySeconds === "number" && data.delaySeconds > 0;
			return set(
				"waiting",
				"⇢",
				`${step} offered to ${type} workers${delay ? ` in ${data.delaySeconds} s` : ""}`,
				attemptText(data.attempt),
			);
		}
		case "LockExtended":
			return set(
				"info",
				"⏵",
				`${step}: its worker kept the lock`,
				typeof data.until === "number" ? `Until ${moment(data.until, now).text}` : undefined,
			);
		case "LockExpired":
			return set(
				"waiting",
				"↻",
				`${step}: ${typeof data.worker === "string" ? `${data.worker}'s` : "the worker's"} lock ran out`,
				[attemptText(data.attempt), "Offered again as a new attempt."].filter(Boolean).join(" · "),
			);
		case "TaskLogged": {
			const lines = Array.isArray(data.lines) ? data.lines.map(String) : [];
			const entry = set(
				"neutral",
				"✎",
				`${step} logged ${lines.length === 1 ? "a line" : `${lines.length} lines`}`,
			);
			entry.values = lines.map((line, i) => ({ key: String(i + 1), value: line }));
			return entry;
		}
		case "HookFailed":
			return set(
				"danger",
				"!",
				`${step}: the ${String(data.hook ?? "")} hook failed`,
				typeof data.message === "string" ? data.message : undefined,
			);
		case "TimerSet":
			return set(
				"info",
				"◷",
				`${step} waits until ${typeof data.dueAt === "number" ? moment(data.dueAt, now).text : "later"}`,
			);
		case "SubprocessStarted":
			return set(
				"info",
				"⎘",
				`${step} started a subprocess`,
				typeof data.workflow === "string" ? `Workflow ${data.workflow}` : undefined,
			);
		case "ArrivalsDiscarded":
			return set(
				"muted",
				"⊘",
				`${names.nodeName(String(data.node ?? ""))}: other branches discarded`,
			);
		case "JoinWaiting": {
			const waitingFor = Array.isArray(data.waitingFor)
				? data.waitingFor.map((k) => names.nodeName(String(k)))
				: [];
			return set(
				"waiting",
				"⋯",
				`${names.nodeName(String(data.node ?? ""))} waits for ${waitingFor.join(", ") || "other branches"}`,
			);
		}
		case "FailureRoutingWithdrawn":
			return set(
				"muted",
				"⊘",
				`${step}: what its failure started was withdrawn for the retry`,
				Array.isArray(data.revoked) && data.revoked.length > 0
					? `Revoked: ${data.revoked.map((id) => names.nodeName(names.nodeOfTask(String(id)) ?? String(id))).join(", ")}`
					: undefined,
			);
		case "AlternativeTaken":
			return set("waiting", "↪", `${step} failed; an alternative way was taken`);
		case "IncidentRaised":
			return set(
				"danger",
				"!",
				"Incident",
				typeof data.message === "string" ? data.message : undefined,
			);
		case "IncidentResolved":
			return set("success", "✓", "Incident resolved");
		case "StepBudgetExhausted":
			return set("danger", "!", "Step budget used up: no more tasks are created");
		case "StepBudgetRaised":
			return set("info", "↑", `Step budget raised to ${String(data.to ?? "")}`);
		default:
			return set("neutral", "•", String(e.type));
	}
}

function attemptText(attempt: unknown): string | undefined {
	return typeof attempt === "number" && attempt > 1 ? `Attempt ${attempt}` : undefined;
}

function errorText(error: unknown): string | undefined {
	if (error && typeof error === "object" && "message" in error)
		return `Error: ${String((error as { message: unknown }).message)}`;
	return undefined;
}

/** The newest entry as one sentence, for the page's polite live region. */
export function latestNews(entries: readonly TimelineEntry[]): string {
	const first = entries[0];
	if (!first) return "";
	const by = first.actorName ? ` by ${first.actorName}` : "";
	return `${first.title}${by}, ${first.at.ago === "just now" ? "just now" : first.at.ago}.`;
}
