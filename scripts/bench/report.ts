// Aggregates the samples of `npm run bench` (median and min–max over repetitions) and renders the
// Markdown tables: throughput with the ratios Baton / peer, latency, growth with N; and "Time and
// events" (timers and messages, Baton end to end only).
import type { EngineKey, EventFigures, EventSample, Sample } from "./common.ts";
import {
	costPerStep,
	type OpsPerStep,
	PRICES,
	sum,
	temporalActionsPerProcess,
	temporalCostPerStep,
	workflowsCostPerStep,
} from "./prices.ts";
import type { EventScenario } from "./protocol.ts";
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
	/** Baton queued: the Workflows column's interval (Sample.stepLatency). */
	step?: { p50: Stat; p95: Stat; p99: Stat };
	peakRssMb: Stat;
	cpuMsPerStep: Stat;
	load1: number[];
	/** Billed operations per step, medians over the repetitions. */
	ops?: OpsPerStep;
	/** Tasks per process. */
	stepsPerProcess?: number;
}

export type ByEngine = Partial<Record<EngineKey, Cell>>;

export interface Summary {
	throughput: Partial<Record<WorkloadKey, ByEngine>>;
	unloaded: Partial<Record<WorkloadKey, ByEngine>>;
	growth: Record<string, ByEngine>;
	/** "Time and events", by the scenario variant's id, in the order they ran. */
	events: Record<string, EventCell>;
}

/** One run's figures of an events scenario, over the repetitions. */
export interface EventRunCell {
	count: number;
	perSec: Stat;
	wallMs: Stat;
	p50: Stat;
	p95: Stat;
	max: Stat;
	samples: number;
}

export interface EventCell {
	scenario: EventScenario;
	n: number;
	processes: number;
	inFlight: number;
	spreadMs: number;
	unloaded: EventRunCell;
	loaded?: EventRunCell;
	peakRssMb: Stat;
	extra: Record<string, Stat>;
	load1: number[];
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
		...(first.stepLatency
			? {
					step: {
						p50: pick((s) => s.stepLatency?.p50 ?? null),
						p95: pick((s) => s.stepLatency?.p95 ?? null),
						p99: pick((s) => s.stepLatency?.p99 ?? null),
					},
				}
			: {}),
		peakRssMb: pick((s) => s.peakRssMb),
		cpuMsPerStep: pick((s) => s.cpuMsPerStep),
		load1: group.flatMap((s) => s.load1),
		...(first.ops ? { ops: medianOps(group) } : {}),
		stepsPerProcess: first.steps / first.n,
	};
}

function medianOps(group: Tagged[]): OpsPerStep {
	const first = group[0]?.ops as OpsPerStep;
	const out = { ...first };
	for (const key of Object.keys(first) as (keyof OpsPerStep)[]) {
		out[key] = stat(group.map((s) => s.ops?.[key] ?? 0)).median;
	}
	return out;
}

function eventRunCell(runs: EventFigures[]): EventRunCell {
	const pick = (f: (r: EventFigures) => number | null) =>
		stat(runs.map(f).filter((v): v is number => v !== null && !Number.isNaN(v)));
	return {
		count: runs[0]?.count ?? 0,
		perSec: pick((r) => r.perSec),
		wallMs: pick((r) => r.wallMs),
		p50: pick((r) => r.latency.p50),
		p95: pick((r) => r.latency.p95),
		max: pick((r) => r.latency.max),
		samples: runs[0]?.latency.samples ?? 0,
	};
}

export function summariseEvents(samples: EventSample[]): Record<string, EventCell> {
	const groups = new Map<string, EventSample[]>();
	for (const s of samples) groups.set(s.id, [...(groups.get(s.id) ?? []), s]);
	const out: Record<string, EventCell> = {};
	for (const [id, group] of groups) {
		const first = group[0] as EventSample;
		const loaded = group.flatMap((s) => (s.loaded ? [s.loaded] : []));
		const extra: Record<string, Stat> = {};
		for (const key of Object.keys(first.extra)) {
			extra[key] = stat(group.map((s) => s.extra[key]).filter((v): v is number => v !== undefined));
		}
		out[id] = {
			scenario: first.scenario,
			n: first.n,
			processes: first.processes,
			inFlight: first.inFlight,
			spreadMs: first.spreadMs,
			unloaded: eventRunCell(group.map((s) => s.unloaded)),
			...(loaded.length > 0 ? { loaded: eventRunCell(loaded) } : {}),
			peakRssMb: stat(group.map((s) => s.peakRssMb)),
			extra,
			load1: group.flatMap((s) => s.load1),
		};
	}
	return out;
}

export function summarise(samples: Tagged[], events: EventSample[] = []): Summary {
	const groups = new Map<string, Tagged[]>();
	for (const s of samples) {
		const key = `${s.kind}|${s.kind === "growth" ? s.n : s.workload}|${s.engine}`;
		groups.set(key, [...(groups.get(key) ?? []), s]);
	}
	const summary: Summary = {
		throughput: {},
		unloaded: {},
		growth: {},
		events: summariseEvents(events),
	};
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
const stepLat = (c: Cell | undefined) =>
	c?.step
		? `${fmt(c.step.p50.median)} / ${fmt(c.step.p95.median)} / ${fmt(c.step.p99.median)}`
		: "–";

/** What each column of the latency table measures (docs/performance.md repeats it). */
export const LATENCY_LEGEND =
	"*Baton, queued, commit → job in hand*: from the next task's creation (`created_at`, the commit of the completion that created it) to the moment the queue consumer has its job in hand and runs it, that is when the answer carrying the job reaches the consumer: its predecessor's CompleteTask answer (`next`) when the completion claimed it (T14), else the ClaimTask answer (`run: true`) of its queue message; timed in the bench worker's wrapper of the ProcessObject stubs (scripts/bench/worker/meter.ts), in the isolate and on the clock the object stamps its commits with. *Baton, inline*: the task's creation to its start, both in the same step of the object, where it runs, so ~0 (from the index rows, checked against the first processes' histories). *Engine core, bpmn-engine*: the next task's creation to its start, in-process. *Cloudflare Workflows*: a step's `step.do` callback start minus the latest end of its predecessors' callbacks, which includes persisting the predecessor's result; its Baton counterpart is the column beside it, *completion sent → job in hand*: from the moment the consumer sends the completion that created the task (the predecessor's code has returned) to the moment the task's job is in its hands, which includes the completion's commit. The first Baton column starts at that commit, later, so it is not comparable with Workflows'.";

const TITLES: Record<WorkloadKey, string> = {
	conference: "conference (14 tasks: 2 starts, AND joins, 3 channels, OR join, loop ×2)",
	fanout20: "fan-out/fan-in of 20 (22 tasks)",
	chain50: "chain of 50 tasks",
};

export interface Meta {
	command: string;
	startedAt: string;
	machine: string;
	node: string;
	workerd: string;
	reps: number;
	inFlight: number;
	openFiles?: string;
}

export function renderTables(meta: Meta, summary: Summary): string {
	const out: string[] = [
		`\`${meta.command}\` — ${meta.startedAt.slice(0, 16).replace("T", " ")} UTC, ${meta.machine}, Node ${meta.node}, workerd ${meta.workerd}; median (min–max) of ${meta.reps} interleaved repetitions; 1-minute load average during the samples in the last column${meta.openFiles ? `; open files allowed: ${meta.openFiles}` : ""}.`,
	];
	const speed = [summary.throughput, summary.unloaded, summary.growth].some(
		(table) => Object.keys(table).length > 0,
	);
	if (speed) renderSpeed(out, meta, summary);
	if (Object.values(summary.throughput).some((by) => by?.baton?.ops || by?.inline?.ops))
		renderCost(out, summary);
	// Summaries written before the events existed have none.
	if (Object.keys(summary.events ?? {}).length > 0) renderEvents(out, summary.events);
	return `${out.join("\n")}\n`;
}

function renderSpeed(out: string[], meta: Meta, summary: Summary): void {
	out.push(
		"",
		`**Steps/s** (a step = one task completed and routed), ${meta.inFlight} processes in flight, started through \`startProcess\` as the API does. Baton e2e runs on Miniflare (one workerd: D1, SQLite Durable Objects, Queues, on disk); every step is committed durably (state, history, outbox) before the next one runs. *Queued*: every task is a job sent through the queue, claimed and completed by the consumer (a queue hop and two commands per task; the commands of a consumer batch's tasks for one process share a round trip). *Inline*: the same workflows with every node marked \`inline\` (T9), so their pure tasks run inside the ProcessObject's steps with no queue hop. Core: Baton's engine alone in Node, a claim and a completion per task. Peer: bpmn-engine 25.0.1 in memory in Node. Cloudflare Workflows: the same workloads as \`WorkflowEntrypoint\`s (a \`step.do\` per task, \`Promise.all\` for parallel branches) on the same local workerd, each instance's end pushed to the driver (no status polling); its latency is a step's start minus its predecessors' latest end.`,
		"",
		"| workload | Baton e2e, queued | Baton e2e, inline | engine core | bpmn-engine | Cloudflare Workflows | **queued / peer** | **inline / peer** | **core / peer** | **queued / Workflows** | **inline / Workflows** | CPU ms/step queued / inline / Workflows | load |",
		"|---|---|---|---|---|---|---|---|---|---|---|---|---|",
	);
	for (const [w, by] of Object.entries(summary.throughput) as [WorkloadKey, ByEngine][]) {
		const loads = [
			...(by.baton?.load1 ?? []),
			...(by.inline?.load1 ?? []),
			...(by.peer?.load1 ?? []),
			...(by.workflows?.load1 ?? []),
		];
		out.push(
			`| ${TITLES[w]} | ${spread(by.baton?.stepsPerSec)} | ${spread(by.inline?.stepsPerSec)} | ${spread(by.core?.stepsPerSec)} | ${spread(by.peer?.stepsPerSec)} | ${spread(by.workflows?.stepsPerSec)} | ${ratio(by.baton?.stepsPerSec, by.peer?.stepsPerSec)} | ${ratio(by.inline?.stepsPerSec, by.peer?.stepsPerSec)} | ${ratio(by.core?.stepsPerSec, by.peer?.stepsPerSec)} | ${ratio(by.baton?.stepsPerSec, by.workflows?.stepsPerSec)} | ${ratio(by.inline?.stepsPerSec, by.workflows?.stepsPerSec)} | ${fmt(by.baton?.cpuMsPerStep.median)} / ${fmt(by.inline?.cpuMsPerStep.median)} / ${fmt(by.workflows?.cpuMsPerStep.median)} | ${loads.length ? `${fmt(Math.min(...loads))}–${fmt(Math.max(...loads))}` : "–"} |`,
		);
	}
	out.push(
		"",
		"**Processes/s** of the same runs (N processes per sample):",
		"",
		"| workload | Baton e2e, queued | Baton e2e, inline | engine core | bpmn-engine | Cloudflare Workflows |",
		"|---|---|---|---|---|---|",
	);
	for (const [w, by] of Object.entries(summary.throughput) as [WorkloadKey, ByEngine][]) {
		const n = (c: Cell | undefined) => (c ? ` (N=${c.n})` : "");
		out.push(
			`| ${w} | ${spread(by.baton?.processesPerSec)}${n(by.baton)} | ${spread(by.inline?.processesPerSec)}${n(by.inline)} | ${spread(by.core?.processesPerSec)}${n(by.core)} | ${spread(by.peer?.processesPerSec)}${n(by.peer)} | ${spread(by.workflows?.processesPerSec)}${n(by.workflows)} |`,
		);
	}
	out.push(
		"",
		`**Latency from a task's completion to the next task running**, ms, p50 / p95 / p99 (medians over repetitions). ${LATENCY_LEGEND} Loaded = the throughput runs above; unloaded = one process at a time.`,
		"",
		"| scenario | Baton e2e, queued: commit → job in hand | Baton e2e, inline: commit → started | engine core | bpmn-engine | Baton e2e, queued: completion sent → job in hand (as Workflows) | Cloudflare Workflows: step end → next step start |",
		"|---|---|---|---|---|---|---|",
	);
	for (const [w, by] of Object.entries(summary.unloaded) as [WorkloadKey, ByEngine][]) {
		out.push(
			`| ${w}, unloaded (1 in flight) | ${lat(by.baton)} | ${lat(by.inline)} | ${lat(by.core)} | ${lat(by.peer)} | ${stepLat(by.baton)} | ${lat(by.workflows)} |`,
		);
	}
	for (const [w, by] of Object.entries(summary.throughput) as [WorkloadKey, ByEngine][]) {
		out.push(
			`| ${w}, loaded (${by.baton?.inFlight ?? meta.inFlight} in flight) | ${lat(by.baton)} | ${lat(by.inline)} | ${lat(by.core)} | ${lat(by.peer)} | ${stepLat(by.baton)} | ${lat(by.workflows)} |`,
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
}

const count = (n: number) => n.toLocaleString("en-US");
const loadRange = (loads: number[]) =>
	loads.length ? `${fmt(Math.min(...loads))}–${fmt(Math.max(...loads))}` : "–";
const latencies = (r: EventRunCell | undefined) =>
	r ? `${fmt(r.p50.median)} / ${fmt(r.p95.median)} / ${fmt(r.max.median)}` : "–";

function timersTitle(c: EventCell): string {
	const when = c.spreadMs > 0 ? `due over ${fmt(c.spreadMs / 1000)} s` : "all due at once";
	return c.scenario === "timers-across"
		? `${count(c.processes)} processes × ${count(c.n)} timers, ${when}`
		: `${count(c.n)} timers in one process, ${when}`;
}

const MESSAGE_TITLES: Partial<Record<EventScenario, string>> = {
	"message-publish":
		"(a) published (`publishMessage`, as `POST /api/v1/messages`) → the waiting task's success; a key per process",
	"message-one-key": "(a′) the same, every task waiting on one name and key (one MessageBox)",
	"message-send": "(b) a `send` task in one process → the waiting task in another",
	"message-kept": "(c) kept: published first, then a task begins to wait for it",
};

/** "Time and events": timers fired by the ProcessObject's alarm, and messages delivered. */
function renderEvents(out: string[], events: Record<string, EventCell>): void {
	const cells = Object.values(events);
	const timers = cells.filter((c) => c.scenario.startsWith("timers-"));
	const messages = cells.filter((c) => c.scenario.startsWith("message-"));
	out.push(
		"",
		"**Time and events** (Baton end to end, on the same local workerd, a fresh one per sample).",
	);
	if (timers.length > 0) {
		out.push(
			"",
			"*Timers* fired by the ProcessObject's own alarm (W1: one alarm per process; each time it fires, one step fires every timer due). A timer is a `wait` instance of multi-instance nodes (at most 1,000 instances per node, so 10,000 timers are ten nodes); the process ends in the step that fires its last timer. *First due → last fired*: one process, until its live stream (the process page's server-sent events, written right after the commit) reports the end, so the last step's own work is counted; many processes, until the last process's firing step (its step time; their streams' reports reach the driver in one burst later, `lastSeenMs` in the JSON). *Lateness*: one process, each timer's firing step minus its due time; many processes, each process's firing step minus the due time. *Firing steps*: the alarms that fired timers.",
			"",
			"| timers | first due → last fired, ms | **timers/s** | firing steps | lateness p50 / p95 / max, ms | peak MB | load |",
			"|---|---|---|---|---|---|---|",
		);
		for (const c of timers) {
			out.push(
				`| ${timersTitle(c)} | ${spread(c.unloaded.wallMs)} | ${spread(c.unloaded.perSec)} | ${fmt(c.extra.firingSteps?.median)} | ${latencies(c.unloaded)} | ${fmt(c.peakRssMb.median)} | ${loadRange(c.load1)} |`,
			);
		}
	}
	if (messages.length > 0) {
		const inFlight = messages[0]?.inFlight ?? 0;
		const n = messages[0]?.unloaded.count ?? 0;
		out.push(
			"",
			`*Messages* (N1, N2) through a MessageBox Durable Object per name and correlation key, ${count(n)} messages one at a time, then ${count(n)} more with ${inFlight} in flight, each to its own waiting process. Latency, ms: (a) the publish call → its answer, which the box gives once the waiting process has committed the delivery; (b) the sender's step that ran the \`send\` task (the outbox publishes after its commit) → the receiver's step that took the message; (c) the step that made the task wait (the outbox subscribes after its commit) → the step that took the kept message; (b) and (c) are the processes' own step times from their histories, so the receiving step's commit (about a millisecond for these small processes) is not in them. Messages/s: the messages of a run over its wall time; in (b) each message is a new sender process, in (c) a new waiting process, whose starts are in that time.`,
			"",
			`| path | one at a time: p50 / p95 / max | msgs/s | ${inFlight} in flight: p50 / p95 / max | **msgs/s** | peak MB | load |`,
			"|---|---|---|---|---|---|---|",
		);
		for (const c of messages) {
			out.push(
				`| ${MESSAGE_TITLES[c.scenario] ?? c.scenario} | ${latencies(c.unloaded)} | ${spread(c.unloaded.perSec)} | ${latencies(c.loaded)} | ${spread(c.loaded?.perSec)} | ${fmt(c.peakRssMb.median)} | ${loadRange(c.load1)} |`,
			);
		}
	}
}

/** $ with enough digits to read a small figure: $0.0123, $1.23, $123. */
function usd(v: number | undefined): string {
	if (v === undefined || Number.isNaN(v)) return "–";
	const a = Math.abs(v);
	const digits = a >= 100 ? 0 : a >= 1 ? 2 : a >= 0.01 ? 3 : 4;
	return `$${v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 })}`;
}

const opsCell = (o: OpsPerStep | undefined, key: keyof OpsPerStep) => (o ? fmt(o[key]) : "–");

/**
 * "Cost": the billed operations counted per step (worker/meter.ts) and what they cost at the list
 * prices of prices.ts, per million steps and per thousand processes, queued and inline, beside
 * Cloudflare Workflows (its own counted invocations and CPU) and Temporal Cloud (its published
 * actions per workflow and activity).
 */
function renderCost(out: string[], summary: Summary): void {
	const rows = Object.entries(summary.throughput) as [WorkloadKey, ByEngine][];
	out.push(
		"",
		"**Billed operations per step**, counted in the bench worker (scripts/bench/worker/meter.ts), queued / inline. Worker requests: process starts (an API request each) and queue batches. DO requests: RPC calls and fetches on Durable Object stubs, and alarms. DO GB-s: wall-clock time each object has a request in progress × 128 MB. Rows: SQLite rows read/written in the objects and in D1, as the platform reports them. Queue ops: a write, a read and a delete per message (per 64 KB). CPU: the whole workerd process (it also runs local D1, the queue broker and Miniflare's plumbing, so it is an upper bound of the billed CPU).",
		"",
		"| workload | Worker req | CPU ms | DO req | DO GB-s | DO rows read | DO rows written | D1 rows read | D1 rows written | queue ops |",
		"|---|---|---|---|---|---|---|---|---|---|",
	);
	for (const [w, by] of rows) {
		const q = by.baton?.ops;
		const i = by.inline?.ops;
		const pair = (key: keyof OpsPerStep) => `${opsCell(q, key)} / ${opsCell(i, key)}`;
		out.push(
			`| ${w} | ${pair("workerRequests")} | ${pair("workerCpuMs")} | ${pair("doRequests")} | ${pair("doGbS")} | ${pair("doRowsRead")} | ${pair("doRowsWritten")} | ${pair("d1RowsRead")} | ${pair("d1RowsWritten")} | ${pair("queueOps")} |`,
		);
	}
	out.push(
		"",
		`**$ per million steps** (and per thousand processes) at list prices beyond the included usage (prices: scripts/bench/prices.ts, read ${PRICES.doRequest.read}; table and sources in docs/performance.md). Workflows: its counted invocations (one per instance) and the CPU of its workerd run, storage left out. Temporal Cloud: ${fmt(PRICES.temporalAction.usd * 1e6)} $ per million actions × (1 workflow start + 1 activity per task), its workers' own compute left out.`,
		"",
		"| workload | Baton queued | Baton inline | Cloudflare Workflows | Temporal Cloud | queued: largest lines |",
		"|---|---|---|---|---|---|",
	);
	for (const [w, by] of rows) {
		const steps = by.baton?.stepsPerProcess ?? by.inline?.stepsPerProcess ?? 1;
		const both = (perStep: number | undefined) =>
			perStep === undefined ? "–" : `${usd(perStep * 1e6)} (${usd(perStep * steps * 1000)})`;
		const q = by.baton?.ops ? sum(costPerStep(by.baton.ops)) : undefined;
		const i = by.inline?.ops ? sum(costPerStep(by.inline.ops)) : undefined;
		const wf = by.workflows
			? workflowsCostPerStep(
					by.workflows.stepsPerProcess ?? steps,
					by.workflows.cpuMsPerStep.median,
				)
			: undefined;
		const lines = by.baton?.ops
			? Object.entries(costPerStep(by.baton.ops))
					.sort((a, b) => b[1] - a[1])
					.slice(0, 3)
					.map(([k, v]) => `${k} ${usd(v * 1e6)}`)
					.join(", ")
			: "–";
		out.push(
			`| ${w} (${fmt(steps)} steps; Temporal ${temporalActionsPerProcess(steps)} actions) | ${both(q)} | ${both(i)} | ${both(wf)} | ${both(temporalCostPerStep(steps))} | ${lines} |`,
		);
	}
}
