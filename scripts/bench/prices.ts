// Published list prices (USD, beyond each plan's included usage) and what the counted operations
// of a bench sample cost at them. Each price names the page it comes from and the day it was read;
// docs/performance.md ("Cost") shows the same table. Included allowances (10 M Worker requests,
// 1 M Durable Object requests, … a month) are left out: they matter for a small team's bill
// (docs/deploying.md), not for the price of the millionth step.

import type { Counts } from "./protocol.ts";

export interface Price {
	usd: number;
	per: string;
	source: string;
	read: string;
	/** Where on or behind the page the figure was read, when not in its rendered text. */
	note?: string;
}

const READ = "2026-12-06";
const WORKERS = "https://developers.cloudflare.com/workers/platform/pricing/";
const WORKFLOWS = "https://developers.cloudflare.com/workflows/reference/pricing/";
const DO = "https://developers.cloudflare.com/durable-objects/platform/pricing/";
const D1 = "https://developers.cloudflare.com/d1/platform/pricing/";
const QUEUES = "https://developers.cloudflare.com/queues/platform/pricing/";
const R2 = "https://developers.cloudflare.com/r2/pricing/";
const TEMPORAL = "https://docs.temporal.io/cloud/pricing";

/**
 * Where a figure was read in the Markdown source the page is built from (the repository
 * cloudflare/cloudflare-docs, which publishes developers.cloudflare.com) rather than on the
 * rendered page: the rendered page's table was not in the search corpus, its source was.
 */
const inSource = (path: string) => `read in the page's source, cloudflare/cloudflare-docs ${path}`;
const DO_SOURCE = inSource("src/content/partials/durable-objects/durable-objects-pricing.mdx");
const D1_SOURCE = inSource("src/content/partials/workers/d1-pricing.mdx");

export const PRICES = {
	workerRequest: {
		usd: 0.3 / 1e6,
		per: "request",
		source: WORKERS,
		read: READ,
		note: inSource("src/content/docs/workers/platform/pricing.mdx"),
	},
	workerCpuMs: {
		usd: 0.02 / 1e6,
		per: "CPU ms",
		source: WORKERS,
		read: READ,
		note: inSource("src/content/docs/workers/platform/pricing.mdx"),
	},
	doRequest: { usd: 0.15 / 1e6, per: "request", source: DO, read: READ },
	doGbS: { usd: 12.5 / 1e6, per: "GB-s", source: DO, read: READ },
	doRowRead: { usd: 0.001 / 1e6, per: "row read", source: DO, read: READ, note: DO_SOURCE },
	doRowWritten: { usd: 1.0 / 1e6, per: "row written", source: DO, read: READ, note: DO_SOURCE },
	doStorageGbMonth: { usd: 0.2, per: "GB-month", source: DO, read: READ, note: DO_SOURCE },
	d1RowRead: { usd: 0.001 / 1e6, per: "row read", source: D1, read: READ, note: D1_SOURCE },
	d1RowWritten: { usd: 1.0 / 1e6, per: "row written", source: D1, read: READ, note: D1_SOURCE },
	d1StorageGbMonth: { usd: 0.75, per: "GB-month", source: D1, read: READ, note: D1_SOURCE },
	queueOp: {
		usd: 0.4 / 1e6,
		per: "operation (64 KB written, read or deleted)",
		source: QUEUES,
		read: READ,
		note: inSource("src/content/partials/workers/queues_pricing.mdx"),
	},
	r2ClassA: {
		usd: 4.5 / 1e6,
		per: "class A op",
		source: R2,
		read: READ,
		note: inSource("src/content/docs/r2/pricing.mdx"),
	},
	r2ClassB: {
		usd: 0.36 / 1e6,
		per: "class B op",
		source: R2,
		read: READ,
		note: inSource("src/content/docs/r2/pricing.mdx"),
	},
	workflowsRequest: { usd: 0.3 / 1e6, per: "invocation", source: WORKFLOWS, read: READ },
	workflowsCpuMs: { usd: 0.02 / 1e6, per: "CPU ms", source: WORKFLOWS, read: READ },
	workflowsStorageGbMonth: { usd: 0.2, per: "GB-month", source: WORKFLOWS, read: READ },
	temporalAction: {
		usd: 50 / 1e6,
		per: "action (first 5 M a month; volume tiers down to $25/M on Business and above; $50/M at every volume on Developer)",
		source: TEMPORAL,
		read: READ,
		note: "read in the page's source, temporalio/documentation docs/evaluate/cloud/pricing.mdx",
	},
} satisfies Record<string, Price>;

/** Memory Cloudflare bills a Durable Object's duration at, whatever it uses. */
const DO_GB = 128 / 1024;

/** Billed operations per step of one sample: what `npm run bench` prints and scale.ts reads. */
export interface OpsPerStep {
	workerRequests: number;
	/** CPU ms of the whole workerd process per step (an upper bound of billed CPU: see below). */
	workerCpuMs: number;
	doRequests: number;
	doGbS: number;
	doRowsRead: number;
	doRowsWritten: number;
	d1Queries: number;
	d1RowsRead: number;
	d1RowsWritten: number;
	queueOps: number;
	/** Messages sent per step (the queue's throughput limit counts messages). */
	queueMessages: number;
	r2ClassA: number;
	r2ClassB: number;
}

export function perStep(c: Counts, steps: number, cpuMs: number): OpsPerStep {
	const d = (v: number) => v / steps;
	return {
		workerRequests: d(c.workerRequests),
		workerCpuMs: d(cpuMs),
		doRequests: d(c.doRequests),
		doGbS: d((c.doActiveMs / 1000) * DO_GB),
		doRowsRead: d(c.doRowsRead),
		doRowsWritten: d(c.doRowsWritten),
		d1Queries: d(c.d1Queries),
		d1RowsRead: d(c.d1RowsRead),
		d1RowsWritten: d(c.d1RowsWritten),
		queueOps: d(c.queueWrites + c.queueReads + c.queueDeletes),
		queueMessages: d(c.queueWrites),
		r2ClassA: d(c.r2ClassA),
		r2ClassB: d(c.r2ClassB),
	};
}

/** USD per step, by line, at list prices. */
export function costPerStep(o: OpsPerStep): Record<string, number> {
	const p = PRICES;
	return {
		"Worker requests": o.workerRequests * p.workerRequest.usd,
		"Worker CPU": o.workerCpuMs * p.workerCpuMs.usd,
		"DO requests": o.doRequests * p.doRequest.usd,
		"DO duration": o.doGbS * p.doGbS.usd,
		"DO rows": o.doRowsRead * p.doRowRead.usd + o.doRowsWritten * p.doRowWritten.usd,
		"D1 rows": o.d1RowsRead * p.d1RowRead.usd + o.d1RowsWritten * p.d1RowWritten.usd,
		Queues: o.queueOps * p.queueOp.usd,
		R2: o.r2ClassA * p.r2ClassA.usd + o.r2ClassB * p.r2ClassB.usd,
	};
}

export const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/**
 * Cloudflare Workflows, from its own counted operations: an invocation per instance (its steps
 * are not requests: "subrequests made from a Workflow do not incur additional request costs")
 * and CPU time. Its storage (GB-month of step results kept for the retention period) is not
 * counted here.
 */
export function workflowsCostPerStep(stepsPerProcess: number, cpuMsPerStep: number): number {
	return PRICES.workflowsRequest.usd / stepsPerProcess + cpuMsPerStep * PRICES.workflowsCpuMs.usd;
}

/**
 * Temporal Cloud actions of one process of these workloads, from Temporal's published list of
 * actions: one "Workflow started" and one "Activity started" per task (each task an activity;
 * no timers, signals, heartbeats or retries in these workloads).
 */
export function temporalActionsPerProcess(stepsPerProcess: number): number {
	return 1 + stepsPerProcess;
}

export function temporalCostPerStep(stepsPerProcess: number): number {
	return (temporalActionsPerProcess(stepsPerProcess) / stepsPerProcess) * PRICES.temporalAction.usd;
}
