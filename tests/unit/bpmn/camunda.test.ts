// Golden imports of a Camunda 8 and a Camunda 7 model (tests/fixtures/bpmn): user tasks with their
// forms, a service task of a registered type (http), conditions on process variables (R5), a
// boundary timer and messages. Each imports to exactly the definition below, with the warnings
// that name what it loses, and runs in the simulator to the end its data leads to.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importBpmn } from "../../../src/bpmn/import.ts";
import {
	checkStartParams,
	compileWorkflow,
	type SimulationOptions,
	simulate,
	type WorkflowDefinition,
} from "../../../src/engine/index.ts";
import { taskCatalog } from "../../../src/tasks/registry.ts";

const DAY = 86_400_000;

async function golden(file: string) {
	const xml = readFileSync(new URL(`../../fixtures/bpmn/${file}`, import.meta.url), "utf8");
	const result = await importBpmn(xml);
	if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 1));
	return result;
}

/** Runs the definition; returns the status, the nodes whose tasks succeeded, and the clock. */
function run(def: WorkflowDefinition, options: SimulationOptions) {
	const compiled = compileWorkflow(def, taskCatalog);
	if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems, null, 1));
	expect(checkStartParams(def, options.params ?? {})).toMatchObject({ ok: true });
	const result = simulate(compiled.workflow, options);
	expect(result.errors).toEqual([]);
	const succeeded = result.state.tasks.filter((t) => t.status === "SUCCESS").map((t) => t.node);
	return { status: result.state.status, succeeded, now: result.now };
}

const EXPENSE_CLAIM: WorkflowDefinition = {
	key: "expense-claim",
	name: "Expense claim",
	nodes: [
		{ key: "claim_submitted", task: "dummy", name: "Claim submitted", start: true },
		{ key: "size", task: "dummy", name: "Large amount?", split: "xor" },
		{
			key: "review",
			task: "ask",
			name: "Review the claim",
			description:
				"Finance checks claims over 1000 EUR.\n\nCheck the receipt against the expense policy.",
			role: "finance",
			due: '=now() + duration("P2D")',
			params: {
				questions: {
					approved: { label: "Approve the claim", type: "checkbox" },
					category: { label: "Category", type: "select", options: ["travel", "meals"] },
					comment: { label: "Comment", type: "longtext", max: 500 },
				},
			},
		},
		{
			key: "review_too_slow",
			task: "wait",
			name: "3 days",
			attachedTo: "review",
			params: { duration: "P3D" },
		},
		{
			key: "claim_withdrawn",
			task: "message",
			name: "Claim withdrawn",
			attachedTo: "review",
			params: { message: "claim-withdrawn", correlationKey: "=claimId" },
		},
		{ key: "decision", task: "dummy", name: "Approved?", split: "xor" },
		{
			key: "pay",
			task: "http",
			name: "Pay the claim",
			params: { url: "https://payments.example/claims", method: "POST" },
			join: "xor",
		},
		{
			key: "payment_confirmed",
			task: "message",
			name: "Payment confirmed",
			params: { message: "payment-confirmed", correlationKey: "=claimId" },
		},
		{ key: "paid", task: "dummy", name: "Claim paid", end: true },
		{ key: "refused", task: "dummy", name: "Claim refused", end: true },
		{ key: "escalated", task: "dummy", name: "Review too slow", end: true },
		{ key: "withdrawn", task: "dummy", name: "Claim withdrawn", end: true },
	],
	transitions: [
		{ from: "claim_submitted", to: "size" },
		{ from: "size", to: "review", condition: "=amount > 1000" },
		{ from: "size", to: "pay" },
		{ from: "review", to: "decision" },
		{ from: "decision", to: "pay", condition: "=approved" },
		{ from: "decision", to: "refused" },
		{ from: "pay", to: "payment_confirmed" },
		{ from: "payment_confirmed", to: "paid" },
		{ from: "review_too_slow", to: "escalated" },
		{ from: "claim_withdrawn", to: "withdrawn" },
	],
	startForm: {
		claimId: { label: "Claim number", required: true },
		amount: { label: "Amount (EUR)", type: "number", required: true, min: 0 },
		purpose: { label: "Purpose", type: "longtext" },
	},
	roles: [{ key: "finance", name: "finance" }],
};

const LEAVE_REQUEST: WorkflowDefinition = {
	key: "leave-request",
	name: "Leave request",
	nodes: [
		{ key: "leave_requested", task: "dummy", name: "Leave requested", start: true },
		{ key: "long_leave", task: "dummy", name: "More than 5 days?", split: "xor" },
		{
			key: "approve",
			task: "ask",
			name: "Approve the leave",
			role: "managers",
			params: {
				questions: {
					approved: { label: "Approved", type: "checkbox" },
					note: { label: "Note to the employee", max: 500 },
				},
			},
		},
		{
			key: "reminder_due",
			task: "wait",
			name: "2 days",
			attachedTo: "approve",
			interrupting: false,
			params: { duration: "PT48H" },
		},
		{
			key: "remind",
			task: "send",
			name: "Remind the manager",
			params: { message: "leave-reminder", correlationKey: "= process.id" },
		},
		// An end after a non-interrupting timer ends only its path: here, a step where it stops.
		{ key: "reminded", task: "dummy", name: "Manager reminded" },
		{ key: "approved_gw", task: "dummy", name: "Approved?", split: "xor" },
		{
			key: "explain",
			task: "question",
			name: "Explain the refusal",
			role: "hr-desk",
			params: { title: "Explain the refusal" },
		},
		{ key: "refused", task: "dummy", name: "Leave refused", end: true },
		{
			key: "record",
			task: "http",
			name: "Record the leave",
			params: { url: "https://hr.example/api/leaves", method: "POST" },
			join: "xor",
		},
		{
			key: "wait_for_hr",
			task: "message",
			name: "Wait for HR",
			params: { message: "hr-confirmed", correlationKey: "= process.id" },
		},
		{ key: "recorded", task: "dummy", name: "Leave recorded", end: true },
	],
	transitions: [
		{ from: "leave_requested", to: "long_leave" },
		{ from: "long_leave", to: "approve", condition: '= days > 5 and kind != "unpaid"' },
		{ from: "long_leave", to: "record" },
		{ from: "approve", to: "approved_gw" },
		{ from: "approved_gw", to: "record", condition: "= approved" },
		{ from: "approved_gw", to: "explain", condition: "= not(approved)" },
		{ from: "explain", to: "refused" },
		{ from: "reminder_due", to: "remind" },
		{ from: "remind", to: "reminded" },
		{ from: "record", to: "wait_for_hr" },
		{ from: "wait_for_hr", to: "recorded" },
	],
	startForm: {
		days: { label: "Days of leave", type: "integer", required: true, min: 1 },
		kind: { label: "Kind of leave", type: "select", options: ["annual", "unpaid"] },
		first_day: { label: "First day", type: "date" },
	},
	roles: [
		{ key: "managers", name: "managers" },
		{ key: "hr-desk", name: "hr-desk" },
	],
};

describe("BPMN import of a Camunda 8 model", () => {
	it("imports the expense claim exactly: embedded forms, job type http, FEEL as written, timer and message boundaries", async () => {
		const result = await golden("camunda8-expense-claim.bpmn");
		const { layout, ...definition } = result.definition;
		expect(definition).toEqual(EXPENSE_CLAIM);
		// The author's drawing comes along: every node's box, every flow's waypoints.
		expect(layout?.nodes.review).toEqual({ x: 350, y: 60, width: 100, height: 80 });
		expect(Object.keys(layout?.nodes ?? {})).toHaveLength(EXPENSE_CLAIM.nodes.length);
		expect(Object.keys(layout?.transitions ?? {})).toHaveLength(EXPENSE_CLAIM.transitions.length);
		expect(result.valid).toBe(true);
		expect(result.warnings.map((w) => [w.code, w.id, w.line])).toEqual([
			["FORM_READ_ONLY_FIELD", "review", 35],
			["INPUT_NOT_KEPT", "pay", 60],
		]);
	});

	const params = { claimId: "C-7", amount: 1500, purpose: "Conference" };

	it("R5 routes a large claim to review, and on to payment once approved", () => {
		const done = run(EXPENSE_CLAIM, {
			params,
			script: { review: { approved: true, category: "travel" } },
		});
		expect(done.status).toBe("SUCCESS");
		expect(done.succeeded).toEqual([
			"claim_submitted",
			"size",
			"review",
			"decision",
			"pay",
			"payment_confirmed",
			"paid",
		]);
	});

	it("R5 pays a small claim without review, and refuses a large one the reviewer does not approve", () => {
		const small = run(EXPENSE_CLAIM, { params: { ...params, amount: 200 } });
		expect(small.succeeded).toEqual([
			"claim_submitted",
			"size",
			"pay",
			"payment_confirmed",
			"paid",
		]);
		const refused = run(EXPENSE_CLAIM, { params, script: { review: { approved: false } } });
		expect(refused.status).toBe("SUCCESS");
		expect(refused.succeeded.at(-1)).toBe("refused");
	});

	it("ends at the timer after three days without a review, or at once when the claim is withdrawn", () => {
		const slow = run(EXPENSE_CLAIM, {
			params,
			script: { review: { never: true } },
			advanceMs: 10 * DAY,
		});
		expect(slow.status).toBe("SUCCESS");
		expect(slow.succeeded.at(-1)).toBe("escalated");
		expect(slow.now).toBeGreaterThanOrEqual(3 * DAY);
		const withdrawn = run(EXPENSE_CLAIM, {
			params,
			script: { review: { never: true }, claim_withdrawn: { reason: "duplicate" } },
			advanceMs: 10 * DAY,
		});
		expect(withdrawn.succeeded.at(-1)).toBe("withdrawn");
		expect(withdrawn.now).toBeLessThan(DAY);
	});
});

describe("BPMN import of a Camunda 7 model", () => {
	it("imports the leave request exactly: form fields, JUEL as FEEL, an external task of topic http, lanes and assignments", async () => {
		const result = await golden("camunda7-leave-request.bpmn");
		const { layout, ...definition } = result.definition;
		expect(definition).toEqual(LEAVE_REQUEST);
		expect(layout?.nodes.reminder_due).toEqual({ x: 422, y: 322, width: 36, height: 36 });
		expect(result.valid).toBe(true);
		expect(result.warnings.map((w) => [w.code, w.id, w.line])).toEqual([
			["ASSIGNEE_NOT_KEPT", "approve", 50],
			["MESSAGE_BY_PROCESS_ID", "wait_for_hr", 100],
			["SIDE_PATH_END", "reminded", 74],
			["BLACK_BOX_POOL", "Participant_hr", 5],
		]);
	});

	const params = { days: 10, kind: "annual" };

	it("R5 sends long leave for approval and records it once approved; short or unpaid leave is recorded at once", () => {
		const approved = run(LEAVE_REQUEST, { params, script: { approve: { approved: true } } });
		expect(approved.status).toBe("SUCCESS");
		expect(approved.succeeded).toEqual([
			"leave_requested",
			"long_leave",
			"approve",
			"approved_gw",
			"record",
			"wait_for_hr",
			"recorded",
		]);
		for (const other of [{ days: 2 }, { days: 10, kind: "unpaid" }]) {
			const direct = run(LEAVE_REQUEST, { params: other });
			expect(direct.succeeded).toEqual([
				"leave_requested",
				"long_leave",
				"record",
				"wait_for_hr",
				"recorded",
			]);
		}
	});

	it("R5 has a refusal explained before it ends", () => {
		const refused = run(LEAVE_REQUEST, { params, script: { approve: { approved: false } } });
		expect(refused.status).toBe("SUCCESS");
		expect(refused.succeeded.slice(-2)).toEqual(["explain", "refused"]);
	});

	it("reminds the manager after two days and goes on waiting for the approval (the reminder's end stops only its path)", () => {
		const waiting = run(LEAVE_REQUEST, {
			params,
			script: { approve: { never: true } },
			advanceMs: 3 * DAY,
		});
		expect(waiting.status).toBe("STARTED");
		expect(waiting.succeeded).toEqual([
			"leave_requested",
			"long_leave",
			"reminder_due",
			"remind",
			"reminded",
		]);
	});
});
