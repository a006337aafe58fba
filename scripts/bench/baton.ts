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
/**
 * `--meter-bundle <worker.js>`: `--bundle` is the speed bundle (no meter, bundle.ts) and the billed
 * operations are counted in a second run of `--meter-n` processes on this metered bundle, in a
 * fresh workerd. Without it, `--bundle` is metered and one run gives both.
 */
const meterBundle = arg("meter-bundle", "");
const meterN = Number(arg("meter-n", "100"));
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
 * `--completion latch|push|poll`: how the driver learns each end (worker/entry.ts): from the object
 * that ran it, in the isolate (latch, the default, as the Workflows peer's driver learns it), from
 * the process's live stream (push), or from a D1 read of the processes in flight every 10 ms (poll).
 */
const completion = arg("completion", "latch") as "latch" | "push" | "poll";
const w = workload(key);
const definition = inline
	? { ...w.baton, nodes: w.baton.nodes.map((node) => ({ ...node, inline: true })) }
	: w.baton;
/**
 * The billed operations per step, counted in a fresh workerd on the metered bundle over
 * `--meter-n` processes; CPU per step is the speed run's (the meter's own work is not Baton's).
 */
async function countOperations(cpuMsPerStep: number) {
	const metered = await startLocalStack({ bundle: meterBundle, batchSize });
	try {
		await metered.post("/__bench/publish", definition);
		const startNodes = definition.nodes.filter((node) => node.start).map((node) => node.key);
		const count = Math.min(n, meterN);
		const request = (name: string, k: number): RunRequest => ({
			workflowKey: definition.key,
			n: k,
			name,
			inFlight,
			startNodes,
			timeoutMs,
			completion,
		});
		if (warmUp > 0) await metered.post("/__bench/run", request("warm-up", warmUp));
		await new Promise((r) => setTimeout(r, 300));
		await metered.post<Counts>("/__bench/meter", { reset: true });
		await metered.post("/__bench/run", request("counted", count));
		await new Promise((r) => setTimeout(r, 300));
		const counts = await metered.post<Counts>("/__bench/meter", {});
		const r = await metered.post<RunResult>("/__bench/collect", { name: "counted" });
		if (r.succeeded !== count)
			throw new Error(`${r.succeeded}/${count} counted processes succeeded`);
		return perStep(counts, r.steps, cpuMsPerStep * r.steps);
	} finally {
		await metered.dispose();
	}
}

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
	const peakRssMb = childPeakRssMb("workerd");
	// The speed bundle counts nothing: the operations come from a run of the metered one.
	const ops = meterBundle
		? await countOperations(cpuMs / r.steps)
		: perStep(counts, r.steps, cpuMs);
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
		peakRssMb,
		cpuMsPerStep: cpuMs / r.steps,
		ops,
		load1: [load0, load1()],
		extra: {
			runtime: "miniflare (workerd, in-worker driver)",
			tasks: inline ? "inline" : "queued jobs",
			processMsP50: perProcess[Math.floor(perProcess.length / 2)],
			...(inline ? {} : { firstJobLatency: latencySummary(r.firstJobLatencies) }),
			stateBytes: r.stateBytes,
			completion,
			polls: r.polls,
			historyMismatches: r.historyMismatches,
			latencyFrom: r.latencyFrom,
			operationsCounted: meterBundle
				? `in a second run of ${Math.min(n, meterN)} processes on the metered bundle`
				: "in this run",
			...(platform ? { platform } : {}),
		},
	});
} finally {
	await stack.dispose();
}
