// One "Time and events" sample of `npm run bench`: a fresh workerd (local-stack.ts) running one
// scenario of worker/events.ts (timers fired by the ProcessObject's alarm, messages from publish
// to the waiting task's success), printed as one `EVENT <json>` line for main.ts.
//   node --experimental-strip-types scripts/bench/events.ts --bundle <worker.js> \
//     --scenario timers-one --n 1000 [--spread 0] [--margin 3000]
//   … --scenario timers-across --n 5 --processes 200
//   … --scenario message-publish|message-one-key|message-send|message-kept --n 200 --in-flight 20
//   … --profile /tmp/events.cpuprofile   (then scripts/bench/profile-summary.ts on it)
import { writeFileSync } from "node:fs";
import {
	arg,
	childCpuMs,
	childPeakRssMb,
	type EventFigures,
	emitEvent,
	load1,
	percentile,
} from "./common.ts";
import { startLocalStack, startProfile } from "./local-stack.ts";
import type { EventRequest, EventResult, EventRun, EventScenario } from "./protocol.ts";

const scenario = arg("scenario", "timers-one") as EventScenario;
const n = Number(arg("n", "1000"));
const processes = Number(arg("processes", "1"));
const inFlight = Number(arg("in-flight", "20"));
const spreadMs = Number(arg("spread", "0"));
/**
 * Room, before the first timer is due, to create the timers and index them (not timed): about
 * 0.3 ms per timer and 20 ms per process on top of a second, a few times what this machine needs
 * unloaded. The worker doubles it and tries again on new processes when the setup overran it.
 */
const marginMs = Number(
	arg("margin", String(Math.round(1000 + 0.3 * n * processes + 20 * processes))),
);
const timeoutMs = Number(arg("timeout", "600000"));
const bundle = arg("bundle", "bench-results/raw/worker.js");
const id = arg("id", scenario);
/** `--profile <file.cpuprofile>`: a CPU profile of the worker's isolate over the scenario. */
const profilePath = arg("profile", "");
const inspectorPort = 9229 + (process.pid % 500);

function figures(run: EventRun): EventFigures {
	return {
		count: run.count,
		wallMs: run.wallMs,
		perSec: run.wallMs > 0 ? run.count / (run.wallMs / 1000) : Number.NaN,
		latency: {
			p50: percentile(run.latencies, 50),
			p95: percentile(run.latencies, 95),
			max: percentile(run.latencies, 100),
			samples: run.latencies.length,
		},
	};
}

const load0 = load1();
const stack = await startLocalStack({ bundle, ...(profilePath ? { inspectorPort } : {}) });
try {
	const request: EventRequest = {
		scenario,
		n,
		processes,
		inFlight,
		spreadMs,
		marginMs,
		timeoutMs,
	};
	const profiler = profilePath ? await startProfile(inspectorPort) : undefined;
	const cpu0 = childCpuMs("workerd");
	const r = await stack.post<EventResult>("/__bench/events", request);
	const cpuMs = childCpuMs("workerd") - cpu0;
	if (profiler) writeFileSync(profilePath, JSON.stringify(await profiler.stop()));
	emitEvent({
		id,
		scenario,
		n,
		processes,
		inFlight,
		spreadMs,
		unloaded: figures(r.unloaded),
		...(r.loaded ? { loaded: figures(r.loaded) } : {}),
		peakRssMb: childPeakRssMb("workerd"),
		cpuMs,
		load1: [load0, load1()],
		extra: r.extra,
	});
} finally {
	await stack.dispose();
}
