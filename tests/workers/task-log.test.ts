// ctx.log writes to the task's history (docs/task-types.md): the queue consumer collects the lines a
// run logs (bounded in count and length) and records them with the attempt's outcome; lines its
// hooks log after the outcome are recorded too. The process page shows them on its timeline.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { processStub } from "../../src/durable/process-client.ts";
import { consumeTasks } from "../../src/queue/consumer.ts";
import { defineTask, PermanentTaskError } from "../../src/tasks/define-task.ts";
import { createRegistry, type TaskRegistry } from "../../src/tasks/registry.ts";
import { signedIn, textOf } from "./admin-fixtures.ts";
import { expectIndexMatches, publish, start, view, waitFor, workflow } from "./process-fixtures.ts";

let seq = 0;
async function deliver(body: unknown, registry: TaskRegistry) {
	const batch = createMessageBatch("baton-tasks", [
		{ id: `log${++seq}`, timestamp: Date.now(), attempts: 1, body },
	]);
	const ctx = createExecutionContext();
	await consumeTasks(batch, env, registry);
	return getQueueResult(batch, ctx);
}

/** event gate → job → event end: the gate holds the job back until the test delivers it itself. */
async function startHeld(key: string) {
	await publish(
		workflow(
			key,
			[
				{ key: "gate", task: "event", start: true, params: { correlationKey: `${key}-g` } },
				{ key: "job", task: "dummy" },
				{ key: "end", task: "event", end: true, params: { correlationKey: `${key}-e` } },
			],
			[
				{ from: "gate", to: "job" },
				{ from: "job", to: "end" },
			],
		),
	);
	const { processId } = await start(key);
	const stub = processStub(env, processId);
	// The job's own queue message is held back once, so this test's registry runs it.
	await stub.armFault("before-send", 1);
	const gate = (await view(processId)).state.tasks[0]!;
	await stub.execute({ type: "DeliverEvent", taskId: gate.id, payload: null });
	const job = (await view(processId)).state.tasks.find((t) => t.node === "job")!;
	return { processId, stub, job };
}

describe("ctx.log", () => {
	it("T5 the lines a run logs are recorded on the task's history and shown on the process page", async () => {
		const chatty = defineTask({
			name: "dummy",
			params: z.object({}),
			onStart: (ctx) => ctx.log("starting <now>"),
			run: (ctx) => {
				ctx.log("fetched 3 invoices");
				ctx.log("x".repeat(5_000));
				return "ran";
			},
			onSuccess: (ctx) => ctx.log("mailed the customer"),
		});
		const { processId, stub, job } = await startHeld("log-run");
		await deliver({ type: "run", processId, taskId: job.id, attempt: 1 }, createRegistry([chatty]));
		await waitFor(processId, (x) => x.state.tasks.some((t) => t.node === "end"));
		const history = await stub.history();
		const ofJob = history.filter((e) => e.taskId === job.id);
		expect(ofJob.map((e) => e.type)).toEqual([
			"TaskCreated",
			"TaskStarted",
			"TaskLogged",
			"TaskSucceeded",
			"TaskLogged",
		]);
		const logged = ofJob.filter((e) => e.type === "TaskLogged").map((e) => e.data);
		expect(logged[0]).toMatchObject({ attempt: 1 });
		const lines = logged[0]?.lines as string[];
		expect(lines.slice(0, 2)).toEqual(["starting <now>", "fetched 3 invoices"]);
		// A line is bounded in length.
		expect(lines[2]?.length).toBeLessThanOrEqual(1_000);
		expect(lines[2]?.endsWith("…")).toBe(true);
		expect(logged[1]).toEqual({ attempt: 1, lines: ["mailed the customer"] });

		const admin = await signedIn({ name: "log-viewer" });
		const page = await admin.get(`/processes/${processId}`);
		expect(page.status).toBe(200);
		const html = await page.text();
		const text = textOf(html);
		expect(text).toContain("fetched 3 invoices");
		expect(text).toContain("mailed the customer");
		// Escaped, never markup.
		expect(html).not.toContain("<now>");
		await expectIndexMatches(processId);
	});

	it("T5 a run that logs without end keeps only the first lines, and says how many were dropped", async () => {
		const flood = defineTask({
			name: "dummy",
			params: z.object({}),
			run: (ctx) => {
				for (let i = 1; i <= 500; i++) ctx.log(`line ${i}`);
				throw new PermanentTaskError("gave up");
			},
		});
		const { processId, stub, job } = await startHeld("log-flood");
		await deliver({ type: "run", processId, taskId: job.id, attempt: 1 }, createRegistry([flood]));
		const logged = (await stub.history()).find(
			(e) => e.type === "TaskLogged" && e.taskId === job.id,
		);
		const lines = logged?.data?.lines as string[];
		expect(lines).toHaveLength(51);
		expect(lines[0]).toBe("line 1");
		expect(lines[49]).toBe("line 50");
		expect(lines[50]).toBe("… 450 more lines not recorded");
		// Logged before the failure it led to.
		const types = (await stub.history()).filter((e) => e.taskId === job.id).map((e) => e.type);
		expect(types.indexOf("TaskLogged")).toBeLessThan(types.indexOf("TaskFailed"));
	});
});
