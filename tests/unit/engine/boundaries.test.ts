// B1–B4 and H1: boundary events on a node (timers, messages, errors; interrupting or not) and due
// dates with their escalation.
import { describe, expect, it } from "vitest";
import { dueWork, nextWakeAt } from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

const HOUR = 3_600_000;
/** An end node that finishes in the step that reaches it. */
const END = { end: true, task: "dummy", inline: true } as const;

/** approve (a job) with a boundary `b` of the given kind, leading to `escalate`. */
function withBoundary(boundary: Parameters<typeof n>[1], hostExtra: Parameters<typeof n>[1] = {}) {
	return build(
		[
			n("approve", { start: true, ...hostExtra }),
			n("done", END),
			n("b", { attachedTo: "approve", ...boundary }),
			n("escalate", {}),
			n("escalated", END),
		],
		[t("approve", "done"), t("b", "escalate"), t("escalate", "escalated")],
	);
}

describe("boundary events", () => {
	it("B1 starts a listener task when its host is created, and revokes it when the host ends", () => {
		const wf = withBoundary({ task: "wait", params: { duration: "2h" } });
		const run = new ProcessRun(wf).start();
		const host = run.task("approve");
		expect(run.task("b")).toMatchObject({
			status: "STARTED",
			boundaryOf: host.id,
			timerDueAt: run.now + 2 * HOUR,
		});
		run.complete("approve");
		expect(run.task("b").status).toBe("REVOKED");
		expect(run.state.status).toBe("SUCCESS");
	});

	it("B1 a boundary timer that comes due after its host finished does nothing", () => {
		const wf = withBoundary({ task: "wait", params: { duration: "2h" } });
		const run = new ProcessRun(wf).start();
		const listener = run.task("b");
		run.complete("approve");
		run.now += 3 * HOUR;
		const before = JSON.stringify(run.state);
		run.send({ type: "FireTimer", taskId: listener.id });
		expect(JSON.stringify(run.state)).toBe(before);
		expect(run.events).toEqual([]);
	});

	it("B2 an interrupting timer revokes its host once and takes its own path", () => {
		const wf = withBoundary({ task: "wait", params: { duration: "2h" } });
		const run = new ProcessRun(wf).start();
		const listener = run.task("b");
		run.now = listener.timerDueAt as number;
		run.send({ type: "FireTimer", taskId: listener.id });
		expect(run.statuses()).toEqual(["approve:REVOKED", "b:SUCCESS", "escalate:PENDING"]);
		expect(run.events.filter((e) => e.type === "TaskRevoked")).toHaveLength(1);
		expect(run.events.find((e) => e.type === "BoundaryFired")?.data).toMatchObject({
			host: "p/t1",
			interrupting: true,
		});
		// The host's onRevoke runs, as for any revocation of a job.
		expect(run.effects).toContainEqual({
			type: "RevokeTask",
			taskId: "p/t1",
			attempt: 1,
			taskType: "job",
		});
		// The host's late completion is acknowledged with no effect (T8).
		const late = run.try({ type: "CompleteTask", taskId: "p/t1", attempt: 1, result: null });
		expect(late.ok && late.events).toEqual([]);
	});

	it("B2 a non-interrupting timer takes its path while the host goes on", () => {
		const wf = withBoundary({ task: "wait", params: { duration: "2h" }, interrupting: false });
		const run = new ProcessRun(wf).start();
		run.now = run.task("b").timerDueAt as number;
		run.send({ type: "FireTimer", taskId: run.task("b").id });
		expect(run.statuses()).toEqual(["approve:PENDING", "b:SUCCESS", "escalate:PENDING"]);
		run.complete("approve");
		expect(run.state.status).toBe("SUCCESS");
	});

	it("B3 a cycle R3/PT1H fires three times, once per due time, while its host runs", () => {
		const wf = withBoundary({ task: "wait", params: { cycle: "R3/PT1H" }, interrupting: false });
		const run = new ProcessRun(wf).start();
		const fired: number[] = [];
		for (let i = 0; i < 5; i++) {
			const listener = run.state.tasks.findLast((x) => x.node === "b" && x.status === "STARTED");
			if (!listener) break;
			run.now = listener.timerDueAt as number;
			fired.push(run.now);
			run.send({ type: "FireTimer", taskId: listener.id });
			// A second FireTimer for the same due time does nothing.
			const again = run.try({ type: "FireTimer", taskId: listener.id });
			expect(again.ok && again.events).toEqual([]);
		}
		expect(run.tasks("b").map((x) => x.status)).toEqual(["SUCCESS", "SUCCESS", "SUCCESS"]);
		expect(fired.slice(1).map((at, i) => at - (fired[i] as number))).toEqual([HOUR, HOUR]);
		expect(run.tasks("escalate")).toHaveLength(3);
		expect(run.task("approve").status).toBe("PENDING");
	});

	it("B3 a timer's date may be FEEL over params and process", () => {
		const base = withBoundary({
			task: "wait",
			params: { until: '= date and time(params.deadline) - duration("PT1H")' },
		});
		const wf = build(base.definition.nodes, base.definition.transitions, {
			startForm: { deadline: { type: "text", label: "Deadline" } },
		});
		const run = new ProcessRun(wf, { params: { deadline: "2030-01-01T10:00:00Z" } }).start();
		expect(run.task("b").timerDueAt).toBe(Date.UTC(2030, 0, 1, 9));
	});

	it("B3 a timer whose FEEL gives no date fails the listener with TIMER_INVALID", () => {
		const wf = withBoundary(
			{ task: "wait", params: { until: "= params.missing" }, interrupting: false },
			{},
		);
		const run = new ProcessRun(wf).start();
		expect(run.task("b")).toMatchObject({ status: "FAILURE", error: { code: "TIMER_INVALID" } });
	});

	it("B1 a message boundary subscribes with its host and interrupts when the message comes", () => {
		const wf = withBoundary({
			task: "message",
			params: { message: "cancelled", correlationKey: "= params.order" },
		});
		const run = new ProcessRun(
			build(wf.definition.nodes, wf.definition.transitions, {
				startForm: { order: { type: "text", label: "Order" } },
			}),
			{ params: { order: "42" } },
		).start();
		const listener = run.task("b");
		expect(run.effects).toContainEqual({
			type: "Subscribe",
			taskId: listener.id,
			name: "cancelled",
			correlationKey: "42",
		});
		run.send({
			type: "DeliverMessage",
			taskId: listener.id,
			messageId: "m1",
			name: "cancelled",
			correlationKey: "42",
			payload: { why: "customer" },
		});
		expect(run.reply).toEqual({ delivered: true });
		expect(run.statuses()).toEqual(["approve:REVOKED", "b:SUCCESS", "escalate:PENDING"]);
		expect(run.task("b").result).toEqual({ why: "customer" });
	});

	it("B4 an error boundary catches its host's failure by code, before failure routes", () => {
		const wf = build(
			[
				n("pay", { start: true }),
				n("done", { end: true }),
				n("declined", { attachedTo: "pay", task: "error", params: { code: "DECLINED" } }),
				n("anyError", { attachedTo: "pay", task: "error" }),
				n("apologise", { end: true }),
				n("investigate", { end: true }),
				n("fallback", { end: true }),
			],
			[
				t("pay", "done"),
				t("pay", "fallback", { on: "failure" }),
				t("declined", "apologise"),
				t("anyError", "investigate"),
			],
		);
		const run = new ProcessRun(wf).start();
		const task = run.task("pay");
		run.send({ type: "ClaimTask", taskId: task.id, attempt: 1 });
		run.send({
			type: "FailTask",
			taskId: task.id,
			attempt: 1,
			error: { message: "card declined", code: "DECLINED" },
			retryable: false,
		});
		expect(run.statuses()).toEqual(["pay:FAILURE", "declined:SUCCESS", "apologise:PENDING"]);
		expect(run.task("declined").result).toEqual({ message: "card declined", code: "DECLINED" });
		expect(run.state.incidents).toEqual([]);
	});

	it("B4 an error boundary with no code catches any error", () => {
		const wf = build(
			[
				n("pay", { start: true }),
				n("done", { end: true }),
				n("anyError", { attachedTo: "pay", task: "error" }),
				n("investigate", { end: true }),
			],
			[t("pay", "done"), t("anyError", "investigate")],
		);
		const run = new ProcessRun(wf).start();
		run.fail("pay", "timeout", false);
		expect(run.statuses()).toEqual(["pay:FAILURE", "anyError:SUCCESS", "investigate:PENDING"]);
	});

	it("B1 a retried host listens again", () => {
		const wf = build(
			[
				n("pay", { start: true }),
				n("done", { end: true }),
				n("late", { attachedTo: "pay", task: "wait", params: { duration: "1h" } }),
				n("chase", { end: true }),
			],
			[t("pay", "done"), t("late", "chase")],
		);
		const run = new ProcessRun(wf).start();
		run.fail("pay", "boom", false);
		expect(run.state.status).toBe("FAILURE");
		run.send({ type: "RetryTask", taskId: run.task("pay").id, actor: admin });
		expect(run.tasks("late").map((x) => x.status)).toEqual(["REVOKED", "STARTED"]);
	});
});

describe("due dates", () => {
	it("H1 sets due and follow-up dates from durations when the task is created", () => {
		const wf = build([n("approve", { start: true, end: true, due: "P2D", followUp: "PT4H" })], []);
		const run = new ProcessRun(wf).start();
		const created = run.task("approve").createdAt;
		expect(run.task("approve")).toMatchObject({
			dueAt: created + 48 * HOUR,
			followUpAt: created + 4 * HOUR,
		});
	});

	it("H1 a due date may be FEEL; an escalation is a timer boundary at the due date", () => {
		const wf = build(
			[
				n("approve", { start: true, due: "= params.deadline" }),
				n("done", { end: true }),
				n("escalation", { attachedTo: "approve", task: "wait", params: { at: "due" } }),
				n("director", { end: true }),
			],
			[t("approve", "done"), t("escalation", "director")],
			{ startForm: { deadline: { type: "text", label: "Deadline" } } },
		);
		const run = new ProcessRun(wf, { params: { deadline: "2030-06-01T09:00:00Z" } }).start();
		const due = Date.UTC(2030, 5, 1, 9);
		expect(run.task("approve").dueAt).toBe(due);
		expect(run.task("escalation").timerDueAt).toBe(due);
		run.now = due;
		run.send({ type: "FireTimer", taskId: run.task("escalation").id });
		expect(run.statuses()).toEqual(["approve:REVOKED", "escalation:SUCCESS", "director:PENDING"]);
	});

	it("H1 a due date whose FEEL fails raises an incident and the task goes on without one", () => {
		const wf = build([n("approve", { start: true, end: true, due: "= params.nope" })], []);
		const run = new ProcessRun(wf).start();
		expect(run.task("approve").dueAt).toBeUndefined();
		expect(run.state.incidents[0]).toMatchObject({ kind: "expression" });
	});
});

describe("one alarm for every timer", () => {
	it("W1 dueWork asks for one FireDueTimers step that fires every due timer, earliest first, once", () => {
		const wf = build(
			[
				n("many", {
					start: true,
					task: "wait",
					params: { duration: "= 10 - params.item" },
					multiInstance: { items: "[1, 2, 3, 4]" },
				}),
				n("done", END),
			],
			[t("many", "done")],
		);
		const run = new ProcessRun(wf).start();
		expect(nextWakeAt(run.state)).toBe(run.now + 6_000);
		run.now += 8_000;
		const due = dueWork(run.state, run.now);
		expect(due).toEqual([{ command: { type: "FireDueTimers" } }]);
		run.send({ type: "FireDueTimers" });
		const fired = run.events
			.filter((e) => e.type === "TaskSucceeded" && e.node === "many")
			.map((e) => run.state.tasks.find((x) => x.id === e.taskId)?.params.item);
		// Items 4 and 3 were due (6 s and 7 s); 2 and 1 (8 s, 9 s): 2 is due at exactly now.
		expect(fired).toEqual([4, 3, 2]);
		run.send({ type: "FireDueTimers" });
		expect(run.events).toEqual([]);
		run.now += 1_000;
		run.send({ type: "FireDueTimers" });
		expect(run.state.status).toBe("SUCCESS");
		expect(run.tasks("many")[0]?.result).toEqual([null, null, null, null]);
	});
});
