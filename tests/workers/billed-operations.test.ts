// The billed operations of the queued path, counted (billed-meter.ts) on the three workloads of
// `npm run bench`, one process alone and twenty at once; and the task queue in shards. The table
// it prints is the one in docs/architecture.md ("What a queued step costs").
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type ProcessRow, type TaskRow, writeIndex } from "../../src/db/process-index.ts";
import { processStub } from "../../src/durable/process-client.ts";
import type { WorkflowDefinition } from "../../src/engine/index.ts";
import { taskQueueShard, taskQueueShards } from "../../src/queue/shards.ts";
import { shippedWorkflows } from "../../src/workflows/index.ts";
import { type Counts, startMeter } from "./billed-meter.ts";
import { expectIndexMatches, finished, publish, start, waitFor } from "./process-fixtures.ts";

const branches = Array.from({ length: 20 }, (_, i) => `b${i + 1}`);
const links = Array.from({ length: 50 }, (_, i) => `c${i + 1}`);

/** The bench's workloads (scripts/bench/workloads.ts), with the tasks each process completes. */
const workloads: {
	key: string;
	steps: number;
	startTasks: number;
	/** I1: D1 rows written per step at most (before migration 0010's indexes: 10.7 / 9.2 / 8.5). */
	d1Rows: number;
	definition: () => WorkflowDefinition;
}[] = [
	{
		key: "conference",
		steps: 14,
		startTasks: 2,
		d1Rows: 6,
		definition: () => {
			const conference = shippedWorkflows.find((w) => w.key === "conference-automated");
			if (!conference) throw new Error("conference-automated is not shipped");
			return { ...conference, key: "meter-conference" };
		},
	},
	{
		key: "fanout20",
		steps: 22,
		startTasks: 1,
		d1Rows: 5.5,
		definition: () => ({
			key: "meter-fanout20",
			name: "Fan-out / fan-in of 20",
			nodes: [
				{ key: "fork", task: "dummy", start: true, split: "and" },
				...branches.map((key) => ({ key, task: "dummy" })),
				{ key: "gather", task: "dummy", join: "and", end: true },
			],
			transitions: [
				...branches.map((to) => ({ from: "fork", to })),
				...branches.map((from) => ({ from, to: "gather" })),
			],
		}),
	},
	{
		key: "chain50",
		steps: 50,
		startTasks: 1,
		d1Rows: 5,
		definition: () => ({
			key: "meter-chain50",
			name: "Chain of 50",
			nodes: links.map((key, i) => ({
				key,
				task: "dummy",
				...(i === 0 ? { start: true } : {}),
				...(i === links.length - 1 ? { end: true } : {}),
			})),
			transitions: links.slice(1).map((to, i) => ({ from: links[i] as string, to })),
		}),
	},
];

/** Runs `n` processes of a workload at once to their end, metered; answers the counts per step. */
async function meterRun(key: string, steps: number, n: number) {
	const meter = await startMeter();
	const ids = await Promise.all(
		Array.from({ length: n }, async () => (await start(key)).processId),
	);
	for (const id of ids) {
		const v = await waitFor(id, finished, 100_000);
		expect(v.state.status).toBe("SUCCESS");
		expect(v.state.tasks).toHaveLength(steps);
	}
	// What the outbox still owes (the last index write) is part of the run.
	for (const id of ids) {
		const deadline = Date.now() + 5_000;
		while ((await processStub(env, id).outboxSize()) > 0 && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 20));
		}
	}
	const counts = await meter.stop();
	for (const id of ids) await expectIndexMatches(id);
	const perStep = Object.fromEntries(
		Object.entries(counts).map(([k, v]) => [k, Math.round((v / (n * steps)) * 100) / 100]),
	) as unknown as Counts;
	return { counts, perStep, deliveries: meter.deliveries };
}

describe("billed operations of the queued path", () => {
	for (const w of workloads) {
		for (const n of [1, 20]) {
			it(`T14 counts what a step of ${w.key} costs, ${n} in flight`, async () => {
				await publish(w.definition());
				const { counts, perStep } = await meterRun(w.definition().key, w.steps, n);
				console.log(JSON.stringify({ workload: w.key, inFlight: n, perStep, counts }));
				// T14: a completion claims the jobs it dispatches, so only a process's start tasks go
				// by the queue; every other job rides with a completion, with no claim of its own.
				expect(counts.queueMessages).toBe(n * w.startTasks);
				expect(counts.processCalls).toBeLessThanOrEqual(n * (w.steps + w.startTasks + 1));
				// I1: a task row enters only the indexes its reads need (about four rows written per
				// task); one more full index on tasks would pass the bound.
				expect(perStep.d1RowsWritten).toBeLessThanOrEqual(w.d1Rows);
			}, 120_000);
		}
	}
});

/** The D1 rows one `writeIndex` writes, as D1 reports them. */
async function rowsWritten(rows: { process: ProcessRow; tasks: TaskRow[] }): Promise<number> {
	let written = 0;
	const db = new Proxy(env.DB, {
		get(target, name) {
			if (name === "batch") {
				return async (statements: D1PreparedStatement[]) => {
					const results = await target.batch(statements);
					for (const r of results) written += r.meta.rows_written ?? 0;
					return results;
				};
			}
			const v = Reflect.get(target, name);
			return typeof v === "function" ? v.bind(target) : v;
		},
	});
	await writeIndex(db, rows);
	return written;
}

describe("I1: what an index write costs in D1 rows", () => {
	const at = Date.UTC(2027, 0, 6);
	const process: ProcessRow = {
		id: "p-i1",
		name: null,
		workflowKey: "i1",
		workflowVersion: 1,
		status: "STARTED",
		priority: 5,
		progress: 0,
		stuck: false,
		openIncidents: 0,
		activeTasks: 1,
		startedBy: null,
		parentProcessId: null,
		parentTaskId: null,
		createdAt: at,
		startedAt: at,
		endedAt: null,
		suspendedAt: null,
		revision: 1,
	};
	const job: TaskRow = {
		id: "p-i1/t1",
		processId: "p-i1",
		workflowKey: "i1",
		node: "a",
		nodeName: "A",
		taskType: "dummy",
		status: "SUCCESS",
		role: null,
		assignee: null,
		priority: 5,
		progress: 100,
		attempt: 1,
		awaitingInput: false,
		incident: null,
		correlationKey: null,
		dueAt: null,
		followUpAt: null,
		createdAt: at,
		startedAt: at,
		endedAt: at + 5,
		revision: 1,
	};

	it("I1: an automated task's row enters the status and workflow indexes only; an update leaves the fixed columns' entries alone", async () => {
		// The process: its row, primary key, status and workflow entries; the task: the same four.
		expect(await rowsWritten({ process, tasks: [job] })).toBe(4 + 4);
		// A later state: the process's workflow entry (key and creation, both fixed) is not
		// rewritten; the task's status and workflow entries are (status and end are assigned).
		const later = {
			process: { ...process, progress: 50, revision: 2 },
			tasks: [{ ...job, revision: 2 }],
		};
		expect(await rowsWritten(later)).toBe(2 + 3);
		// An older write changes nothing.
		expect(await rowsWritten({ process, tasks: [job] })).toBe(0);
		// A person's task enters the indexes of their work too: role and assignee.
		const review: TaskRow = {
			...job,
			id: "p-i1/t2",
			role: "reviewer",
			assignee: "u-1",
			status: "PENDING",
			endedAt: null,
		};
		expect(await rowsWritten({ process: { ...process, revision: 3 }, tasks: [review] })).toBe(
			2 + 6,
		);
	});
});

describe("task queue shards", () => {
	it("sends each process's jobs to the shard of its id, over the four configured", async () => {
		expect(taskQueueShards(env)).toBe(4);
		const w = workloads[0];
		if (!w) throw new Error("no workload");
		await publish(w.definition());
		const { deliveries } = await meterRun(w.definition().key, w.steps, 20);
		const names = ["baton-tasks", "baton-tasks-1", "baton-tasks-2", "baton-tasks-3"];
		const used = new Set<string>();
		for (const d of deliveries) {
			for (const processId of d.processIds) {
				expect(d.queue).toBe(names[taskQueueShard(processId, 4)]);
				used.add(d.queue);
			}
		}
		// Twenty processes over four shards: more than one shard carries work.
		expect(used.size).toBeGreaterThan(1);
	}, 120_000);

	it("spreads ids evenly and keeps each id on one shard", () => {
		const per = [0, 0, 0, 0];
		for (let i = 0; i < 4000; i++) {
			const id = `p-${i.toString(16).padStart(32, "0")}`;
			const shard = taskQueueShard(id, 4);
			expect(taskQueueShard(id, 4)).toBe(shard);
			per[shard] = (per[shard] ?? 0) + 1;
		}
		for (const count of per) expect(count).toBeGreaterThan(800);
		expect(taskQueueShard("p-any", 1)).toBe(0);
	});
});
