// T13: the dispatch watchdog. A dispatched job that no worker claims by its deadline is sent again
// (same attempt), with a growing deadline; repeated re-sends raise an incident that the claim closes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	DISPATCH_TIMEOUT_MS,
	dueWork,
	nextWakeAt,
	REDISPATCHES_BEFORE_INCIDENT,
} from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { ProcessRun } from "../helpers/harness.ts";

const wf = build([n("a", { start: true }), n("b", { end: true })], [t("a", "b")]);

/** Moves the run's clock to `at` and runs what the engine says is due, as the alarm does. */
function alarmAt(run: ProcessRun, at: number): void {
	run.now = at - 1;
	for (const { command } of dueWork(run.state, at)) run.send(command);
}

describe("dispatch watchdog", () => {
	it("T13 a dispatched job records its claim deadline, and the alarm wakes for it", () => {
		const run = new ProcessRun(wf).start();
		const a = run.task("a");
		expect(a.dispatchDueBy).toBe(run.now + DISPATCH_TIMEOUT_MS);
		expect(nextWakeAt(run.state)).toBe(a.dispatchDueBy);
		expect(dueWork(run.state, run.now + DISPATCH_TIMEOUT_MS - 1)).toEqual([]);
		expect(dueWork(run.state, run.now + DISPATCH_TIMEOUT_MS)).toEqual([
			{ command: { type: "RedispatchJobs" } },
		]);
		// Claimed: no deadline any more; the lease takes over.
		run.send({ type: "ClaimTask", taskId: a.id, attempt: 1 });
		expect(run.task("a").dispatchDueBy).toBeUndefined();
		expect(nextWakeAt(run.state)).toBe(run.task("a").leaseUntil);
	});

	it("T13 a retry's deadline counts its backoff delay", () => {
		const run = new ProcessRun(wf).start();
		run.fail("a");
		expect(run.task("a")).toMatchObject({ status: "RETRY", attempt: 2 });
		expect(run.task("a").dispatchDueBy).toBe(run.now + 10_000 + DISPATCH_TIMEOUT_MS);
	});

	it("T13 an unclaimed job past its deadline is sent again, same attempt, with a growing deadline", () => {
		const run = new ProcessRun(wf).start();
		const first = run.task("a").dispatchDueBy as number;
		alarmAt(run, first);
		expect(run.effects).toEqual([
			{ type: "DispatchTask", taskId: "p/t1", attempt: 1, delaySeconds: 0 },
		]);
		expect(run.events).toMatchObject([
			{ type: "TaskRedispatched", taskId: "p/t1", data: { attempt: 1, resends: 1 } },
		]);
		const second = run.task("a").dispatchDueBy as number;
		expect(second - run.now).toBe(2 * DISPATCH_TIMEOUT_MS);
		alarmAt(run, second);
		expect(run.task("a").dispatchDueBy! - run.now).toBe(4 * DISPATCH_TIMEOUT_MS);
		expect(run.task("a")).toMatchObject({ status: "PENDING", attempt: 1, redispatches: 2 });
		// Not yet due: nothing happens.
		expect(dueWork(run.state, run.now + 1)).toEqual([]);
	});

	it("T13 repeated re-sends raise a dispatch_lost incident, which the claim resolves", () => {
		const run = new ProcessRun(wf).start();
		for (let i = 0; i < REDISPATCHES_BEFORE_INCIDENT; i++)
			alarmAt(run, run.task("a").dispatchDueBy as number);
		const incident = run.state.incidents.find((i) => i.kind === "dispatch_lost");
		expect(incident).toMatchObject({ taskId: "p/t1" });
		expect(incident?.resolvedAt).toBeUndefined();
		expect(run.task("a").incident).toBe(incident?.id);
		// One more re-send does not raise a second incident.
		alarmAt(run, run.task("a").dispatchDueBy as number);
		expect(run.state.incidents.filter((i) => i.kind === "dispatch_lost")).toHaveLength(1);
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 1 });
		expect(run.state.incidents[0]?.resolvedAt).toBe(run.now);
		expect(run.task("a").incident).toBeUndefined();
		expect(run.events.map((e) => e.type)).toEqual(["TaskStarted", "IncidentResolved"]);
	});

	it("T13 input tasks, inline tasks, claimed jobs and finished processes have no deadline", () => {
		const inline = build(
			[n("a", { start: true, task: "dummy", inline: true }), n("b", { end: true, task: "ask" })],
			[t("a", "b")],
		);
		const run = new ProcessRun(inline).start();
		expect(run.state.tasks.every((x) => x.dispatchDueBy === undefined)).toBe(true);
		expect(nextWakeAt(run.state)).toBeUndefined();
		const stopped = new ProcessRun(wf).start().send({ type: "StopProcess" });
		expect(dueWork(stopped.state, stopped.now + 10 * DISPATCH_TIMEOUT_MS)).toEqual([]);
		expect(nextWakeAt(stopped.state)).toBeUndefined();
	});

	it("T13/G3 property: however often a job is re-sent and delivered, it runs and completes once", () => {
		fc.assert(
			fc.property(
				fc.array(fc.constantFrom("alarm", "deliver", "complete"), { maxLength: 30 }),
				(schedule) => {
					const run = new ProcessRun(wf).start();
					const task = () => run.task("a");
					let runs = 0;
					let completions = 0;
					const deliver = () => {
						run.send({ type: "ClaimTask", taskId: task().id, attempt: task().attempt });
						if ((run.reply as { run: boolean }).run) runs += 1;
					};
					const complete = () => {
						run.send({ type: "CompleteTask", taskId: task().id, attempt: task().attempt });
						if (run.events.some((e) => e.type === "TaskSucceeded")) completions += 1;
					};
					for (const act of schedule) {
						const due = task().dispatchDueBy;
						// The alarm at the dispatch deadline (a lease never expires here).
						if (act === "alarm" && due !== undefined && task().status === "PENDING")
							alarmAt(run, due);
						else if (act === "deliver") deliver();
						// A worker reports only what it ran.
						else if (act === "complete" && runs > 0) complete();
					}
					// A last delivery of any of the messages sent, and its completion.
					deliver();
					complete();
					complete();
					expect(run.statuses()).toEqual(["a:SUCCESS", "b:PENDING"]);
					expect(runs).toBe(1);
					expect(completions).toBe(1);
					expect(task().attempt).toBe(1);
					expect(run.state.incidents.filter((i) => i.resolvedAt === undefined)).toEqual([]);
				},
			),
		);
	});
});
