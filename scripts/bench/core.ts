// Baton's engine core alone, in this Node process: no platform, no storage. Up to `in-flight`
// processes share one FIFO of dispatched tasks (as the queue would hold them); each task is
// claimed and completed through `step`, like the queue consumer does. An untimed warm-up runs first.
//   node --experimental-strip-types scripts/bench/core.ts --workload conference --n 1000
import { performance } from "node:perf_hooks";
import type { Command, ProcessState } from "../../src/engine/index.ts";
import { createProcess, mustCompile, step } from "../../src/engine/index.ts";
import { defaultRegistry } from "../../src/tasks/registry.ts";
import { arg, emit, latencySummary, load1, ownCpuMs, ownPeakRssMb } from "./common.ts";
import { type WorkloadKey, workload } from "./workloads.ts";

const key = arg("workload", "conference") as WorkloadKey;
const n = Number(arg("n", "1000"));
const inFlight = Number(arg("in-flight", "100"));
const warmUp = Number(arg("warm-up", String(Math.min(200, n))));
const w = workload(key);
const load0 = load1();
const compiled = mustCompile({ ...w.baton, version: 1 }, defaultRegistry);

interface Job {
	process: number;
	taskId: string;
	attempt: number;
	dispatchedAt: number;
}

/** Runs `count` processes; returns tasks completed and, when asked, latency samples. */
function runMany(count: number, samples: number[] | null, sizes?: number[]): number {
	const states = new Map<number, ProcessState>();
	const jobs: Job[] = [];
	let head = 0;
	let started = 0;
	let finished = 0;
	let steps = 0;
	const send = (p: number, command: Command) => {
		const state = states.get(p) as ProcessState;
		const outcome = step(compiled, state, command, { now: Date.now() });
		if (!outcome.ok) throw new Error(`${command.type}: ${outcome.error.message}`);
		states.set(p, outcome.state);
		if (sizes) sizes.push(JSON.stringify(outcome.state).length);
		const at = performance.now();
		for (const e of outcome.effects) {
			if (e.type === "DispatchTask")
				jobs.push({ process: p, taskId: e.taskId, attempt: e.attempt, dispatchedAt: at });
		}
		if (outcome.state.status !== "STARTED" && outcome.state.status !== "PENDING") {
			if (outcome.state.status !== "SUCCESS")
				throw new Error(`process ${p} ended ${outcome.state.status}`);
			states.delete(p);
			finished++;
		}
	};
	const startOne = () => {
		const p = started++;
		states.set(p, createProcess(compiled, { id: `p${p}` }, { now: Date.now() }));
		send(p, { type: "StartProcess" });
	};
	while (finished < count) {
		while (started < count && started - finished < inFlight) startOne();
		const job = jobs[head++];
		if (!job) throw new Error("no work left but processes unfinished");
		const claimedAt = performance.now();
		send(job.process, { type: "ClaimTask", taskId: job.taskId, attempt: job.attempt });
		send(job.process, {
			type: "CompleteTask",
			taskId: job.taskId,
			attempt: job.attempt,
			result: null,
		});
		steps++;
		const isStart =
			job.taskId.endsWith("/t1") || (key === "conference" && job.taskId.endsWith("/t2"));
		if (samples && !isStart) samples.push(claimedAt - job.dispatchedAt);
		if (head > 10_000) {
			jobs.splice(0, head);
			head = 0;
		}
	}
	return steps;
}

runMany(warmUp, null);
const samples: number[] = [];
const t0 = performance.now();
const cpu0 = ownCpuMs();
const steps = runMany(n, samples);
const wallMs = performance.now() - t0;
const cpuMs = ownCpuMs() - cpu0;
if (steps !== n * w.steps) throw new Error(`ran ${steps} tasks, expected ${n * w.steps}`);
const sizes: number[] = [];
runMany(3, null, sizes);
emit({
	engine: "core",
	workload: key,
	n,
	inFlight,
	wallMs,
	steps,
	processesPerSec: n / (wallMs / 1000),
	stepsPerSec: steps / (wallMs / 1000),
	latency: latencySummary(samples),
	peakRssMb: ownPeakRssMb(),
	cpuMsPerStep: cpuMs / steps,
	load1: [load0, load1()],
	extra: {
		node: process.version,
		/** Mean and last size of the state JSON after a command (what a durable step writes). */
		stateBytesMean: Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length),
		stateBytesMax: Math.max(...sizes),
	},
});
