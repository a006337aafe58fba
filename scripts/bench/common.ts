// What every runner of `npm run bench` shares: the sample it prints, peak memory, percentiles.
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import type { OpsPerStep } from "./prices.ts";
import type { EventScenario } from "./protocol.ts";
import type { WorkloadKey } from "./workloads.ts";

/**
 * baton: jobs through the queue; inline: the same workflows with every node inline (T9);
 * workflows: Cloudflare Workflows on the same local workerd (workflows.ts).
 */
export type EngineKey = "baton" | "inline" | "core" | "peer" | "workflows";

export interface Sample {
	engine: EngineKey;
	workload: WorkloadKey;
	n: number;
	/** Processes started and not finished, at most. */
	inFlight: number;
	/** Wall time of the measured processes, first start → last end. */
	wallMs: number;
	/** Tasks completed. */
	steps: number;
	processesPerSec: number;
	stepsPerSec: number;
	/**
	 * Completion of a task → the next task running (ms): nearest-rank percentiles. Baton: the
	 * completion's commit → the next job in the consumer's hands (inline: → started, ~0);
	 * Workflows: the predecessors' latest `step.do` callback end → the step's callback start.
	 */
	latency: { p50: number | null; p95: number | null; p99: number | null; samples: number };
	/**
	 * Baton queued only: the interval the Workflows column measures, the predecessor's completion
	 * sent by the consumer → the next job in its hands.
	 */
	stepLatency?: Sample["latency"];
	/** Peak resident memory of the process that ran the engine (MB): workerd for Baton. */
	peakRssMb: number;
	/** CPU time spent per step (ms) by the process that ran the engine: robust to outside load. */
	cpuMsPerStep: number;
	/** 1-minute load average when the sample started and ended. */
	load1: [number, number];
	/** Billed operations per step, counted (Baton: worker/meter.ts; Workflows: workflows.ts). */
	ops?: OpsPerStep;
	extra?: Record<string, unknown>;
}

export function load1(): number {
	return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

/** Nearest-rank percentile of samples. */
export function percentile(samples: number[], p: number): number | null {
	if (samples.length === 0) return null;
	const sorted = Float64Array.from(samples).sort();
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return Math.round((sorted[rank] as number) * 1000) / 1000;
}

export function latencySummary(samples: number[]): Sample["latency"] {
	return {
		p50: percentile(samples, 50),
		p95: percentile(samples, 95),
		p99: percentile(samples, 99),
		samples: samples.length,
	};
}

/** This Node process's peak RSS (MB). */
export function ownPeakRssMb(): number {
	return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** The direct children of this process whose command starts with `name`. */
function children(name: string): number[] {
	const pids: number[] = [];
	for (const entry of readdirSync("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
			const close = stat.lastIndexOf(")");
			const comm = stat.slice(stat.indexOf("(") + 1, close);
			const ppid = Number(stat.slice(close + 2).split(" ")[1]);
			if (ppid === process.pid && comm.startsWith(name)) pids.push(Number(entry));
		} catch {
			// the process ended while we looked
		}
	}
	return pids;
}

/** CPU time (ms, user + system) used so far by the children named `name` (e.g. workerd). */
export function childCpuMs(name: string): number {
	let ticks = 0;
	for (const pid of children(name)) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
			const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			// ended
		}
	}
	return ticks * 10;
}

/** CPU time (ms, user + system) of this Node process so far. */
export function ownCpuMs(): number {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
}

/** Peak RSS (MB) of the direct children of this process whose command is `name` (e.g. workerd). */
export function childPeakRssMb(name: string): number {
	let kb = 0;
	for (const pid of children(name)) {
		try {
			const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
			if (hwm) kb += Number(hwm[1]);
		} catch {
			// ended
		}
	}
	return Math.round(kb / 1024);
}

export function arg(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

/** Runners print one line `SAMPLE <json>`; everything else on stdout is ignored. */
export function emit(sample: Sample): void {
	process.stdout.write(`SAMPLE ${JSON.stringify(sample)}\n`);
}

/** One run of a "Time and events" scenario: a count of timers or messages, a rate, latencies. */
export interface EventFigures {
	/** Timers fired or messages delivered. */
	count: number;
	wallMs: number;
	/** count / wallMs, per second. */
	perSec: number;
	/** ms, nearest-rank percentiles and the largest (what each latency is: protocol.ts, EventRun). */
	latency: { p50: number | null; p95: number | null; max: number | null; samples: number };
}

/** The sample of one "Time and events" scenario: one fresh workerd, like the speed samples. */
export interface EventSample {
	/** Which variant of the scenario (main.ts names them), the key of the summary. */
	id: string;
	scenario: EventScenario;
	/** Timers per process, or messages per run. */
	n: number;
	processes: number;
	inFlight: number;
	spreadMs: number;
	/** Timers: the one run; messages: one message in flight at a time. */
	unloaded: EventFigures;
	/** Messages: `inFlight` messages in flight. */
	loaded?: EventFigures;
	/** Peak resident memory of workerd (MB). */
	peakRssMb: number;
	/** CPU time of workerd over the whole scenario, setup included (ms). */
	cpuMs: number;
	load1: [number, number];
	extra: Record<string, number>;
}

/** Event runners print one line `EVENT <json>`. */
export function emitEvent(sample: EventSample): void {
	process.stdout.write(`EVENT ${JSON.stringify(sample)}\n`);
}
