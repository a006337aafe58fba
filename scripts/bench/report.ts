// Aggregates the samples of `npm run bench` (median and min–max over repetitions) and renders the
// Markdown tables: throughput with the ratios Baton / peer, latency, growth with N.
import type { EngineKey, Sample } from "./common.ts";
import type { WorkloadKey } from "./workloads.ts";

export interface Stat {
	median: number;
	min: number;
	max: number;
	samples: number;
}

export interface Cell {
	n: number;
	inFlight: number;
	stepsPerSec: Stat;
	processesPerSec: Stat;
	msPerProcess: Stat;
	p50: Stat;
	p95: Stat;
	p99: Stat;
	peakRssMb: Stat;
	cpuMsPerStep: Stat;
	load1: number[];
}

export type ByEngine = Partial<Record<EngineKey, Cell>>;

export interface Summary {
	throughput: Partial<Record<WorkloadKey, ByEngine>>;
	unloaded: Partial<Record<WorkloadKey, ByEngine>>;
	growth: Record<string, ByEngine>;
}

type Tagged = Sample & { kind: "throughput" | "unloaded" | "growth"; rep: number };

function stat(values: number[]): Stat {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	const median =
		sorted.length % 2 === 1
			? (sorted[mid] as number)
			: ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
	return {
		median,
		min: sorted[0] ?? Number.NaN,
		max: sorted[sorted.length - 1] ?? Number.NaN,
		samples: sorted.length,
	};
}

function cell(group: Tagged[]): Cell {
	const first = group[0] as Tagged;
	const pick = (f: (s: Tagged) => number | null) =>
		stat(group.map(f).filter((v): v is number => v !== null));
	return {
		n: first.n,
		inFlight: first.inFlight,
		stepsPerSec: pick((s) => s.stepsPerSec),
		processesPerSec: pick((s) => s.processesPerSec),
		msPerProcess: pick((s) => s.wallMs / s.n),
		p50: pick((s) => s.latency.p50),
		p95: pick((s) => s.latency.p95),
		p99: pick((s) => s.latency.p99),
		peakRssMb: pick((s) => s.peakRssMb),
		cpuMsPerStep: pick((s) => s.cpuMsPerStep),
		load1: group.flatMap((s) => s.load1),
	};
}

export function summarise(samples: Tagged[]): Summary {
	const groups = new Map<string, Tagged[]>();
	for (const s of samples) {
		const key = `${s.kind}|${s.kind === "growth" ? s.n : s.workload}|${s.engine}`;
		groups.set(key, [...(groups.get(key) ?? []), s]);
	}
	const summary: Summary = { throughput: {}, unloaded: {}, growth: {} };
	for (const [key, group] of groups) {
		const [kind, what, engine] = key.split("|") as [Tagged["kind"], string, EngineKey];
		const table = summary[kind] as Record<string, ByEngine>;
		table[what] = { ...(table[what] ?? {}), [engine]: cell(group) };
	}
	return summary;
}

/** 1,234 / 12.3 / 0.123: three significant figures at most, thousands separated. */
export function fmt(v: number | undefined): string {
	if (v === undefined || Number.isNaN(v)) return "–";
	const a = Math.abs(v);
	const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
	return v.toLocaleString("en-US", {
		maximumFractionDigits: digits,
		minimumFractionDigits: 0,
	});
}

const spread = (s: Stat | undefined) =>
	s ? (s.samples > 1 ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : fmt(s.median)) : "–";
const ratio = (a: Stat | undefined, b: Stat | undefined) =>
	a && b && b.median > 0 ? `${fmt(a.median / b.median)}×` : "–";
const lat = (c: Cell | undefined) =>
	c ? `${fmt(c.p50.median)} / ${fmt(c.p95.median)} / ${fmt(c.p99.median)}` : "–";

const TITLES: Record<WorkloadKey, string> = {
	conference: "conference (14 tasks: 2 starts, AND joins, 3 channels, OR join, loop ×2)",
	fanout20: "fan-out/fan-in of 20 (22 tasks)",
	chain50: "chain of 50 tasks",
};

export function renderTables(
	meta: {
		command: string;
		startedAt: string;
		machine: string;
		node: string;
		workerd: string;
		reps: number;
		inFlight: number;
		openFiles?: string;
	},
	summary: Summary,
): string {
	const out: string[] = [];
	out.push(
		`\`${meta.command}\` — ${meta.startedAt.slice(0, 16).replace("T", " ")} UTC, ${meta.machine}, Node ${meta.node}, workerd ${meta.workerd}; median (min–max) of ${meta.reps} interleaved repetitions; 1-minute load average during the samples in the last column${meta.openFiles ? `; open files allowed: ${meta.openFiles}` : ""}.`,
		"",
		`**Steps/s** (a step = one task completed and routed), ${meta.inFlight} processes in flight, started through \`startProcess\` as the API does. Baton e2e runs on Miniflare (one workerd: D1, SQLite Durable Objects, Queues, on disk); every step is committed durably (state, history, outbox) before the next one runs. *Queued*: every task is a job sent through the queue, claimed and completed by the consumer (a queue hop and two commands per task; the commands of a consumer batch's tasks for one process share a round trip). *Inline*: the same workflows with every node marked \`inline\` (T9), so their pure tasks run inside the ProcessObject's steps with no queue hop. Core: Baton's engine alone in Node, a claim and a completion per task. Peer: bpmn-engine 25.0.1 in memory in Node.`,
		"",
		"| workload | Baton e2e, queued | Baton e2e, inline | engine core | bpmn-engine | **queued / peer** | **inline / peer** | **core / peer** | CPU ms/step queued / inline | load |",
		"|---|---|---|---|---|---|---|---|---|---|",
	);
	for (const [w, by] of Object.entries(summary.throughput) as [WorkloadKey, ByEngine][]) {
		const loads = [
			...(by.baton?.load1 ?? []),
			...(by.inline?.load1 ?? []),
			...(by.peer?.load1 ?? []),
		];
		out.push(
			`| ${TITLES[w]} | ${spread(by.baton?.stepsPerSec)} | ${spread(by.inline?.stepsPerSec)} | ${spread(by.core?.stepsPerSec)} | ${spread(by.peer?.stepsPerSec)} | ${ratio(by.baton?.stepsPerSec, by.peer?.stepsPerSec)} | ${ratio(by.inline?.stepsPerSec, by.peer?.stepsPerSec)} | ${ratio(by.core?.stepsPerSec, by.peer?.stepsPerSec)} | ${fmt(by.baton?.cpuMsPerStep.median)} / ${fmt(by.inline?.cpuMsPerStep.median)} | ${loads.length ? `${fmt(Math.min(...loads))}–${fmt(Math.max(...loads))}` : "–"} |`,
		);
	}
	out.push(
		"",
		"**Processes/s** of the same runs (N processes per sample):",
		"",
		"| workload | Baton e2e, queued | Baton e2e, inline | engine core | bpmn-engine |",
		"|---|---|---|---|---|",
	);
	for (const [w, by] of Object.entries(summary.throughput) as [WorkloadKey, ByEngine][]) {
		const n = (c: Cell | undefined) => (c ? ` (N=${c.n})` : "");
		out.push(
			`| ${w} | ${spread(by.baton?.processesPerSec)}${n(by.baton)} | ${spread(by.inline?.processesPerSec)}${n(by.inline)} | ${spread(by.core?.processesPerSec)}${n(by.core)} | ${spread(by.peer?.processesPerSec)}${n(by.peer)} |`,
		);
	}
	out.push(
		"",
		"**Latency from a task's completion to the next task running**, ms, p50 / p95 / p99 (medians over repetitions). Baton: the next task's creation (committed with the completion) to its start (queued: claimed by the queue consumer; inline: in the same step, so 0), as each process recorded them (`TaskCreated`, `TaskStarted`; read from the index rows it writes, checked against the first processes' histories); core and peer: the same two moments in-process. Loaded = the throughput runs above; unloaded = one process at a time.",
		"",
		"| scenario | Baton e2e, queued | Baton e2e, inline | engine core | bpmn-engine |",
		"|---|---|---|---|---|",
	);
	for (const [w, by] of Object.entries(summary.unloaded) as [WorkloadKey, ByEngine][]) {
		out.push(
			`| ${w}, unloaded (1 in flight) | ${lat(by.baton)} | ${lat(by.inline)} | ${lat(by.core)} | ${lat(by.peer)} |`,
		);
	}
	for (const [w, by] of Object.entries(summary.throughput) as [WorkloadKey, ByEngine][]) {
		out.push(
			`| ${w}, loaded (${by.baton?.inFlight ?? meta.inFlight} in flight) | ${lat(by.baton)} | ${lat(by.inline)} | ${lat(by.core)} | ${lat(by.peer)} |`,
		);
	}
	out.push(
		"",
		"**Growth with the number of processes** (conference, 20 in flight): time per process (wall time / N, ms) and peak resident memory (MB; Baton: the workerd process, holding every Durable Object, D1 and the queue broker).",
		"",
		"| processes | queued ms/process | queued peak MB | inline ms/process | inline peak MB | core ms/process | core peak MB | peer ms/process | peer peak MB |",
		"|---|---|---|---|---|---|---|---|---|",
	);
	for (const [n, by] of Object.entries(summary.growth).sort(
		(a, b) => Number(a[0]) - Number(b[0]),
	)) {
		out.push(
			`| ${Number(n).toLocaleString("en-US")} | ${spread(by.baton?.msPerProcess)} | ${spread(by.baton?.peakRssMb)} | ${spread(by.inline?.msPerProcess)} | ${spread(by.inline?.peakRssMb)} | ${spread(by.core?.msPerProcess)} | ${spread(by.core?.peakRssMb)} | ${spread(by.peer?.msPerProcess)} | ${spread(by.peer?.peakRssMb)} |`,
		);
	}
	return `${out.join("\n")}\n`;
}
