// The peer: bpmn-engine running the same workloads in memory, in this Node process. The BPMN is
// parsed and serialised once ("deployed"), every instance shares the serialised context, every
// task is a serviceTask whose service completes at once, and the loop condition is an expression
// calling a service (no script, so no `node:vm`). An untimed warm-up runs first.
//   node --experimental-strip-types scripts/bench/peer.ts --workload conference --n 300
import { performance } from "node:perf_hooks";
import * as Elements from "bpmn-elements";
import { Engine } from "bpmn-engine";
import serializer, { TypeResolver } from "moddle-context-serializer";
import { arg, emit, latencySummary, load1, ownCpuMs, ownPeakRssMb } from "./common.ts";
import { latencies, type WorkloadKey, workload } from "./workloads.ts";

const key = arg("workload", "conference") as WorkloadKey;
const n = Number(arg("n", "300"));
const inFlight = Number(arg("in-flight", "100"));
const warmUp = Number(arg("warm-up", String(Math.min(100, n))));
const w = workload(key);

const load0 = load1();
// bpmn-moddle ships no declarations for its entry; only its parser is needed here.
const moddlePackage = "bpmn-moddle";
const { BpmnModdle } = (await import(moddlePackage)) as {
	BpmnModdle: new () => { fromXML(xml: string): Promise<unknown> };
};
const moddleContext = await new BpmnModdle().fromXML(w.bpmn);
const sourceContext = serializer(
	moddleContext as Parameters<typeof serializer>[0],
	TypeResolver(Elements),
);

interface Run {
	node: string;
	startedAt: number;
	completedAt: number;
}

function runInstance(i: number, samples: number[] | null): Promise<number> {
	const runs: Run[] = [];
	let passes = 0;
	const services = {
		work(message: { content: { id: string } }, next: (err: unknown, result?: unknown) => void) {
			const startedAt = performance.now();
			runs.push({ node: message.content.id, startedAt, completedAt: performance.now() });
			next(null, null);
		},
		again() {
			passes++;
			return passes <= 2;
		},
	};
	const engine = new Engine({ name: `i${i}`, sourceContext, services });
	return new Promise((resolve, reject) => {
		engine.once("end", () => {
			if (runs.length !== w.steps) {
				reject(new Error(`instance ${i} ran ${runs.length} tasks, expected ${w.steps}`));
				return;
			}
			if (samples) samples.push(...latencies(w.preds, runs));
			resolve(runs.length);
		});
		engine.once("error", reject);
		engine.execute().catch(reject);
	});
}

async function runMany(count: number, samples: number[] | null): Promise<number> {
	let next = 0;
	let steps = 0;
	const lane = async () => {
		while (next < count) {
			const i = next++;
			const ran = await runInstance(i, samples);
			steps += ran;
		}
	};
	await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
	return steps;
}

await runMany(warmUp, null);
const samples: number[] = [];
const t0 = performance.now();
const cpu0 = ownCpuMs();
const steps = await runMany(n, samples);
const wallMs = performance.now() - t0;
const cpuMs = ownCpuMs() - cpu0;
emit({
	engine: "peer",
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
	extra: { version: "bpmn-engine 25.0.1", node: process.version },
});
