// The simulator's virtual clock and messages: timers fire at their due time as far as `advanceMs`
// allows, a script can leave a wait unanswered (`never`) so a timer wins, and a process that sends
// itself a message receives it.
import { describe, expect, it } from "vitest";
import {
	type NodeDefinition,
	type SimulationOptions,
	simulate,
	traceOf,
	waitingReasons,
} from "../../../src/engine/index.ts";
import { pureJobRunner } from "../../../src/tasks/simulation-jobs.ts";
import { build, n, t } from "../helpers/builder.ts";
import { testCatalog } from "../helpers/catalog.ts";

const HOUR = 3_600_000;
const END = { end: true, task: "dummy", inline: true } as const;
const AMOUNT = { questions: { amount: { label: "Amount", type: "number", required: true } } };

function run(wf: ReturnType<typeof build>, options: SimulationOptions = {}) {
	const result = simulate(wf, { runJob: pureJobRunner(testCatalog), ...options });
	expect(result.errors).toEqual([]);
	return result;
}

/** When each task of `node` fired, in hours from the start (timers end when they fire). */
function firedAtHours(result: ReturnType<typeof run>, node: string): number[] {
	return result.state.tasks
		.filter((task) => task.node === node && task.status === "SUCCESS")
		.map((task) => Math.round(((task.endedAt as number) - result.state.createdAt) / HOUR));
}

/** approve (a person) with a non-interrupting hourly reminder, three times at most. */
const reminded = build(
	[
		n("approve", { start: true, task: "ask", params: AMOUNT }),
		n("remind", {
			attachedTo: "approve",
			interrupting: false,
			task: "wait",
			params: { cycle: "R3/PT1H" },
		}),
		n("nudge", { task: "dummy", inline: true }),
		n("done", END),
	],
	[t("approve", "done"), t("remind", "nudge")],
);

describe("the virtual clock", () => {
	it("B3 a reminder cycle R3/PT1H fires three times within PT5H, and not beyond", () => {
		const result = run(reminded, { script: { approve: { never: true } }, advanceMs: 5 * HOUR });
		expect(firedAtHours(result, "remind")).toEqual([1, 2, 3]);
		expect(result.state.tasks.filter((task) => task.node === "remind")).toHaveLength(3);
		expect(result.state.tasks.filter((task) => task.node === "nudge")).toHaveLength(3);
		expect(result.state.status).toBe("STARTED");
		// Time passes to the limit with nothing left to fire: the run ends there.
		expect(result.now).toBe(5 * HOUR);
		expect(result.until).toBe(5 * HOUR);
	});

	it("B3 a cycle's firings past the limit stay pending, with when they are due", () => {
		const result = run(reminded, {
			script: { approve: { never: true } },
			advanceMs: 2.5 * HOUR,
		});
		expect(firedAtHours(result, "remind")).toEqual([1, 2]);
		const next = result.state.tasks.findLast((task) => task.node === "remind");
		expect(next).toMatchObject({ status: "STARTED", cycle: { remaining: 0 } });
		expect(waitingReasons(reminded, result.state, result.now)).toContainEqual(
			expect.objectContaining({
				rule: "B3",
				dueAt: next?.timerDueAt,
				text: "`remind` on `approve` (a cycle, 0 more after it) fires in 30m 0s",
			}),
		);
	});

	it("B3 a person who answers ends the reminders before the first one", () => {
		const result = run(reminded, { advanceMs: 5 * HOUR });
		expect(traceOf(result.state)).toEqual([
			"approve SUCCESS",
			"remind REVOKED",
			"done SUCCESS",
			"process SUCCESS",
		]);
		expect(result.now).toBeLessThan(HOUR);
	});

	it("H1 an escalation at the due date wins over a person who never answers", () => {
		const wf = build(
			[
				n("approve", { start: true, task: "ask", params: AMOUNT, due: "P1D" }),
				n("escalate", { attachedTo: "approve", task: "wait", params: { at: "due" } }),
				n("done", END),
				n("escalated", END),
			],
			[t("approve", "done"), t("escalate", "escalated")],
		);
		const result = run(wf, { script: { approve: { never: true } }, advanceMs: 2 * 24 * HOUR });
		expect(traceOf(result.state)).toEqual([
			"approve REVOKED",
			"escalate SUCCESS",
			"escalated SUCCESS",
			"process SUCCESS",
		]);
		expect(firedAtHours(result, "escalate")).toEqual([24]);
		// Short of the due date, the person is still awaited and the escalation is pending.
		const early = run(wf, { script: { approve: { never: true } }, advanceMs: 12 * HOUR });
		expect(early.state.status).toBe("STARTED");
		expect(early.now).toBe(12 * HOUR);
	});

	it("keeps firing every timer as far as it needs without a limit, as before advanceMs", () => {
		const wf = build(
			[n("sleep", { start: true, task: "wait", params: { duration: "P30D" } }), n("done", END)],
			[t("sleep", "done")],
		);
		const result = run(wf);
		expect(result.state.status).toBe("SUCCESS");
		expect(firedAtHours(result, "sleep")).toEqual([30 * 24]);
		expect(result.until).toBeUndefined();
	});

	it("B3 an endless cycle alone does not move the clock without a limit", () => {
		const wf = build(
			[
				n("approve", { start: true, task: "ask", params: AMOUNT }),
				n("remind", {
					attachedTo: "approve",
					interrupting: false,
					task: "wait",
					params: { cycle: "R/PT1H" },
				}),
				n("nudge", { task: "dummy", inline: true }),
				n("done", END),
			],
			[t("approve", "done"), t("remind", "nudge")],
		);
		const idle = run(wf, { script: { approve: { never: true } } });
		expect(firedAtHours(idle, "remind")).toEqual([]);
		const bounded = run(wf, { script: { approve: { never: true } }, advanceMs: 4 * HOUR });
		expect(firedAtHours(bounded, "remind")).toEqual([1, 2, 3, 4]);
	});

	it("T6 a retry due past the limit stays pending", () => {
		const wf = build([n("charge", { start: true }), n("done", END)], [t("charge", "done")]);
		const result = run(wf, { script: { charge: { fail: "busy", times: 1 } }, advanceMs: 5_000 });
		expect(result.state.tasks[0]).toMatchObject({ status: "RETRY", attempt: 2 });
		const later = run(wf, { script: { charge: { fail: "busy", times: 1 } }, advanceMs: 60_000 });
		expect(later.state.status).toBe("SUCCESS");
	});
});

describe("messages in the simulator", () => {
	/** An event-based gateway: the invoice is paid, or after three days the payment is chased. */
	const race = build(
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

	it("E1 the timer wins the race when the message never comes", () => {
		const result = run(race, { script: { paid: { never: true } }, advanceMs: 7 * 24 * HOUR });
		expect(traceOf(result.state)).toEqual([
			"bill SUCCESS",
			"paid REVOKED",
			"timeout SUCCESS",
			"chase SUCCESS",
			"process SUCCESS",
		]);
		expect(firedAtHours(result, "timeout")).toEqual([72]);
	});

	it("N1 a scripted message wins the race, with the script's payload as the wait's result", () => {
		for (const entry of [{ result: { amount: 10 } }, { amount: 10 }]) {
			const result = run(race, { script: { paid: entry }, advanceMs: 7 * 24 * HOUR });
			expect(traceOf(result.state)).toEqual([
				"bill SUCCESS",
				"paid SUCCESS",
				"timeout REVOKED",
				"thanks SUCCESS",
				"process SUCCESS",
			]);
			expect(result.state.tasks[1]?.result).toEqual({ amount: 10 });
		}
	});

	it("N1 a message wait unanswered within the limit says what it waits for", () => {
		const result = run(race, { script: { paid: { never: true } }, advanceMs: 24 * HOUR });
		expect(waitingReasons(race, result.state, result.now).map((r) => r.text)).toEqual([
			"`paid` (racing `timeout`) waits for message `invoice-paid` with key `42`",
			"`timeout` (racing `paid`) fires in 2d 0h",
		]);
	});

	it("N2 a process that sends itself messages receives them, kept when sent before the wait", () => {
		const send = (key: string, message: string, payload: unknown): NodeDefinition =>
			n(key, { task: "send", params: { message, correlationKey: "k", payload } });
		const wf = build(
			[
				n("fork", { start: true, task: "dummy", inline: true }),
				n("slow", { task: "wait", params: { duration: "PT2H" } }),
				send("tell", "ready", { ok: true }),
				n("hear", { task: "message", params: { message: "ready", correlationKey: "k" } }),
				send("early", "early", 7),
				n("late", { task: "wait", params: { duration: "PT1H" } }),
				n("hearEarly", { task: "message", params: { message: "early", correlationKey: "k" } }),
				n("join", END),
			],
			[
				t("fork", "slow"),
				t("slow", "tell"),
				t("fork", "hear"),
				t("fork", "early"),
				t("fork", "late"),
				t("late", "hearEarly"),
				t("tell", "join"),
				t("hear", "join"),
				t("early", "join"),
				t("hearEarly", "join"),
			],
		);
		const result = run(wf);
		expect(result.state.status).toBe("SUCCESS");
		const byNode = (key: string) => result.state.tasks.find((task) => task.node === key);
		// `hear` waited two hours for `tell`, instead of taking a scripted null at once.
		expect(byNode("hear")?.result).toEqual({ ok: true });
		expect(byNode("hear")?.endedAt).toBeGreaterThanOrEqual(byNode("tell")?.endedAt as number);
		// `early` was published an hour before `hearEarly` subscribed; it was kept for it.
		expect(byNode("hearEarly")?.result).toBe(7);
	});

	it("B1 a message boundary fires only when the script says so", () => {
		const wf = build(
			[
				n("work", { start: true, task: "wait", params: { duration: "PT1H" } }),
				n("cancel", {
					attachedTo: "work",
					task: "message",
					params: { message: "cancel", correlationKey: "x" },
				}),
				n("done", END),
				n("cancelled", END),
			],
			[t("work", "done"), t("cancel", "cancelled")],
		);
		expect(traceOf(run(wf).state).slice(-2)).toEqual(["done SUCCESS", "process SUCCESS"]);
		const cancelled = run(wf, { script: { cancel: { result: "stop" } } });
		expect(traceOf(cancelled.state)).toEqual([
			"work REVOKED",
			"cancel SUCCESS",
			"cancelled SUCCESS",
			"process SUCCESS",
		]);
	});
});

describe("script entries per pass", () => {
	it("M1 count the instances of a multi-instance node, not its body", () => {
		const wf = build(
			[
				n("review", {
					start: true,
					task: "question",
					params: { title: "Accept?" },
					multiInstance: { items: "params.reviewers", as: "reviewer" },
				}),
				n("done", END),
			],
			[t("review", "done")],
			{ params: { reviewers: ["ann", "bob", "cy"] } },
		);
		const script = { review: [{ answer: "yes" }, { answer: "no" }, { answer: "maybe" }] };
		const result = run(wf, { script });
		expect(result.state.tasks[0]?.result).toEqual(["yes", "no", "maybe"]);
		const waiting = run(wf, { script: { review: [{ answer: "yes" }, { never: true }] } });
		expect(waiting.state.tasks.map((task) => task.status)).toEqual([
			"STARTED",
			"SUCCESS",
			"PENDING",
			"PENDING",
		]);
	});

	it("a subprocess that never ends keeps its parent waiting", () => {
		const wf = build(
			[n("child", { start: true, task: "subprocess", params: { workflow: "x" } }), n("done", END)],
			[t("child", "done")],
		);
		expect(run(wf).state.status).toBe("SUCCESS");
		const result = run(wf, { script: { child: { never: true } } });
		expect(result.state.tasks[0]?.status).toBe("STARTED");
		expect(result.state.status).toBe("STARTED");
	});
});
