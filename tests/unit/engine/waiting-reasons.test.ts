// Why a running process has not ended, in words: one reason per waiting task, join or dead end,
// each named by the rule that explains it.
import { describe, expect, it } from "vitest";
import { formatSpan, simulate, waitingReasons } from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { ProcessRun } from "../helpers/harness.ts";

const HOUR = 3_600_000;
const END = { end: true, task: "dummy", inline: true } as const;
const FINANCE = { roles: [{ key: "finance" }] };
const AMOUNT = { questions: { amount: { label: "Amount", type: "number", required: true } } };

/** The reasons of a run at its current time, as "rule text" lines. */
function reasons(run: ProcessRun): string[] {
	return waitingReasons(run.workflow, run.state, run.now).map((r) => `${r.rule ?? "-"} ${r.text}`);
}

describe("waitingReasons: tasks", () => {
	it("T2 names the person's role and the fields still to fill in", () => {
		const wf = build(
			[n("approve", { start: true, task: "ask", role: "finance", params: AMOUNT }), n("done", END)],
			[t("approve", "done")],
			FINANCE,
		);
		const run = new ProcessRun(wf, {}, { autoAssign: true }).start();
		expect(reasons(run)).toEqual([
			"T2 `approve` waits for a person of role `finance` to fill in: amount",
		]);
	});

	it("T3 a task of a role waits for its assignee before anything else", () => {
		const wf = build(
			[n("approve", { start: true, task: "ask", role: "finance", params: AMOUNT }), n("done", END)],
			[t("approve", "done")],
			FINANCE,
		);
		const run = new ProcessRun(wf).start();
		expect(reasons(run)).toEqual(["T3 `approve` waits for an assignee of role `finance`"]);
	});

	it("B3 a timer says when it fires; W1 one past its due time fires on the next alarm", () => {
		const wf = build(
			[n("remind", { start: true, task: "wait", params: { duration: "P1DT4H" } }), n("done", END)],
			[t("remind", "done")],
		);
		const run = new ProcessRun(wf).start();
		expect(reasons(run)).toEqual(["B3 `remind` fires in 1d 4h"]);
		const due = run.task("remind").timerDueAt as number;
		expect(waitingReasons(wf, run.state, run.now)[0]?.dueAt).toBe(due);
		expect(waitingReasons(wf, run.state, due + 1)[0]).toMatchObject({
			rule: "W1",
			text: "`remind` is due and fires on the next alarm",
		});
	});

	it("B3 a cycle on a boundary names its host and the firings left", () => {
		const wf = build(
			[
				n("approve", { start: true }),
				n("remind", {
					attachedTo: "approve",
					interrupting: false,
					task: "wait",
					params: { cycle: "R3/PT1H" },
				}),
				n("done", END),
				n("nudged", END),
			],
			[t("approve", "done"), t("remind", "nudged")],
		);
		const run = new ProcessRun(wf).start();
		expect(reasons(run)).toEqual([
			"T5 `approve` waits for its job to run (attempt 1)",
			"B3 `remind` on `approve` (a cycle, 2 more after it) fires in 1h 0m",
		]);
	});

	it("B3 an escalation at the due date of a host that got none never fires", () => {
		const wf = build(
			[
				n("approve", { start: true, due: "= params.deadline" }),
				n("escalate", { attachedTo: "approve", task: "wait", params: { at: "due" } }),
				n("done", END),
				n("escalated", END),
			],
			[t("approve", "done"), t("escalate", "escalated")],
		);
		const run = new ProcessRun(wf).start();
		expect(reasons(run)).toContain(
			"B3 `escalate` on `approve` never fires: its host `approve` has no due date",
		);
	});

	it("N1 a message wait names its message and key; E1 it names what it races", () => {
		const wf = build(
			[
				n("bill", { start: true, task: "dummy", inline: true, split: "event" }),
				n("paid", {
					task: "message",
					params: { message: "invoice-paid", correlationKey: "= params.invoice" },
				}),
				n("timeout", { task: "wait", params: { duration: "P3D" } }),
				n("thanks", END),
				n("chase", END),
			],
			[t("bill", "paid"), t("bill", "timeout"), t("paid", "thanks"), t("timeout", "chase")],
			{ params: { invoice: 42 } },
		);
		const run = new ProcessRun(wf).start();
		expect(reasons(run)).toEqual([
			"N1 `paid` (racing `timeout`) waits for message `invoice-paid` with key `42`",
			"B3 `timeout` (racing `paid`) fires in 3d 0h",
		]);
	});

	it("T6 a job between attempts says which attempt comes and why", () => {
		const wf = build([n("charge", { start: true }), n("done", END)], [t("charge", "done")]);
		const run = new ProcessRun(wf).start().fail("charge", "card declined");
		expect(reasons(run)).toEqual([
			"T6 `charge` waits for attempt 2 after a failure: card declined",
		]);
	});

	it("names a subprocess's child and workflow", () => {
		const wf = build(
			[
				n("child", { start: true, task: "subprocess", params: { workflow: "payroll" } }),
				n("done", END),
			],
			[t("child", "done")],
		);
		const run = new ProcessRun(wf).start();
		expect(reasons(run)).toEqual([
			"- `child` waits for its subprocess `p/t1/p1` of workflow `payroll` to end",
		]);
	});

	it("M1 a multi-instance node counts the instances left, and each instance speaks for itself", () => {
		const wf = build(
			[
				n("review", {
					start: true,
					task: "ask",
					params: AMOUNT,
					multiInstance: { items: "params.reviewers", as: "reviewer" },
				}),
				n("done", END),
			],
			[t("review", "done")],
			{ params: { reviewers: ["ann", "bob"] } },
		);
		const run = new ProcessRun(wf).start();
		expect(reasons(run)).toEqual([
			"M1 `review` waits for 2 of its 2 instances",
			"T2 `review` #1 waits for a person to fill in: amount",
			"T2 `review` #2 waits for a person to fill in: amount",
		]);
	});
});

describe("waitingReasons: routes and joins", () => {
	/** The README's expense claim: approve's answer must be yes or no. */
	const expense = build(
		[
			n("claim", { start: true, task: "ask", params: AMOUNT }),
			n("approve", { task: "question", split: "xor", params: { title: "Approve the claim?" } }),
			n("pay", END),
			n("refuse", END),
		],
		[
			t("claim", "approve"),
			t("approve", "pay", { condition: "yes" }),
			t("approve", "refuse", { condition: "no" }),
		],
	);

	it("R2 + P5 a result that matches no transition leaves the process stuck, and says so", () => {
		const run = new ProcessRun(expense)
			.start()
			.submit("claim", { amount: 12 })
			.submit("approve", { answer: "maybe" })
			.complete("approve", "maybe");
		expect(reasons(run)).toEqual([
			"R2 no transition out of `approve` matches its result `maybe`: expected `yes` or `no`",
			"P5 the process is stuck: no task is active and nothing can fire",
		]);
	});

	it("R2 quotes a FEEL condition and shows a result that is not text as JSON", () => {
		const wf = build(
			[n("score", { start: true }), n("high", END), n("low", END)],
			[
				t("score", "high", { condition: "= result.total > 10" }),
				t("score", "low", { condition: "= result.total < 5" }),
			],
		);
		const run = new ProcessRun(wf).start().complete("score", { total: 7 });
		expect(reasons(run)[0]).toBe(
			'R2 no transition out of `score` matches its result `{"total":7}`: expected `= result.total > 10` or `= result.total < 5`',
		);
	});

	it("R2 names no dead end for a route its join consumed, nor a branch that simply ends", () => {
		const wf = build(
			[
				n("a", { start: true }),
				n("b", { task: "dummy", inline: true }),
				n("note", { task: "dummy", inline: true }),
				n("wait", { task: "wait", params: { duration: "1h" } }),
				n("end", END),
			],
			[t("a", "b"), t("a", "note"), t("b", "wait"), t("wait", "end")],
		);
		const run = new ProcessRun(wf).start().complete("a");
		expect(reasons(run)).toEqual(["B3 `wait` fires in 1h 0m"]);
	});

	it("J2 an AND join names the parents it still waits for", () => {
		const wf = build(
			[n("a", { start: true }), n("b"), n("c"), n("d"), n("merge", END)],
			[t("a", "b"), t("a", "c"), t("a", "d"), t("b", "merge"), t("c", "merge"), t("d", "merge")],
		);
		const run = new ProcessRun(wf).start().complete("a").complete("d");
		expect(reasons(run).filter((r) => r.startsWith("J"))).toEqual([
			"J2 `merge` waits for `b` and `c`",
		]);
	});

	it("J4 an OR join names the branches that can still reach it", () => {
		const wf = build(
			[n("a", { start: true }), n("b"), n("c"), n("d"), n("merge", { ...END, join: "or" })],
			[t("a", "b"), t("a", "c"), t("a", "d"), t("b", "merge"), t("c", "merge"), t("d", "merge")],
		);
		const run = new ProcessRun(wf).start().complete("a").complete("b");
		expect(reasons(run).filter((r) => r.startsWith("J"))).toEqual([
			"J4 `merge` waits for `c` and `d`",
		]);
	});

	it("C1 + P5 a scope whose inner flow dead-ends is stuck, with the inner dead end named", () => {
		const wf = build(
			[
				n("inner", {
					start: true,
					task: "scope",
					nodes: [n("check", { start: true }), n("checked", END)],
					transitions: [t("check", "checked", { condition: "yes" })],
				}),
				n("done", END),
			],
			[t("inner", "done")],
		);
		const run = new ProcessRun(wf).start();
		expect(reasons(run)).toEqual([
			"C1 `inner` waits for its inner flow to reach an end node",
			"T5 `check` waits for its job to run (attempt 1)",
		]);
		run.complete("check", "no");
		expect(reasons(run)).toEqual([
			"P5 `inner` is stuck: nothing inside it is active and nothing can fire",
			"R2 no transition out of `check` matches its result `no`: expected `yes`",
		]);
	});

	it("P7 a spent step budget is named", () => {
		const wf = build([n("a", { start: true }), n("b"), n("c", END)], [t("a", "b"), t("b", "c")], {
			stepBudget: 1,
		});
		const run = new ProcessRun(wf).start().complete("a");
		expect(reasons(run)).toEqual(["P7 the step budget of 1 tasks is spent: an admin may raise it"]);
	});

	it("gives no reason for a process that is not running", () => {
		const wf = build([n("a", { start: true, ...END })], []);
		const done = simulate(wf);
		expect(done.state.status).toBe("SUCCESS");
		expect(waitingReasons(wf, done.state, done.now)).toEqual([]);
	});
});

describe("formatSpan", () => {
	it("reads as days and hours, hours and minutes, minutes and seconds, or seconds", () => {
		expect(formatSpan(2 * 24 * HOUR)).toBe("2d 0h");
		expect(formatSpan(28 * HOUR)).toBe("1d 4h");
		expect(formatSpan(HOUR + 30 * 60_000)).toBe("1h 30m");
		expect(formatSpan(5 * 60_000)).toBe("5m 0s");
		expect(formatSpan(40_999)).toBe("40s");
		expect(formatSpan(-5)).toBe("0s");
	});
});
