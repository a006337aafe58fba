// T9 inside workerd: inline nodes run in the ProcessObject's step, committed with it, and mix with
// queued jobs; the D1 index follows them like any other task.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { processStub } from "../../src/durable/process-client.ts";
import { shippedWorkflows } from "../../src/workflows/index.ts";
import {
	expectIndexMatches,
	finished,
	publish,
	start,
	view,
	waitFor,
	workflow,
} from "./process-fixtures.ts";

describe("inline tasks", () => {
	it("T9 runs a workflow of inline nodes to its end within the start command, every step in the history", async () => {
		const conference = shippedWorkflows.find((w) => w.key === "conference-automated");
		if (!conference) throw new Error("conference-automated is not shipped");
		await publish({
			...conference,
			key: "conference-inline",
			nodes: conference.nodes.map((n) => ({ ...n, inline: true })),
		});
		const { processId } = await start("conference-inline", { loops: 2 });
		// No waiting: the answer to the start came after the commit that holds the whole run.
		const v = await view(processId);
		expect(v.state.status).toBe("SUCCESS");
		expect(v.state.tasks.every((t) => t.status === "SUCCESS")).toBe(true);
		const history = await processStub(env, processId).history();
		const count = (type: string) => history.filter((e) => e.type === type).length;
		expect(count("TaskCreated")).toBe(v.state.tasks.length);
		expect(count("TaskStarted")).toBe(v.state.tasks.length);
		expect(count("TaskSucceeded")).toBe(v.state.tasks.length);
		expect(count("ProcessSucceeded")).toBe(1);
		await expectIndexMatches(processId);
	});

	it("T9 mixes inline nodes with a queued job: the job goes through the consumer, the inline ones run around it", async () => {
		await publish(
			workflow(
				"inline-mixed",
				[
					{ key: "prepare", task: "add", params: { a: 1, b: 2 }, start: true, inline: true },
					{ key: "work", task: "dummy" },
					{ key: "close", task: "dummy", end: true, inline: true },
				],
				[
					{ from: "prepare", to: "work" },
					{ from: "work", to: "close" },
				],
			),
		);
		const { processId } = await start("inline-mixed");
		const first = await view(processId);
		expect(first.state.tasks[0]).toMatchObject({ node: "prepare", status: "SUCCESS", result: 3 });
		const done = await waitFor(processId, finished);
		expect(done.state.status).toBe("SUCCESS");
		expect(done.state.tasks.map((t) => `${t.node}:${t.status}`)).toEqual([
			"prepare:SUCCESS",
			"work:SUCCESS",
			"close:SUCCESS",
		]);
		// Inline steps are committed with the command that activates them; the queued job's start is
		// the consumer's claim, a command of its own, and its completion runs the inline end node.
		const history = await processStub(env, processId).history();
		const revisionOf = (type: string, node: string) =>
			history.find((e) => e.type === type && e.node === node)?.revision;
		const started = history.find((e) => e.type === "ProcessStarted")?.revision;
		expect(revisionOf("TaskSucceeded", "prepare")).toBe(started);
		expect(revisionOf("TaskStarted", "work")).toBeGreaterThan(started ?? Infinity);
		expect(revisionOf("TaskSucceeded", "close")).toBe(revisionOf("TaskSucceeded", "work"));
		await expectIndexMatches(processId);
	});
});
