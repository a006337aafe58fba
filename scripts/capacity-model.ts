// `npm run capacity [-- options]`: how far one Baton deployment goes before a Cloudflare limit
// binds. The inputs are the billed operations per step that `npm run bench` counted (the latest
// bench-results/summary.json, or --summary <file>) and Cloudflare's published limits (LIMITS
// below, each with its page); for each workload, queued and inline, it prints the steps/s at which
// each limit binds and which binds first. docs/scale.md explains the model and its figures.
//
//   --shards N          task queues the jobs are spread over (a process's jobs go to one shard by
//                       its id); each queue has its own 5,000 messages/s (default 1)
//   --index-batch B     index writes batched B to a D1 statement (default 1: as counted)
//   --d1-dbs M          index databases the writes are spread over, e.g. by tenant (default 1)
//   --d1-query-ms T     mean duration of one D1 statement, ms (default 1, Cloudflare's example)
//   --consumer-batch K  messages per consumer invocation (wrangler.toml: 25)
//   --json              print the model as JSON instead of tables
import { readFileSync } from "node:fs";
import type { OpsPerStep } from "./bench/prices.ts";

export interface Limit {
	value: number;
	unit: string;
	source: string;
	/** What the page says, in short (verbatim where it is a table cell). */
	says: string;
}

/** Cloudflare's published limits (read 2026-12-06). */
export const LIMITS = {
	queueMessagesPerSec: {
		value: 5000,
		unit: "messages/s per queue",
		source: "https://developers.cloudflare.com/queues/platform/limits/",
		says: "Per-queue message throughput: 5,000 messages per second",
	},
	queueConcurrentConsumers: {
		value: 250,
		unit: "concurrent consumer invocations per queue",
		source: "https://developers.cloudflare.com/queues/platform/limits/",
		says: "Concurrent consumer invocations: 250 push-based only",
	},
	d1QueriesPerSecAt1ms: {
		value: 1000,
		unit: "statements/s per database at 1 ms each",
		source: "https://developers.cloudflare.com/d1/platform/limits/",
		says: "FAQ “How much work can a D1 database do?”: “Each individual D1 database is inherently single-threaded, and processes queries one at a time. … If your average query takes 1 ms, you can run approximately 1,000 queries per second.”",
	},
	d1QueriesPerInvocation: {
		value: 1000,
		unit: "D1 queries per Worker invocation",
		source: "https://developers.cloudflare.com/d1/platform/limits/",
		says: "Queries per Worker invocation (read subrequest limits): 1000 (Workers Paid)",
	},
	doRequestsPerSec: {
		value: 1000,
		unit: "requests/s per Durable Object (soft)",
		source: "https://developers.cloudflare.com/durable-objects/platform/limits/",
		says: "FAQ “How much work can a single Durable Object do?”: “Each individual Object is inherently single-threaded. … An individual Object has a soft limit of 1,000 requests per second.”",
	},
	subrequestsPerInvocation: {
		value: 10_000,
		unit: "subrequests per invocation",
		source: "https://developers.cloudflare.com/workers/platform/limits/",
		says: "Subrequests: 10,000/request (Workers Paid)",
	},
	cpuMsPerInvocation: {
		value: 300_000,
		unit: "CPU ms per Worker invocation (Workers Paid)",
		source: "https://developers.cloudflare.com/workers/platform/limits/",
		says: "CPU time: 5 min (Workers Paid); Durable Objects: 30 seconds (default) / configurable to 5 minutes",
	},
	workflowsCreatesPerSec: {
		value: 100,
		unit: "instances created/s per workflow (300/s per account)",
		source: "https://developers.cloudflare.com/workflows/reference/limits/",
		says: "Maximum Workflow instance creation rate: 300 per second per account, 100 per second per workflow",
	},
} satisfies Record<string, Limit>;

export interface ModelInput {
	shards: number;
	indexBatch: number;
	d1Dbs: number;
	d1QueryMs: number;
	consumerBatch: number;
}

export interface Bound {
	limit: keyof typeof LIMITS;
	/** Steps/s of the whole deployment at which this limit binds (Infinity: never). */
	stepsPerSec: number;
	why: string;
}

export interface Capacity {
	/** Aggregate bounds, tightest first. */
	bounds: Bound[];
	/** The steps/s of one process at which its own object reaches the soft limit. */
	perProcessStepsPerSec: number;
	/** Per consumer invocation (a batch of K messages): subrequests, D1 queries and CPU ms. */
	perInvocation: { subrequests: number; d1Queries: number; cpuMs: number } | null;
}

/** The model: each limit divided by what a step uses of it. */
export function capacity(ops: OpsPerStep, input: ModelInput): Capacity {
	const bounds: Bound[] = [];
	const per = (limit: number, use: number) => (use > 0 ? limit / use : Number.POSITIVE_INFINITY);
	bounds.push({
		limit: "queueMessagesPerSec",
		stepsPerSec: per(LIMITS.queueMessagesPerSec.value * input.shards, ops.queueMessages),
		why: `${fmtN(ops.queueMessages)} messages/step over ${input.shards} queue(s)`,
	});
	const d1Statements = ops.d1Queries / input.indexBatch;
	const d1Capacity =
		(LIMITS.d1QueriesPerSecAt1ms.value / input.d1QueryMs) * Math.max(1, input.d1Dbs);
	bounds.push({
		limit: "d1QueriesPerSecAt1ms",
		stepsPerSec: per(d1Capacity, d1Statements),
		why: `${fmtN(d1Statements)} D1 statements/step (${fmtN(ops.d1Queries)} counted ÷ batch ${input.indexBatch}) at ${input.d1QueryMs} ms, ${input.d1Dbs} database(s)`,
	});
	bounds.sort((a, b) => a.stepsPerSec - b.stepsPerSec);
	const perInvocation =
		ops.queueMessages > 0
			? (() => {
					// One consumer invocation handles K messages, each one step's job.
					const steps = input.consumerBatch / ops.queueMessages;
					return {
						subrequests: steps * (ops.doRequests + ops.d1Queries + ops.queueMessages),
						d1Queries: steps * ops.d1Queries,
						cpuMs: steps * ops.workerCpuMs,
					};
				})()
			: null;
	return {
		bounds,
		perProcessStepsPerSec: per(LIMITS.doRequestsPerSec.value, ops.doRequests),
		perInvocation,
	};
}

function fmtN(v: number): string {
	if (!Number.isFinite(v)) return "∞";
	const a = Math.abs(v);
	return v.toLocaleString("en-US", {
		maximumFractionDigits: a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3,
	});
}

interface SummaryFile {
	meta: { command: string; startedAt: string };
	summary: {
		throughput: Record<
			string,
			Partial<Record<string, { ops?: OpsPerStep; stepsPerProcess?: number }>>
		>;
	};
}

function main(): void {
	const args = process.argv.slice(2);
	const option = (name: string, fallback: string) => {
		const i = args.indexOf(`--${name}`);
		return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
	};
	const positive = (name: string, fallback: string) => {
		const v = Number(option(name, fallback));
		if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
		return v;
	};
	const input: ModelInput = {
		shards: positive("shards", "1"),
		indexBatch: positive("index-batch", "1"),
		d1Dbs: positive("d1-dbs", "1"),
		d1QueryMs: positive("d1-query-ms", "1"),
		consumerBatch: positive("consumer-batch", "25"),
	};
	const file = option(
		"summary",
		new URL("../bench-results/summary.json", import.meta.url).pathname,
	);
	const data = JSON.parse(readFileSync(file, "utf8")) as SummaryFile;
	const rows: { workload: string; mode: string; capacity: Capacity; stepsPerProcess: number }[] =
		[];
	for (const [workload, by] of Object.entries(data.summary.throughput)) {
		for (const [engine, mode] of [
			["baton", "queued"],
			["inline", "inline"],
		] as const) {
			const cell = by[engine];
			if (!cell?.ops) continue;
			rows.push({
				workload,
				mode,
				capacity: capacity(cell.ops, input),
				stepsPerProcess: cell.stepsPerProcess ?? 1,
			});
		}
	}
	if (rows.length === 0) throw new Error(`${file} has no counted operations (run npm run bench)`);
	if (args.includes("--json")) {
		console.log(JSON.stringify({ input, limits: LIMITS, rows }, null, 1));
		return;
	}
	console.log(
		`Capacity of one deployment (${file.split("/").slice(-2).join("/")}, ${data.meta.command}, ${data.meta.startedAt.slice(0, 10)}): ${input.shards} task queue(s), index writes batched ${input.indexBatch}, ${input.d1Dbs} index database(s) at ${input.d1QueryMs} ms a statement, consumer batches of ${input.consumerBatch}.\n`,
	);
	console.log(
		"| workload | mode | queue binds at, steps/s | D1 binds at, steps/s | binds first | one process's object at 1,000 req/s | per consumer invocation: subrequests / D1 queries / CPU ms | Workflows' create limit, steps/s |",
	);
	console.log("|---|---|---|---|---|---|---|---|");
	for (const r of rows) {
		const at = (k: keyof typeof LIMITS) =>
			fmtN(r.capacity.bounds.find((b) => b.limit === k)?.stepsPerSec ?? Number.NaN);
		const first = r.capacity.bounds[0] as Bound;
		const inv = r.capacity.perInvocation;
		console.log(
			`| ${r.workload} | ${r.mode} | ${at("queueMessagesPerSec")} | ${at("d1QueriesPerSecAt1ms")} | ${first.limit === "queueMessagesPerSec" ? "queue" : "D1"} (${fmtN(first.stepsPerSec)} steps/s; ${first.why}) | ${fmtN(r.capacity.perProcessStepsPerSec)} steps/s | ${inv ? `${fmtN(inv.subrequests)} / ${fmtN(inv.d1Queries)} / ${fmtN(inv.cpuMs)}` : "– (no queue)"} | ${fmtN(LIMITS.workflowsCreatesPerSec.value * r.stepsPerProcess)} |`,
		);
	}
}

if (import.meta.url === `file://${process.argv[1]}`) main();
