// The ProcessObject's guarantees under concurrency: one writer per process, commands idempotent,
// answers only after the commit. Branches are `event` tasks so the test, not the queue, decides
// when each one completes.

import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { processStub } from "../../src/durable/process-client.ts";
import type { TaskState } from "../../src/engine/index.ts";
import { expectIndexMatches, publish, start, view, waitFor, workflow } from "./process-fixtures.ts";

const ev = (key: string, extra: object = {}) => ({
	key,
	task: "event",
	params: { correlationKey: key },
	...extra,
});

function fanInWorkflow(key: string, branches: number, join: "and" | "xor" | "or") {
	const names = Array.from({ length: branches }, (_, i) => `b${i}`);
	return workflow(
		key,
		[
			{ key: "split", task: "dummy", start: true, split: "and" },
			...names.map((n) => ev(n)),
			{ key: "join", task: "dummy", join },
			{ key: "end", task: "dummy", end: true },
		],
		[
			...names.map((n) => ({ from: "split", to: n })),
			...names.map((n) => ({ from: n, to: "join" })),
			{ from: "join", to: "end" },
		],
	);
}

const active = (t: TaskState) => ["PENDING", "STARTED", "RETRY"].includes(t.status);

async function deliverAll(processId: string, tasks: TaskState[]) {
	const stub = processStub(env, processId);
	return Promise.all(
		tasks.map((t) =>
			stub.execute({ type: "DeliverEvent", taskId: t.id, payload: { from: t.node } }),
		),
	);
}

describe("ProcessObject", () => {
	it("G1/G2/G4 fires an AND join exactly once when its branches complete concurrently", async () => {
		await publish(fanInWorkflow("and-race", 8, "and"));
		const { processId } = await start("and-race");
		const waiting = await waitFor(
			processId,
			(v) =>
				v.state.tasks.filter((t) => t.node.startsWith("b") && t.status === "STARTED").length === 8,
		);
		const answers = await deliverAll(
			processId,
			waiting.state.tasks.filter((t) => t.node.startsWith("b")),
		);
		expect(answers.every((a) => a.ok)).toBe(true);
		const done = await waitFor(processId, (v) => v.state.status === "SUCCESS");
		const joins = done.state.tasks.filter((t) => t.node === "join");
		expect(joins).toHaveLength(1);
		expect(done.state.tasks).toHaveLength(1 + 8 + 1 + 1);
		expect(done.state.arrivals).toHaveLength(0);
		await expectIndexMatches(processId);
	});

	it("G4 fires an AND join once per pass inside a loop, never on a stale arrival", async () => {
		// split → a, b (events) → join (AND) → check (XOR split): back to split on the first pass, to end on the second.
		await publish(
			workflow(
				"and-loop",
				[
					{ key: "split", task: "dummy", start: true, split: "and", join: "xor" },
					ev("a"),
					ev("b"),
					{ key: "join", task: "dummy", join: "and", split: "xor" },
					{ key: "end", task: "dummy", end: true },
				],
				[
					{ from: "split", to: "a" },
					{ from: "split", to: "b" },
					{ from: "a", to: "join" },
					{ from: "b", to: "join" },
					{ from: "join", to: "split", condition: "= process.passes.join < 2" },
					{ from: "join", to: "end", condition: "= process.passes.join >= 2" },
				],
			),
		);
		const { processId } = await start("and-loop");
		for (let pass = 1; pass <= 2; pass++) {
			const v = await waitFor(
				processId,
				(x) =>
					x.state.tasks.filter((t) => t.node === "a" || t.node === "b").filter(active).length === 2,
			);
			await deliverAll(
				processId,
				v.state.tasks.filter((t) => (t.node === "a" || t.node === "b") && active(t)),
			);
		}
		const done = await waitFor(processId, (v) => v.state.status === "SUCCESS");
		expect(done.state.tasks.filter((t) => t.node === "join")).toHaveLength(2);
		expect(done.state.tasks.filter((t) => t.node === "split")).toHaveLength(2);
		await expectIndexMatches(processId);
	});

	it("G5 fires an XOR join once per arrival set; the cancelled branch's late completion has no effect", async () => {
		await publish(fanInWorkflow("xor-race", 3, "xor"));
		const { processId } = await start("xor-race");
		const v = await waitFor(
			processId,
			(x) =>
				x.state.tasks.filter((t) => t.node.startsWith("b") && t.status === "STARTED").length === 3,
		);
		const [first, ...others] = v.state.tasks.filter((t) => t.node.startsWith("b"));
		const stub = processStub(env, processId);
		expect((await stub.execute({ type: "DeliverEvent", taskId: first!.id, payload: 1 })).ok).toBe(
			true,
		);
		const after = await view(processId);
		expect(after.state.tasks.filter((t) => t.node === "join")).toHaveLength(1);
		for (const other of others)
			expect(after.state.tasks.find((t) => t.id === other.id)?.status).toBe("REVOKED");
		// The late completions of the revoked branches: acknowledged, nothing created.
		const late = await deliverAll(processId, others);
		expect(late.every((a) => a.ok)).toBe(true);
		const final = await waitFor(processId, (x) => x.state.status === "SUCCESS");
		expect(final.state.tasks.filter((t) => t.node === "join")).toHaveLength(1);
		expect(final.state.tasks.find((t) => t.id === others[0]!.id)?.status).toBe("REVOKED");
		await expectIndexMatches(processId);
	});

	it("S3 starting twice with one idempotency key returns the first process and starts nothing twice", async () => {
		await publish(fanInWorkflow("idem-start", 2, "and"));
		const [a, b] = await Promise.all([
			start("idem-start", {}, "delivery-42"),
			start("idem-start", {}, "delivery-42"),
		]);
		expect(a.processId).toBe(b.processId);
		const again = await start("idem-start", {}, "delivery-42");
		expect(again.processId).toBe(a.processId);
		const v = await view(a.processId);
		expect(v.state.tasks.filter((t) => t.node === "split")).toHaveLength(1);
	});

	it("S3 a repeated command with the same key returns the first answer and changes nothing", async () => {
		await publish(fanInWorkflow("idem-cmd", 2, "xor"));
		const { processId } = await start("idem-cmd");
		const v = await waitFor(
			processId,
			(x) => x.state.tasks.filter((t) => t.status === "STARTED").length === 2,
		);
		const task = v.state.tasks.find((t) => t.node === "b0")!;
		const stub = processStub(env, processId);
		const cmd = { type: "DeliverEvent", taskId: task.id, payload: "once" } as const;
		const answers = await Promise.all([
			stub.execute(cmd, "k1"),
			stub.execute(cmd, "k1"),
			stub.execute(cmd, "k1"),
		]);
		expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
		const history = await stub.history();
		expect(history.filter((e) => e.type === "TaskSucceeded" && e.taskId === task.id)).toHaveLength(
			1,
		);
	});

	it("G7 an answer means the change is committed: it survives eviction right after", async () => {
		await publish(fanInWorkflow("durable-answer", 2, "and"));
		const { processId } = await start("durable-answer");
		const v = await waitFor(
			processId,
			(x) => x.state.tasks.filter((t) => t.status === "STARTED").length === 2,
		);
		const task = v.state.tasks.find((t) => t.node === "b1")!;
		const stub = processStub(env, processId);
		const answer = await stub.execute({ type: "DeliverEvent", taskId: task.id, payload: "kept" });
		expect(answer.ok).toBe(true);
		await evictDurableObject(env.PROCESS.getByName(processId));
		const reloaded = await view(processId);
		expect(reloaded.state.tasks.find((t) => t.id === task.id)).toMatchObject({
			status: "SUCCESS",
			result: "kept",
		});
	});

	it("G9 a process keeps running its pinned version after a new version is published", async () => {
		const v1 = workflow(
			"pinned",
			[ev("wait", { start: true }), { key: "old_end", task: "dummy", end: true }],
			[{ from: "wait", to: "old_end" }],
		);
		expect((await publish(v1)).version).toBe(1);
		const { processId } = await start("pinned");
		const v2 = workflow(
			"pinned",
			[ev("wait", { start: true }), { key: "new_end", task: "dummy", end: true }],
			[{ from: "wait", to: "new_end" }],
		);
		expect((await publish(v2)).version).toBe(2);
		const v = await waitFor(processId, (x) => x.state.tasks[0]?.status === "STARTED");
		await processStub(env, processId).execute({
			type: "DeliverEvent",
			taskId: v.state.tasks[0]!.id,
			payload: null,
		});
		const done = await waitFor(processId, (x) => x.state.status === "SUCCESS");
		expect(done.state.workflow.version).toBe(1);
		expect(done.state.tasks.map((t) => t.node)).toEqual(["wait", "old_end"]);
		const fresh = await start("pinned");
		expect(fresh.version).toBe(2);
	});

	it("G9 refuses to publish a definition that does not validate, listing every problem", async () => {
		const bad = workflow(
			"broken",
			[
				{ key: "a", task: "no-such-type" },
				{ key: "a", task: "dummy" },
			],
			[{ from: "a", to: "missing" }],
		);
		await expect(publish(bad)).rejects.toMatchObject({ code: "invalid_definition" });
		try {
			await publish(bad);
		} catch (e) {
			const problems = (e as { details: { code: string }[] }).details.map((p) => p.code);
			expect(problems.length).toBeGreaterThanOrEqual(3);
		}
		const row = await env.DB.prepare(
			"SELECT COUNT(*) AS n FROM workflow_versions WHERE workflow_key = 'broken'",
		).first<{ n: number }>();
		expect(row?.n).toBe(0);
	});

	it("G10 a runaway loop stops at the step budget with an incident", async () => {
		await publish(
			workflow(
				"runaway",
				[
					{ key: "spin", task: "dummy", start: true, join: "xor" },
					{ key: "again", task: "dummy", split: "xor" },
					{ key: "end", task: "dummy", end: true },
				],
				[
					{ from: "spin", to: "again" },
					// A dummy's result is null, so the way out is never taken.
					{ from: "again", to: "end", condition: "stop" },
					{ from: "again", to: "spin" },
				],
				{ stepBudget: 20 },
			),
		);
		const { processId } = await start("runaway");
		const v = await waitFor(
			processId,
			(x) => x.state.incidents.some((i) => i.kind === "step_budget"),
			20_000,
		);
		expect(v.state.status).toBe("STARTED");
		expect(v.state.tasks.length).toBe(20);
		await expectIndexMatches(processId);
		const row = await env.DB.prepare("SELECT open_incidents FROM processes WHERE id = ?")
			.bind(processId)
			.first<{ open_incidents: number }>();
		expect(row?.open_incidents).toBeGreaterThanOrEqual(1);
	});
});
