// The history of timers, messages, boundaries, scopes and multi-instance nodes, in words, as the
// process page's timeline shows it. The events carry what the engine logs with them.
import { describe, expect, it } from "vitest";
import type { HistoryEvent, TaskState } from "../../../src/engine/index.ts";
import { resultTally } from "../../../src/http/view-models/event-words.ts";
import { timelineOf } from "../../../src/http/view-models/timeline.ts";

const T0 = Date.parse("2026-12-01T09:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const NODES: Record<string, { name: string; task: string }> = {
	approve: { name: "Approve", task: "ask" },
	reminder: { name: "Reminder", task: "wait" },
	cancelled: { name: "Cancelled", task: "message" },
	check: { name: "Check invoice", task: "http" },
	rejection: { name: "Handle rejection", task: "error" },
	paid: { name: "Payment received", task: "message" },
	timeout: { name: "Timeout", task: "wait" },
	reviews: { name: "Review", task: "ask" },
	handle: { name: "Handle the invoice", task: "scope" },
	read: { name: "Read it", task: "dummy" },
	filed: { name: "File it", task: "dummy" },
	notify: { name: "Notify accounting", task: "send" },
};

type Task = Pick<TaskState, "node" | "createdAt" | "boundaryOf" | "multi" | "result">;
const TASKS: Record<string, Task> = {
	"p/t1": { node: "approve", createdAt: T0 },
	"p/t2": { node: "reminder", createdAt: T0, boundaryOf: "p/t1" },
	"p/t3": { node: "cancelled", createdAt: T0, boundaryOf: "p/t1" },
	"p/t4": { node: "check", createdAt: T0 },
	"p/t5": { node: "rejection", createdAt: T0 + HOUR, boundaryOf: "p/t4" },
	"p/t6": { node: "paid", createdAt: T0 },
	"p/t7": { node: "timeout", createdAt: T0 },
	"p/t8": {
		node: "reviews",
		createdAt: T0,
		multi: {
			items: ["ann", "bob", "cy"],
			created: 3,
			completed: 3,
			results: [{ approved: true }, { approved: false }, { approved: true }],
		},
	},
	"p/t9": { node: "handle", createdAt: T0 },
	"p/t10": { node: "notify", createdAt: T0 },
};

let seq = 0;
/** One event as the engine logs it: on a task, with its node. */
function on(
	taskId: string,
	type: HistoryEvent["type"],
	at: number,
	data?: Record<string, unknown>,
) {
	seq += 1;
	const e: HistoryEvent & { seq: number } = {
		seq,
		type,
		at,
		taskId,
		node: TASKS[taskId]?.node as string,
	};
	if (data) e.data = data;
	return e;
}

/** The timeline's title and detail of one event. */
function worded(e: HistoryEvent & { seq: number }): string {
	const [entry] = timelineOf(
		[e],
		{
			nodeOfTask: (id) => TASKS[id]?.node,
			task: (id) => TASKS[id],
			nodeName: (key) => NODES[key]?.name ?? key,
			nodeTaskType: (key) => NODES[key]?.task,
			userName: (id) => id,
		},
		T0 + 30 * DAY,
	);
	return entry?.detail ? `${entry.title} — ${entry.detail}` : (entry?.title ?? "");
}

describe("the history of boundary events", () => {
	it("says how long a person's task went unanswered when its timer fired, and whether it goes on", () => {
		const fired = on("p/t2", "BoundaryFired", T0 + 2 * DAY, {
			host: "p/t1",
			hostNode: "approve",
			name: "Reminder",
			interrupting: false,
			dueAt: T0 + 2 * DAY,
		});
		expect(worded(fired)).toBe(
			"Reminder fired on Approve: no answer for 2 days — Approve goes on.",
		);
	});

	it("says a job was not done in time, and that an interrupting boundary stopped its host", () => {
		const fired = on("p/t7", "BoundaryFired", T0 + 5 * 60_000, {
			host: "p/t4",
			hostNode: "check",
			name: "Timeout",
			interrupting: true,
			dueAt: T0 + 5 * 60_000,
		});
		expect(worded(fired)).toBe(
			"Timeout fired on Check invoice: not done after 5 min — Check invoice was stopped.",
		);
	});

	it("leaves a message boundary's message to the MessageReceived entry just before it", () => {
		const received = on("p/t3", "MessageReceived", T0 + HOUR, {
			messageId: "m-1",
			name: "order-cancelled",
		});
		const fired = on("p/t3", "BoundaryFired", T0 + HOUR, {
			host: "p/t1",
			hostNode: "approve",
			name: "Cancelled",
			interrupting: true,
		});
		expect(worded(received)).toBe("Message order-cancelled received by Cancelled");
		expect(worded(fired)).toBe("Cancelled fired on Approve — Approve was stopped.");
	});

	it("names the error code, where it happened and what caught it", () => {
		const caught = on("p/t5", "ErrorCaught", T0 + HOUR, {
			host: "p/t4",
			code: "INVOICE_REJECTED",
			message: "The supplier is unknown",
		});
		expect(worded(caught)).toBe(
			"Error INVOICE_REJECTED on Check invoice caught by Handle rejection — The supplier is unknown",
		);
		expect(
			worded(on("p/t5", "ErrorCaught", T0, { host: "p/t4", code: null, message: "boom" })),
		).toBe("An error on Check invoice caught by Handle rejection — boom");
	});

	it("words a boundary's timer as set on its host", () => {
		expect(worded(on("p/t2", "TimerSet", T0, { dueAt: T0 + 2 * DAY }))).toBe(
			"Reminder on Approve set for 2026-12-03 09:00 UTC",
		);
		// A plain wait keeps the timeline's own words.
		expect(worded(on("p/t7", "TimerSet", T0, { dueAt: T0 + HOUR }))).toBe(
			"Timeout waits until 2026-12-01 10:00 UTC",
		);
	});
});

describe("the history of races, scopes, instances and messages", () => {
	it("says which wait of an event-based split happened first and what it withdrew", () => {
		expect(worded(on("p/t6", "RaceWon", T0, { revoked: ["p/t7"] }))).toBe(
			"Payment received happened first — No longer waited for: Timeout.",
		);
	});

	it("counts a multi-instance node's instances and tallies yes/no results", () => {
		expect(worded(on("p/t8", "InstancesCreated", T0, { total: 3, sequential: false }))).toBe(
			"Review: 3 instances started",
		);
		expect(worded(on("p/t8", "InstancesCreated", T0, { total: 2, sequential: true }))).toBe(
			"Review: 2 instances, one after another",
		);
		expect(worded(on("p/t8", "InstancesCreated", T0, { total: 0, sequential: false }))).toBe(
			"Review: no items, so nothing to run",
		);
		expect(worded(on("p/t8", "InstancesCompleted", T0, { completed: 3, total: 3 }))).toBe(
			"Review: 3 of 3 done (2 approved)",
		);
		expect(worded(on("p/t8", "InstancesCompleted", T0, { completed: 2, total: 3 }))).toBe(
			"Review: 2 of 3 done (2 approved) — Its completion condition was met: the rest were withdrawn.",
		);
	});

	it("words a scope's start and end", () => {
		expect(worded(on("p/t9", "ScopeEntered", T0, { starts: ["read"] }))).toBe(
			"Handle the invoice began — First: Read it.",
		);
		expect(worded(on("p/t9", "ScopeCompleted", T0, { end: "filed" }))).toBe(
			"Handle the invoice completed at File it",
		);
	});

	it("words messages sent, received and starting a process, and a task falling overdue", () => {
		expect(
			worded(
				on("p/t10", "MessagePublished", T0, {
					messageId: "m-2",
					name: "invoice-paid",
					correlationKey: "42",
				}),
			),
		).toBe("Notify accounting sent message invoice-paid — Key 42");
		expect(
			worded(on("p/t6", "MessageReceived", T0, { messageId: "m-3", name: "invoice-paid" })),
		).toBe("Message invoice-paid received by Payment received");
		expect(
			worded(on("p/t6", "MessageReceived", T0, { messageId: "m-4", name: "order", start: true })),
		).toBe("Message order started the process");
	});
});

describe("resultTally", () => {
	it("counts yes/no answers, or a yes/no field all results share; nothing for other results", () => {
		expect(resultTally([true, false, true, null])).toBe("2 yes, 1 no");
		expect(resultTally([true, true])).toBe("2 yes");
		expect(resultTally([{ approved: false, note: "x" }, { approved: false }])).toBe("0 approved");
		expect(resultTally(["a", "b"])).toBeUndefined();
		expect(resultTally([{ score: 1 }])).toBeUndefined();
		expect(resultTally([])).toBeUndefined();
		expect(resultTally(undefined)).toBeUndefined();
	});
});
