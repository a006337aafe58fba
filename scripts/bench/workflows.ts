// The Cloudflare Workflows peer end to end: the same three workloads as `WorkflowEntrypoint`s
// (worker/workflows-entry.ts) on the same kind of local stack as Baton (Miniflare directly, one
// workerd with its Workflows engine, on disk, fresh per sample), `inFlight` instances at a time,
// each instance's end pushed to the driver (no polling of `instance.status()`).
//   node --experimental-strip-types scripts/bench/workflows.ts --bundle <workflows.js> --workload conference --n 300
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as MiniflareModule from "miniflare";
import { arg, childCpuMs, childPeakRssMb, emit, latencySummary, load1 } from "./common.ts";
import { latencies, type WorkloadKey, workload } from "./workloads.ts";

interface TaskRun {
	node: string;
	startedAt: number;
	completedAt: number;
}
interface RunResult {
	finished: number;
	created: number;
	wallMs: number;
	processMs: number[];
	runs: TaskRun[][];
}

const key = arg("workload", "conference") as WorkloadKey;
const n = Number(arg("n", "300"));
const inFlight = Number(arg("in-flight", "20"));
const warmUp = Number(arg("warm-up", "20"));
const bundle = arg("bundle", "bench-results/raw/workflows.js");
const timeoutMs = Number(arg("timeout", "900000"));
const w = workload(key);

const require = createRequire(createRequire(import.meta.url).resolve("wrangler/package.json"));
const { Miniflare, convertV4MiniflareOptions } = require("miniflare") as typeof MiniflareModule;

const load0 = load1();
const persist = mkdtempSync(join(tmpdir(), "baton-bench-wf-"));
const mf = new Miniflare(
	convertV4MiniflareOptions({
		resourcePersistencePath: persist,
		workers: [
			{
				name: "workflows-peer",
				modules: true,
				scriptPath: bundle,
				compatibilityDate: "2026-11-01",
				durableObjects: { LATCH: { className: "Latch", useSQLite: true } },
				workflows: {
					CONFERENCE: { name: "bench-conference", className: "ConferenceFlow" },
					FANOUT20: { name: "bench-fanout20", className: "Fanout20Flow" },
					CHAIN50: { name: "bench-chain50", className: "Chain50Flow" },
				},
			},
		],
	}),
);
const post = async <T>(path: string, body: unknown): Promise<T> => {
	const res = await mf.dispatchFetch(`http://bench.local${path}`, {
		method: "POST",
		headers: { "content-type": "application/json" },
		body: JSON.stringify(body),
	});
	const text = await res.text();
	if (!res.ok) throw new Error(`${path}: ${res.status} ${text.slice(0, 500)}`);
	return JSON.parse(text) as T;
};

try {
	await mf.ready;
	const request = (name: string, count: number) => ({
		workload: key,
		n: count,
		name,
		inFlight,
		timeoutMs,
	});
	if (warmUp > 0) await post("/__bench/run", request("warm-up", warmUp));
	const cpu0 = childCpuMs("workerd");
	const r = await post<RunResult>("/__bench/run", request("measured", n));
	const cpuMs = childCpuMs("workerd") - cpu0;
	const steps = r.runs.reduce((a, runs) => a + runs.length, 0);
	if (r.finished !== n || steps !== n * w.steps) {
		throw new Error(
			`${r.finished}/${n} instances finished, ${steps} steps (expected ${n * w.steps})`,
		);
	}
	const lat = r.runs.flatMap((runs) => latencies(w.preds, runs));
	const perProcess = r.processMs.sort((a, b) => a - b);
	emit({
		engine: "workflows",
		workload: key,
		n,
		inFlight,
		wallMs: r.wallMs,
		steps,
		processesPerSec: n / (r.wallMs / 1000),
		stepsPerSec: steps / (r.wallMs / 1000),
		latency: latencySummary(lat),
		peakRssMb: childPeakRssMb("workerd"),
		cpuMsPerStep: cpuMs / steps,
		load1: [load0, load1()],
		extra: {
			runtime: "miniflare (workerd, Workflows engine, in-worker driver, completion pushed)",
			invocationsPerStep: r.created / steps,
			processMsP50: perProcess[Math.floor(perProcess.length / 2)],
		},
	});
} finally {
	await mf.dispose();
	rmSync(persist, { recursive: true, force: true });
}
