// G6: a crash at any cut point of a step is recovered by the alarm (and the queue's redelivery)
// without an operator, and the process ends exactly as it does without the crash.
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { processIdFor, processStub } from "../../src/durable/process-client.ts";
import type { ProcessView } from "../../src/durable/process-object.ts";
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

const chain = workflow(
	"recovery",
	[
		{ key: "a", task: "dummy", start: true, split: "and" },
		{ key: "b1", task: "dummy" },
		{ key: "b2", task: "dummy" },
		{ key: "join", task: "dummy", join: "and" },
		{ key: "end", task: "add", end: true, params: { a: 2, b: 2 } },
	],
	[
		{ from: "a", to: "b1" },
		{ from: "a", to: "b2" },
		{ from: "b1", to: "join" },
		{ from: "b2", to: "join" },
		{ from: "join", to: "end" },
	],
);

/** What must be the same with and without a crash: tasks per node, statuses, results, the outcome. */
function outcome(v: ProcessView) {
	const nodes = v.state.tasks
		.map((t) => `${t.node}:${t.status}:${JSON.stringify(t.result ?? null)}`)
		.sort();
	return {
		status: v.state.status,
		nodes,
		results: v.state.results,
		arrivals: v.state.arrivals.length,
	};
}

async function runWithRecovery(processId: string): Promise<ProcessView> {
	// Let the alarm run as soon as it is due instead of waiting for it, until the process ends.
	const stub = env.PROCESS.getByName(processId);
	const deadline = Date.now() + 20_000;
	for (;;) {
		const v = await view(processId);
		if (finished(v) && (await processStub(env, processId).outboxSize()) === 0) return v;
		if (Date.now() > deadline) throw new Error(`not recovered: ${JSON.stringify(outcome(v))}`);
		await runDurableObjectAlarm(stub);
		await new Promise((r) => setTimeout(r, 50));
	}
}

describe("G6 crash recovery", () => {
	let reference: ReturnType<typeof outcome>;

	it("runs the reference process without faults", async () => {
		await publish(chain);
		const { processId } = await start("recovery");
		reference = outcome(await waitFor(processId, finished));
		expect(reference.status).toBe("SUCCESS");
		expect(reference.results).toEqual([4]);
	});

	for (const point of ["after-commit-before-send", "before-send", "mid-outbox", "alarm"]) {
		it(`G6 recovers from a crash at "${point}" and ends as without it`, async () => {
			const { processId } = await start("recovery");
			const stub = processStub(env, processId);
			await stub.armFault(point, 2);
			if (point === "alarm") await stub.armFault("after-commit-before-send", 1);
			const v = await runWithRecovery(processId);
			expect(outcome(v)).toEqual(reference);
			const history = await stub.history();
			// Nothing duplicated: one TaskCreated per task, one TaskSucceeded per task.
			expect(history.filter((e) => e.type === "TaskCreated")).toHaveLength(v.state.tasks.length);
			expect(history.filter((e) => e.type === "TaskSucceeded")).toHaveLength(v.state.tasks.length);
			await expectIndexMatches(processId);
		});
	}

	it("G6 answers with an error when it crashed after the commit, and keeps what was committed", async () => {
		await publish(
			singleStep("recovery-answer", {
				key: "hold",
				task: "event",
				params: { correlationKey: "k" },
			}),
		);
		const { processId } = await start("recovery-answer");
		const stub = processStub(env, processId);
		const task = (await waitFor(processId, (x) => x.state.tasks[0]?.status === "STARTED")).state
			.tasks[0]!;
		await stub.armFault("after-commit-before-send", 1);
		// Awaited into a plain promise first: matchers reading properties of an RPC promise would
		// pipeline calls on it, each rejecting again where no one listens.
		const crashed = await stub
			.execute({ type: "DeliverEvent", taskId: task.id, payload: "paid" }, "evt-1")
			.then(
				() => "answered",
				(e: unknown) => String(e),
			);
		expect(crashed).toContain("injected fault");
		// The caller retries with the same key: the first (committed) answer, nothing applied twice.
		const again = await stub.execute(
			{ type: "DeliverEvent", taskId: task.id, payload: "paid" },
			"evt-1",
		);
		expect(again.ok).toBe(true);
		const v = await runWithRecovery(processId);
		expect(v.state.status).toBe("SUCCESS");
		expect(v.state.tasks.map((t) => t.node)).toEqual(["hold", "end"]);
	});

	it("G6/S3 a start that crashed after its commit is started again by its key, once", async () => {
		const processId = await processIdFor("recovery-start-1");
		const stub = processStub(env, processId);
		await stub.armFault("after-commit-before-send", 1);
		const crashed = await start("recovery", {}, "recovery-start-1").then(
			() => "answered",
			(e: unknown) => String(e),
		);
		expect(crashed).toContain("injected fault");
		// The caller retries with the same key: the same process, created and started once.
		const again = await start("recovery", {}, "recovery-start-1");
		expect(again.processId).toBe(processId);
		const v = await runWithRecovery(processId);
		expect(outcome(v)).toEqual(reference);
		const history = await stub.history();
		expect(history.filter((e) => e.type === "ProcessCreated")).toHaveLength(1);
		expect(history.filter((e) => e.type === "ProcessStarted")).toHaveLength(1);
		await expectIndexMatches(processId);
	});

	it("G6 loses nothing when the object is evicted between every step", async () => {
		const { processId } = await start("recovery");
		const stub = env.PROCESS.getByName(processId);
		const deadline = Date.now() + 20_000;
		let v = await view(processId);
		while (!finished(v) && Date.now() < deadline) {
			await evictDurableObject(stub);
			await runDurableObjectAlarm(stub);
			await new Promise((r) => setTimeout(r, 10));
			v = await view(processId);
		}
		expect(outcome(v)).toEqual(reference);
		await expectIndexMatches(processId);
	});
});
