// Tasks that wait without a queue message: `wait` timers on the ProcessObject's alarm, subprocesses
// on a child ProcessObject, and FEEL conditions evaluated inside workerd.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { processStub } from "../../src/durable/process-client.ts";
import {
	expectIndexMatches,
	finished,
	publish,
	singleStep,
	start,
	view,
	waitFor,
	workflow,
} from "./process-fixtures.ts";

describe("wait timers", () => {
	it("fires a `wait` task through the alarm, not through a queue message", async () => {
		await publish(singleStep("timer", { key: "pause", task: "wait", params: { duration: "1h" } }));
		const { processId } = await start("timer");
		const waiting = await waitFor(processId, (v) => v.state.tasks[0]?.status === "STARTED");
		const dueAt = waiting.state.tasks[0]?.timerDueAt ?? 0;
		expect(dueAt - Date.now()).toBeGreaterThan(59 * 60_000);
		const stub = env.PROCESS.getByName(processId);
		expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).toBe(
			dueAt,
		);
		// Not due yet: the alarm runs and leaves the timer alone.
		await runDurableObjectAlarm(stub);
		expect((await view(processId)).state.tasks[0]?.status).toBe("STARTED");
		// Bring the timer due, as if an hour had passed, and let the alarm fire it.
		await makeTimersDue(processId);
		const done = await waitFor(processId, finished);
		expect(done.state.status).toBe("SUCCESS");
		expect(done.state.tasks.map((t) => `${t.node}:${t.status}`)).toEqual([
			"pause:SUCCESS",
			"end:SUCCESS",
		]);
		await expectIndexMatches(processId);
	});
});

/** Moves every timer of the process into the past (the clock cannot be moved inside workerd). */
async function makeTimersDue(processId: string): Promise<void> {
	await runInDurableObject(env.PROCESS.getByName(processId), async (_instance, state) => {
		const row = state.storage.sql
			.exec<{ state: string }>("SELECT state FROM process WHERE id = 1")
			.one();
		const s = JSON.parse(row.state) as { tasks: { timerDueAt?: number }[] };
		for (const t of s.tasks) if (t.timerDueAt !== undefined) t.timerDueAt = Date.now() - 1;
		state.storage.sql.exec("UPDATE process SET state = ? WHERE id = 1", JSON.stringify(s));
	});
	// Drop the object's memory so it reads the edited state, then run its alarm.
	const stub = env.PROCESS.getByName(processId);
	await evictDurableObject(stub);
	expect(await runDurableObjectAlarm(stub)).toBe(true);
}

describe("subprocesses", () => {
	const child = workflow(
		"child",
		[
			{ key: "work", task: "add", start: true, params: { a: 20, b: 22 } },
			{ key: "hold", task: "event", params: { correlationKey: "child-hold" } },
			{ key: "done", task: "dummy", end: true, join: "xor" },
		],
		[
			{ from: "work", to: "hold", condition: "= params.hold = true" },
			{ from: "work", to: "done", condition: "= params.hold != true" },
			{ from: "hold", to: "done" },
		],
		{ startForm: { hold: { label: "Hold", type: "checkbox", default: false } } },
	);
	const parent = (key: string, hold: boolean) =>
		workflow(
			key,
			[
				{
					key: "call",
					task: "subprocess",
					start: true,
					params: { workflow: "child", params: { hold } },
				},
				{ key: "after", task: "dummy", end: true },
			],
			[{ from: "call", to: "after" }],
		);

	it("completes the parent task with the child's results when the child ends", async () => {
		await publish(child);
		await publish(parent("parent", false));
		const { processId } = await start("parent");
		const done = await waitFor(processId, finished);
		expect(done.state.status).toBe("SUCCESS");
		const call = done.state.tasks.find((t) => t.node === "call");
		expect(call?.status).toBe("SUCCESS");
		expect(call?.childProcessId).toBeDefined();
		const childView = await view(call!.childProcessId!);
		expect(childView.state.status).toBe("SUCCESS");
		expect(childView.state.parent).toEqual({ processId, taskId: call!.id });
		expect(call?.result).toEqual(childView.state.results);
		await expectIndexMatches(processId);
		await expectIndexMatches(call!.childProcessId!);
	});

	it("P3 stopping the parent stops the running child", async () => {
		await publish(child);
		await publish(parent("parent-stop", true));
		const { processId } = await start("parent-stop");
		const running = await waitFor(processId, (v) => v.state.tasks[0]?.childProcessId !== undefined);
		const childId = running.state.tasks[0]!.childProcessId!;
		await waitFor(childId, (v) =>
			v.state.tasks.some((t) => t.node === "hold" && t.status === "STARTED"),
		);
		const answer = await processStub(env, processId).execute({ type: "StopProcess" });
		expect(answer.ok).toBe(true);
		const stopped = await waitFor(childId, finished);
		expect(stopped.state.status).toBe("REVOKED");
		const parentView = await view(processId);
		expect(parentView.state.status).toBe("REVOKED");
		expect(parentView.state.tasks[0]?.status).toBe("REVOKED");
	});
});

describe("conditions inside workerd", () => {
	it("R1 evaluates FEEL expressions without eval (Workers forbid it)", async () => {
		await publish(
			workflow(
				"feel",
				[
					{ key: "total", task: "add", start: true, split: "xor", params: { a: 600, b: 500 } },
					{ key: "big", task: "dummy", end: true },
					{ key: "small", task: "dummy", end: true },
				],
				[
					{ from: "total", to: "small", condition: '= result <= 1000 or params.region = "US"' },
					{ from: "total", to: "big", condition: '= result > 1000 and params.region = "EU"' },
				],
				{ startForm: { region: { label: "Region", type: "select", options: ["EU", "US"] } } },
			),
		);
		const eu = await start("feel", { region: "EU" });
		const us = await start("feel", { region: "US" });
		expect((await waitFor(eu.processId, finished)).state.tasks.map((t) => t.node)).toEqual([
			"total",
			"big",
		]);
		expect((await waitFor(us.processId, finished)).state.tasks.map((t) => t.node)).toEqual([
			"total",
			"small",
		]);
	});
});
