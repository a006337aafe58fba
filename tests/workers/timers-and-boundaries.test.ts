// Time and events on the real ProcessObject alarm, D1 index and queue: many timers in one process,
// boundary timers and escalations, scopes and multi-instance nodes run end to end in workerd.
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { processStub } from "../../src/durable/process-client.ts";
import {
	expectIndexMatches,
	finished,
	publish,
	start,
	view,
	waitFor,
	workflow,
} from "./process-fixtures.ts";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("one alarm for every timer", () => {
	it("W1 1,000 timers in one process fire in order, none lost, with an eviction before each alarm", async () => {
		await publish(
			workflow(
				"thousand-timers",
				[
					{
						key: "pause",
						task: "wait",
						start: true,
						// Item i is due i × 5 ms after its creation: 1,000 due times over five seconds.
						params: { duration: "= params.item * 0.005" },
						multiInstance: { items: "for i in 1..1000 return i" },
					},
					{ key: "end", task: "dummy", end: true, inline: true },
				],
				[{ from: "pause", to: "end" }],
			),
		);
		const { processId } = await start("thousand-timers");
		const stub = env.PROCESS.getByName(processId);
		let alarms = 0;
		for (; alarms < 400; alarms++) {
			if ((await view(processId)).state.status !== "STARTED") break;
			await evictDurableObject(stub);
			await runDurableObjectAlarm(stub);
			await pause(25);
		}
		const done = await waitFor(processId, finished);
		expect(done.state.status).toBe("SUCCESS");
		const instances = done.state.tasks.filter((t) => t.instanceOf !== undefined);
		expect(instances).toHaveLength(1000);
		expect(instances.every((t) => t.status === "SUCCESS")).toBe(true);
		// In order: the history records their successes by ascending item.
		const history = await processStub(env, processId).history(0, 20_000);
		const index = new Map(instances.map((t) => [t.id, t.instanceIndex ?? -1]));
		const fired = history
			.filter((e) => e.type === "TaskSucceeded" && index.has(e.taskId ?? ""))
			.map((e) => index.get(e.taskId ?? "") as number);
		expect(fired).toEqual(instances.map((_, i) => i));
		// Several alarms were needed: the timers did not all fire in one pass.
		expect(alarms).toBeGreaterThan(3);
		await expectIndexMatches(processId);
	}, 120_000);
});

describe("boundary events end to end", () => {
	it("B2 H1 an escalation at the due date revokes the person's task and takes its path", async () => {
		await publish(
			workflow(
				"escalating",
				[
					{ key: "approve", task: "ask", start: true, due: "1s", params: { questions: {} } },
					{ key: "done", task: "dummy", end: true, inline: true },
					{ key: "escalate", task: "wait", attachedTo: "approve", params: { at: "due" } },
					{ key: "director", task: "dummy", end: true, inline: true },
				],
				[
					{ from: "approve", to: "done" },
					{ from: "escalate", to: "director" },
				],
			),
		);
		const { processId } = await start("escalating");
		const waiting = await waitFor(processId, (v) =>
			v.state.tasks.some((t) => t.node === "escalate" && t.status === "STARTED"),
		);
		const approve = waiting.state.tasks[0];
		expect(approve?.dueAt).toBeDefined();
		await pause(1_100);
		const stub = env.PROCESS.getByName(processId);
		await evictDurableObject(stub);
		await runDurableObjectAlarm(stub);
		const done = await waitFor(processId, finished);
		expect(done.state.tasks.map((t) => `${t.node}:${t.status}`)).toEqual([
			"approve:REVOKED",
			"escalate:SUCCESS",
			"director:SUCCESS",
		]);
		const history = await processStub(env, processId).history();
		expect(history.find((e) => e.type === "BoundaryFired")?.data).toMatchObject({
			hostNode: "approve",
			interrupting: true,
		});
		await expectIndexMatches(processId);
	});

	it("B4 C1 an error inside a scope is caught by the scope's error boundary", async () => {
		await publish(
			workflow(
				"scoped-error",
				[
					{
						key: "check",
						task: "scope",
						start: true,
						nodes: [
							{ key: "inspect", task: "add", start: true, inline: true, params: { a: 1, b: 1 } },
							{ key: "reject", task: "error", end: true, params: { code: "REJECTED" } },
						],
						transitions: [{ from: "inspect", to: "reject" }],
					},
					{ key: "pay", task: "dummy", end: true, inline: true },
					{ key: "rejected", task: "error", attachedTo: "check", params: { code: "REJECTED" } },
					{ key: "refund", task: "dummy", end: true, inline: true },
				],
				[
					{ from: "check", to: "pay" },
					{ from: "rejected", to: "refund" },
				],
			),
		);
		const { processId } = await start("scoped-error");
		const done = await waitFor(processId, finished);
		expect(done.state.status).toBe("SUCCESS");
		expect(done.state.tasks.map((t) => `${t.node}:${t.status}`)).toEqual([
			"check:FAILURE",
			"inspect:SUCCESS",
			"reject:FAILURE",
			"rejected:SUCCESS",
			"refund:SUCCESS",
		]);
		await expectIndexMatches(processId);
	});

	it("M1 queued instances complete and the body collects their results in item order", async () => {
		await publish(
			workflow(
				"each-adds",
				[
					// Not inline: each instance takes the queue hop, claimed and completed by the consumer.
					{ key: "sum", task: "dummy", start: true, multiInstance: { items: "[1, 2, 3]" } },
					{ key: "end", task: "dummy", end: true, inline: true },
				],
				[{ from: "sum", to: "end" }],
			),
		);
		const { processId } = await start("each-adds");
		const done = await waitFor(processId, finished);
		expect(done.state.status).toBe("SUCCESS");
		expect(done.state.tasks[0]?.result).toEqual([null, null, null]);
		expect(done.state.tasks.filter((t) => t.instanceOf !== undefined).map((t) => t.params)).toEqual(
			[
				{ item: 1, loopIndex: 0 },
				{ item: 2, loopIndex: 1 },
				{ item: 3, loopIndex: 2 },
			],
		);
		await expectIndexMatches(processId);
	});
});
