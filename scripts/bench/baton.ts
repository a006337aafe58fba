// Baton end to end on the local stack (local-stack.ts: Miniflare directly, one workerd process, with
// D1, SQLite-backed Durable Objects and Queues as in wrangler.toml, on disk). The bench entry
// (worker/entry.ts) runs the processes from inside workerd through `startProcess` and reads the
// timings from each process's history.
// With `--inline`, every node of the workload is marked inline (T9): its tasks run inside the
// ProcessObject's steps instead of going through the queue.
//   node --experimental-strip-types scripts/bench/baton.ts --bundle <worker.js> --workload conference --n 300
import { writeFileSync } from "node:fs";
import { arg, childCpuMs, childPeakRssMb, emit, latencySummary, load1 } from "./common.ts";
import { startLocalStack, startProfile } from "./local-stack.ts";
import { perStep } from "./prices.ts";
import type { Counts, RunRequest, RunResult } from "./protocol.ts";
import { type WorkloadKey, workload } from "./workloads.ts";

const key = arg("workload", "conference") as WorkloadKey;
const n = Number(arg("n", "300"));
const inFlight = Number(arg("in-flight", "100"));
const warmUp = Number(arg("warm-up", "20"));
const bundle = arg("bundle", "bench-results/raw/worker.js");
const timeoutMs = Number(arg("timeout", "900000"));
/** The consumer batch size; wrangler.toml says 25. */
const batchSize = Number(arg("batch-size", "25"));
/** `--probe`: also measure the platform's own costs (worker/entry.ts `probe`) after the run. */
const withProbe = process.argv.includes("--probe");
/** `--profile <file.cpuprofile>`: a CPU profile of the user worker's isolate over the measured run. */
const profilePath = arg("profile", "");
const inspectorPort = 9229 + (process.pid % 500);
const inline = process.argv.includes("--inline");
/**
 * `--completion push`: the driver learns each end from the process's live stream instead of
 * polling D1 (the default, kept: the two measured alike, performance.md "Cost").
 */
const completion = arg("completion", "poll") as "push" | "poll";
const w = workload(key);
const definition = inline
	? { ...w.baton, nodes: w.baton.nodes.map((node) => ({ ...node, inline: true })) }
	: w.baton;
const load0 = load1();
const stack = await startLocalStack({
	bundle,
	batchSize,
	...(profilePath ? { inspectorPort } : {}),
});
const { post } = stack;

try {
	await post("/__bench/publish", definition);
	const startNodes = definition.nodes.filter((node) => node.start).map((node) => node.key);
	const request = (name: string, count: number): RunRequest => ({
		workflowKey: definition.key,
		n: count,
		name,
		inFlight,
		startNodes,
		timeoutMs,
		completion,
	});
	if (warmUp > 0) await post("/__bench/run", request("warm-up", warmUp));
	const profiler = profilePath ? await startProfile(inspectorPort) : undefined;
	// The warm-up's last acknowledgements and index writes land before the counters start.
	await new Promise((r) => setTimeout(r, 300));
	await post<Counts>("/__bench/meter", { reset: true });
	const cpu0 = childCpuMs("workerd");
	await post("/__bench/run", request("measured", n));
	const cpuMs = childCpuMs("workerd") - cpu0;
	// …and the measured run's land before they are read.
	await new Promise((r) => setTimeout(r, 300));
	const counts = await post<Counts>("/__bench/meter", {});
	const r = await post<RunResult>("/__bench/collect", { name: "measured" });
	if (profiler) writeFileSync(profilePath, JSON.stringify(await profiler.stop()));
	if (r.succeeded !== n || r.steps !== n * w.steps) {
		throw new Error(
			`${r.succeeded}/${n} processes succeeded, ${r.steps} tasks (expected ${n * w.steps}); finished ${r.finished}`,
		);
	}
	if (!inline && r.latencyFrom.index > 0) {
		// A queued job whose hand-over was not seen would read ~0 ms from the index: say so.
		console.error(
			`warning: ${r.latencyFrom.index} queued tasks' latencies taken from the index (no hand-over seen)`,
		);
	}
	const perProcess = r.processMs.sort((a, b) => a - b);
	const platform = withProbe ? await post<Record<string, number>>("/__bench/probe", {}) : undefined;
	emit({
		engine: inline ? "inline" : "baton",
		workload: key,
		n,
		inFlight,
		wallMs: r.wallMs,
		steps: r.steps,
		processesPerSec: n / (r.wallMs / 1000),
		stepsPerSec: r.steps / (r.wallMs / 1000),
		latency: latencySummary(r.latencies),
		...(inline ? {} : { stepLatency: latencySummary(r.stepLatencies) }),
		peakRssMb: childPeakRssMb("workerd"),
		cpuMsPerStep: cpuMs / r.steps,
		ops: perStep(counts, r.steps, cpuMs),
		load1: [load0, load1()],
		extra: {
			runtime: "miniflare (workerd, in-worker driver)",
			tasks: inline ? "inline" : "queued jobs",
			processMsP50: perProcess[Math.floor(perProcess.length / 2)],
			stateBytes: r.stateBytes,
			completion,
			polls: r.polls,
			historyMismatches: r.historyMismatches,
			latencyFrom: r.latencyFrom,
			...(platform ? { platform } : {}),
		},
	});
} finally {
	await stack.dispose();
}
