// The pricing of counted operations (scripts/bench/prices.ts) and the capacity model
// (scripts/capacity-model.ts): each figure is a count times a published price, or a published
// limit divided by a count, and sharding or batching moves exactly the bound it should.
import { describe, expect, it } from "vitest";
import {
	costPerStep,
	type OpsPerStep,
	PRICES,
	perStep,
	sum,
	temporalActionsPerProcess,
	temporalCostPerStep,
	workflowsCostPerStep,
} from "../../../scripts/bench/prices.ts";
import { capacity, LIMITS } from "../../../scripts/capacity-model.ts";

const ops = (o: Partial<OpsPerStep>): OpsPerStep => ({
	workerRequests: 0,
	workerCpuMs: 0,
	doRequests: 0,
	doGbS: 0,
	doRowsRead: 0,
	doRowsWritten: 0,
	d1Queries: 0,
	d1RowsRead: 0,
	d1RowsWritten: 0,
	queueOps: 0,
	queueMessages: 0,
	r2ClassA: 0,
	r2ClassB: 0,
	...o,
});

const input = { shards: 1, indexBatch: 1, d1Dbs: 1, d1QueryMs: 1, consumerBatch: 25 };

describe("prices", () => {
	it("every price names its page and the day it was read", () => {
		for (const p of Object.values(PRICES)) {
			expect(p.source).toMatch(/^https:\/\//);
			expect(p.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
			expect(p.usd).toBeGreaterThan(0);
		}
	});

	it("counts become per-step figures; a queue message is three operations", () => {
		const o = perStep(
			{
				workerRequests: 2,
				doRequests: 20,
				doAlarms: 0,
				doActiveMs: 8000,
				doRowsRead: 100,
				doRowsWritten: 50,
				d1Queries: 10,
				d1RowsRead: 4,
				d1RowsWritten: 30,
				queueWrites: 10,
				queueReads: 10,
				queueDeletes: 10,
				r2ClassA: 0,
				r2ClassB: 0,
			},
			10,
			15,
		);
		expect(o.queueOps).toBe(3);
		expect(o.queueMessages).toBe(1);
		expect(o.workerCpuMs).toBe(1.5);
		// 8 s active × 128 MB over 10 steps.
		expect(o.doGbS).toBeCloseTo(0.1);
	});

	it("a step's price is the sum of its lines at list prices", () => {
		const c = costPerStep(ops({ doRequests: 2, doRowsWritten: 10, queueOps: 3 }));
		expect(c["DO requests"]).toBeCloseTo(2 * 0.15e-6);
		expect(c["DO rows"]).toBeCloseTo(10 * 1e-6);
		expect(c.Queues).toBeCloseTo(3 * 0.4e-6);
		expect(sum(c)).toBeCloseTo(2 * 0.15e-6 + 10e-6 + 1.2e-6);
	});

	it("Temporal: a workflow start and an activity per task; Workflows: one invocation per instance", () => {
		expect(temporalActionsPerProcess(14)).toBe(15);
		expect(temporalCostPerStep(14) * 1e6).toBeCloseTo((15 / 14) * 50);
		expect(workflowsCostPerStep(50, 0) * 1e6).toBeCloseTo(0.3 / 50);
	});
});

describe("capacity model", () => {
	it("binds the queue at 5,000 messages/s over the messages a step sends, N shards lifting it N-fold", () => {
		const one = capacity(ops({ queueMessages: 1, d1Queries: 0.5 }), input);
		const four = capacity(ops({ queueMessages: 1, d1Queries: 0.5 }), { ...input, shards: 4 });
		const queue = (c: typeof one) => c.bounds.find((b) => b.limit === "queueMessagesPerSec");
		expect(queue(one)?.stepsPerSec).toBe(LIMITS.queueMessagesPerSec.value);
		expect(queue(four)?.stepsPerSec).toBe(4 * LIMITS.queueMessagesPerSec.value);
		// 0.5 statements a step at 1 ms: D1 binds at 2,000 steps/s, before the queue.
		expect(one.bounds[0]?.limit).toBe("d1QueriesPerSecAt1ms");
		expect(one.bounds[0]?.stepsPerSec).toBe(2000);
	});

	it("batched index writes and more index databases move the D1 bound; inline sends no message", () => {
		const c = capacity(ops({ d1Queries: 2 }), { ...input, indexBatch: 4, d1Dbs: 2 });
		expect(c.bounds.find((b) => b.limit === "d1QueriesPerSecAt1ms")?.stepsPerSec).toBe(4000);
		expect(c.bounds.find((b) => b.limit === "queueMessagesPerSec")?.stepsPerSec).toBe(
			Number.POSITIVE_INFINITY,
		);
		expect(c.perInvocation).toBeNull();
	});

	it("one process's object reaches its soft limit at 1,000 requests/s over its requests per step", () => {
		expect(capacity(ops({ doRequests: 2 }), input).perProcessStepsPerSec).toBe(500);
	});
});
