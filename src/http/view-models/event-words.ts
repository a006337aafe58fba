// The history of timers, messages, boundaries, scopes and multi-instance nodes in words for people:
// "Reminder fired on Approve: no answer for 2 days", "Error INVOICE_REJECTED on Check invoice
// caught by Handle rejection", "Message invoice-paid received by Wait for payment", "Review: 3 of 3
// done (2 approved)". The timeline asks here first; the other events are worded in timeline.ts.
import type { HistoryEvent, TaskState } from "../../engine/index.ts";
import { taskCatalog } from "../../tasks/registry.ts";
import { exactMoment, shortValue, type Tone } from "./format.ts";
import { roughSpan } from "./time-words.ts";

/** What the words need of a task: the history names tasks by id. */
export type WordedTask = Pick<TaskState, "node" | "createdAt" | "boundaryOf" | "multi" | "result">;

export interface EventNames {
	task(taskId: string): WordedTask | undefined;
	nodeName(nodeKey: string): string;
	/** The task type a node runs, to tell a person's task from a job. */
	nodeTaskType(nodeKey: string): string | undefined;
}

export interface EventWords {
	tone: Tone;
	/** Decorative: the title says it in words. */
	icon: string;
	title: string;
	detail?: string;
}

/** The words for `e`, or undefined when it is not one of the events worded here. */
export function eventWords(e: HistoryEvent, names: EventNames): EventWords | undefined {
	const data = e.data ?? {};
	const task = e.taskId ? names.task(e.taskId) : undefined;
	const node = e.node ?? task?.node;
	const step = node ? names.nodeName(node) : "A task";
	const text = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : undefined);
	const hostOf = () => {
		const id = text("host") ?? task?.boundaryOf;
		const host = id ? names.task(id) : undefined;
		const hostNode = text("hostNode") ?? host?.node;
		return { host, name: hostNode ? names.nodeName(hostNode) : "its step" };
	};
	const words = (tone: Tone, icon: string, title: string, detail?: string): EventWords =>
		detail ? { tone, icon, title, detail } : { tone, icon, title };

	switch (e.type) {
		case "BoundaryFired": {
			const host = hostOf();
			const name = text("name") ?? step;
			const goesOn =
				data.interrupting === false ? `${host.name} goes on.` : `${host.name} was stopped.`;
			if (typeof data.dueAt !== "number") {
				// A message boundary: its MessageReceived entry, just before, says which message.
				return words("waiting", "✉", `${name} fired on ${host.name}`, goesOn);
			}
			const waited = host.host ? `: ${waitedFor(host.host, e.at, names)}` : "";
			return words("waiting", "◷", `${name} fired on ${host.name}${waited}`, goesOn);
		}
		case "ErrorCaught": {
			const host = hostOf();
			const code = text("code");
			const error = code ? `Error ${code}` : "An error";
			return words("waiting", "ϟ", `${error} on ${host.name} caught by ${step}`, text("message"));
		}
		case "RaceWon": {
			const revoked = Array.isArray(data.revoked) ? data.revoked.map(String) : [];
			const others = revoked.map((id) => {
				const loser = names.task(id);
				return loser ? names.nodeName(loser.node) : id;
			});
			return words(
				"info",
				"⚑",
				`${step} happened first`,
				others.length > 0 ? `No longer waited for: ${listOf(others)}.` : undefined,
			);
		}
		case "InstancesCreated": {
			const total = typeof data.total === "number" ? data.total : 0;
			if (total === 0) return words("info", "≡", `${step}: no items, so nothing to run`);
			const runs = `${total} ${total === 1 ? "instance" : "instances"}`;
			return words(
				"info",
				data.sequential === true ? "≡" : "⫴",
				data.sequential === true
					? `${step}: ${runs}, one after another`
					: `${step}: ${runs} started`,
			);
		}
		case "InstancesCompleted": {
			const completed = typeof data.completed === "number" ? data.completed : 0;
			const total = typeof data.total === "number" ? data.total : completed;
			const tally = resultTally(task?.multi?.results ?? task?.result);
			return words(
				"success",
				"✓",
				`${step}: ${completed} of ${total} done${tally ? ` (${tally})` : ""}`,
				completed < total
					? "Its completion condition was met: the rest were withdrawn."
					: undefined,
			);
		}
		case "ScopeEntered": {
			const starts = Array.isArray(data.starts)
				? data.starts.map((k) => names.nodeName(String(k)))
				: [];
			return words(
				"info",
				"▣",
				`${step} began`,
				starts.length > 0 ? `First: ${listOf(starts)}.` : undefined,
			);
		}
		case "ScopeCompleted": {
			const end = text("end");
			return words(
				"success",
				"▣",
				end ? `${step} completed at ${names.nodeName(end)}` : `${step} completed`,
			);
		}
		case "MessageReceived": {
			const message = text("name") ?? "a message";
			if (data.start === true) return words("info", "✉", `Message ${message} started the process`);
			return words("info", "✉", `Message ${message} received by ${step}`);
		}
		case "MessagePublished": {
			const key = text("correlationKey");
			return words(
				"info",
				"✉",
				`${step} sent message ${text("name") ?? ""}`.trimEnd(),
				key ? `Key ${key}` : undefined,
			);
		}
		case "TimerSet": {
			// Only a boundary's timer is worded here: it waits on another step.
			if (!task?.boundaryOf) return undefined;
			const host = hostOf();
			const due = typeof data.dueAt === "number" ? exactMoment(data.dueAt).text : "later";
			return words("info", "◷", `${step} on ${host.name} set for ${due}`);
		}
		default:
			return undefined;
	}
}

/**
 * How long the host had been waiting when a timer fired: "no answer for 2 days" for a person's
 * task, "not done after 5 min" for anything else.
 */
function waitedFor(host: WordedTask, at: number, names: EventNames): string {
	const type = names.nodeTaskType(host.node);
	const asksPerson = type !== undefined && taskCatalog.get(type)?.mode === "input";
	const span = roughSpan(at - host.createdAt);
	return asksPerson ? `no answer for ${span}` : `not done after ${span}`;
}

/**
 * The instances' results counted, when they are yes/no answers: "2 yes, 1 no", or for objects that
 * share a yes/no field, "2 approved". Anything else is left to the task's result.
 */
export function resultTally(results: unknown): string | undefined {
	if (!Array.isArray(results) || results.length === 0) return undefined;
	const done = results.filter((r) => r !== null && r !== undefined);
	if (done.length === 0) return undefined;
	if (done.every((r) => typeof r === "boolean")) {
		const yes = done.filter((r) => r === true).length;
		const parts = [
			yes > 0 ? `${yes} yes` : "",
			done.length - yes > 0 ? `${done.length - yes} no` : "",
		];
		return parts.filter(Boolean).join(", ");
	}
	const objects = done.filter(
		(r): r is Record<string, unknown> => typeof r === "object" && !Array.isArray(r),
	);
	if (objects.length !== done.length) return undefined;
	const first = objects[0] as Record<string, unknown>;
	const field = Object.keys(first).find((k) => objects.every((o) => typeof o[k] === "boolean"));
	if (!field) return undefined;
	return `${objects.filter((o) => o[field] === true).length} ${shortValue(field, 30)}`;
}

function listOf(items: string[]): string {
	if (items.length <= 1) return items.join("");
	return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
