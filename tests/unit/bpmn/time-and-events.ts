// Workflows that use every time and event construct Baton executes, each valid (D2): the export's
// tests check the BPMN they become, and round-trip-events.test.ts that the import reads them back.
import type { WorkflowDefinition } from "../../../src/engine/index.ts";

const approve = { questions: { ok: { label: "Approve", type: "checkbox" } } };

/** B1–B4 and H1: timer, message and error boundaries on a task with a due date. */
export const boundaries: WorkflowDefinition = {
	key: "boundaries",
	name: "Boundaries",
	roles: [{ key: "boss", name: "Boss" }],
	nodes: [
		{
			key: "approve",
			name: "Approve",
			task: "ask",
			role: "boss",
			start: true,
			due: "P2D",
			followUp: "= params.lookAgain",
			params: approve,
		},
		{
			key: "remind",
			name: "Every four hours",
			task: "wait",
			attachedTo: "approve",
			interrupting: false,
			params: { cycle: "R3/4h" },
		},
		{ key: "escalate", task: "wait", attachedTo: "approve", params: { at: "due" } },
		{ key: "late", task: "wait", attachedTo: "approve", params: { duration: "90m" } },
		{
			key: "deadline",
			task: "wait",
			attachedTo: "approve",
			params: { until: "2030-01-31T09:00:00Z" },
		},
		{
			key: "cancelled",
			name: "Order cancelled",
			task: "message",
			attachedTo: "approve",
			params: { message: "order-cancelled", correlationKey: "= params.order" },
		},
		{ key: "refused", task: "error", attachedTo: "approve", params: { code: "REFUSED" } },
		{ key: "anyError", task: "error", attachedTo: "approve" },
		{ key: "nudge", name: "Nudge", task: "dummy", end: true },
		{ key: "approved", name: "Approved", task: "dummy", end: true },
		{ key: "stopped", name: "Stopped", task: "dummy", join: "xor", end: true },
	],
	transitions: [
		{ from: "approve", to: "approved" },
		{ from: "remind", to: "nudge" },
		{ from: "escalate", to: "stopped" },
		{ from: "late", to: "stopped" },
		{ from: "deadline", to: "stopped" },
		{ from: "cancelled", to: "stopped" },
		{ from: "refused", to: "stopped" },
		{ from: "anyError", to: "stopped" },
	],
};

/** S4, N1, N2, E1 and X1: a message start, a send, an event-based gateway, an error end. */
export const messages: WorkflowDefinition = {
	key: "messages",
	name: "Messages",
	nodes: [
		{
			key: "order",
			name: "Order placed",
			task: "message",
			start: true,
			params: { message: "order-placed" },
		},
		{
			key: "confirm",
			name: "Confirm the order",
			task: "send",
			params: {
				message: "order-confirmed",
				correlationKey: "= params.id",
				payload: { ok: true },
				ttl: "P1D",
			},
		},
		{ key: "await", name: "Await payment", task: "dummy", inline: true, split: "event" },
		{
			key: "paid",
			name: "Invoice paid",
			task: "message",
			params: { message: "invoice-paid", correlationKey: "= process.id" },
		},
		{
			key: "hook",
			name: "Paid by card",
			task: "event",
			params: { correlationKey: "= process.id" },
		},
		{ key: "timeout", name: "A week", task: "wait", params: { duration: "P7D" } },
		{ key: "done", name: "Done", task: "dummy", join: "xor", end: true },
		{
			key: "unpaid",
			name: "Unpaid",
			task: "error",
			end: true,
			params: { code: "UNPAID", message: "Not paid within a week" },
		},
	],
	transitions: [
		{ from: "order", to: "confirm" },
		{ from: "confirm", to: "await" },
		{ from: "await", to: "paid" },
		{ from: "await", to: "hook" },
		{ from: "await", to: "timeout" },
		{ from: "paid", to: "done" },
		{ from: "hook", to: "done" },
		{ from: "timeout", to: "unpaid" },
	],
};

/** C1: a scope with its own start and end, a boundary inside it and an error boundary on it. */
export const scope: WorkflowDefinition = {
	key: "scoped",
	name: "Scoped",
	nodes: [
		{ key: "open", name: "Open", task: "dummy", start: true },
		{
			key: "check",
			name: "Check the invoice",
			task: "scope",
			nodes: [
				{ key: "read", name: "Read it", task: "ask", start: true, params: approve },
				{ key: "hurry", task: "wait", attachedTo: "read", params: { duration: "P1D" } },
				{ key: "pay", name: "Pay it", task: "dummy" },
				{ key: "paidIt", name: "Paid", task: "dummy", join: "xor", end: true },
			],
			transitions: [
				{ from: "read", to: "pay", condition: "= result.ok = true" },
				{ from: "read", to: "paidIt", condition: "= result.ok != true" },
				{ from: "hurry", to: "paidIt" },
				{ from: "pay", to: "paidIt" },
			],
		},
		{ key: "checkFailed", task: "error", attachedTo: "check" },
		{ key: "closed", name: "Closed", task: "dummy", join: "xor", end: true },
	],
	transitions: [
		{ from: "open", to: "check" },
		{ from: "check", to: "closed" },
		{ from: "checkFailed", to: "closed" },
	],
};

/** M1: a sequential multi-instance task with a completion condition, and a parallel one. */
export const multi: WorkflowDefinition = {
	key: "multi",
	name: "Multi-instance",
	startForm: { reviewers: { label: "Reviewers", type: "json", default: ["ann", "bob"] } },
	nodes: [
		{
			key: "review",
			name: "Review",
			task: "ask",
			start: true,
			params: approve,
			multiInstance: {
				items: "= params.reviewers",
				as: "reviewer",
				sequential: true,
				completion: "= completed >= 2",
			},
		},
		{
			key: "tell",
			name: "Tell each reviewer",
			task: "send",
			end: true,
			params: { message: "reviewed", correlationKey: "= params.reviewer" },
			multiInstance: { items: "= params.reviewers" },
		},
	],
	transitions: [{ from: "review", to: "tell" }],
};

/** Q1: a cron schedule in a time zone with params, and a one-off start at a date. */
export const scheduled: WorkflowDefinition = {
	key: "scheduled",
	name: "Scheduled",
	startForm: { region: { label: "Region", type: "text", default: "EU" } },
	schedules: [
		{
			name: "Weekday mornings",
			cron: "0 9 * * 1-5",
			timezone: "Europe/Paris",
			params: { region: "FR" },
		},
		{ at: "2030-01-31T09:00:00Z" },
	],
	nodes: [
		{ key: "begin", name: "Begin", task: "dummy", start: true },
		{ key: "count", name: "Count", task: "add", start: true, params: { a: 1, b: 2 } },
		{ key: "finish", name: "Finish", task: "dummy", end: true },
	],
	transitions: [
		{ from: "begin", to: "finish" },
		{ from: "count", to: "finish" },
	],
};

export const timeAndEvents = [boundaries, messages, scope, multi, scheduled];
