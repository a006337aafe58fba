// `npm run bench [-- options]`: runs, in one run and interleaved, Baton end to end (Miniflare:
// workerd with local D1, Durable Objects and Queues, driven from inside the worker), Baton's engine
// core alone in Node, and the peer bpmn-engine in Node, on the same workloads; then, for Baton end
// to end alone, "Time and events": timers fired by the ProcessObject's alarm and messages from
// publish to delivery. Every sample is a fresh process (a fresh workerd for Baton). Prints the
// table with the ratios Baton / peer and the table of time and events, writes
// the raw samples to bench-results/raw/, the summary (JSON + Markdown) and a chart (SVG) to
// bench-results/ (a run of time and events alone: bench-results/events.{json,md}).
//
//   --reps 3            repetitions; each repetition runs every scenario once, engines in rotated order
//   --quick             one repetition, small N, no 5,000- or 10,000-process growth points, no
//                       10,000-timer process, 50 messages per run (for trying the tooling)
//   --completion latch|push|poll   how the in-worker driver of Baton learns a process ended: from
//                       the object that ran it, in the isolate, as the Workflows driver learns it
//                       from its latch (latch, default); its live stream (push); or a D1 read of
//                       the ones in flight every 10 ms (poll)
//   --growth 100,1000,5000,10000   process counts of the growth scenario (conference); the points
//                       from 5,000 on run once, in the last repetition
//   --engines baton,inline,core,peer,workflows   --workloads conference,fanout20,chain50,timers,timers-across,messages
//                       (baton: every task a queued job; inline: the same workflows with every node
//                       marked inline, run inside the ProcessObject's steps; workflows: the same
//                       workloads on Cloudflare Workflows in the same local workerd, throughput
//                       only). The last three are the
//                       "Time and events" scenarios (events.ts), Baton end to end only: they run
//                       when the engines include baton. Naming only them skips the speed runs,
//                       the unloaded latency and the growth.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { bundleWorker } from "./bundle.ts";
import type { EngineKey, EventSample, Sample } from "./common.ts";
import type { EventScenario } from "./protocol.ts";
import { renderTables, summarise } from "./report.ts";
import { renderChart } from "./report-chart.ts";
import { WORKLOAD_KEYS, type WorkloadKey } from "./workloads.ts";

/** The families of "Time and events" scenarios, selected with `--workloads` like the workloads. */
const EVENT_FAMILIES = ["timers", "timers-across", "messages"] as const;
type EventFamily = (typeof EVENT_FAMILIES)[number];

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
const quick = flag("quick");
/** How the Baton driver learns a process ended: push (its live stream) or poll (D1, as before). */
const completion = option("completion", "latch");
const reps = Number(option("reps", quick ? "1" : "3"));
const engines = option("engines", "baton,inline,core,peer,workflows").split(",") as EngineKey[];
const selected = option("workloads", [...WORKLOAD_KEYS, ...EVENT_FAMILIES].join(",")).split(",");
for (const key of selected) {
	if (
		!(WORKLOAD_KEYS as string[]).includes(key) &&
		!(EVENT_FAMILIES as readonly string[]).includes(key)
	)
		throw new Error(`unknown workload "${key}"`);
}
const workloads = selected.filter((k): k is WorkloadKey => (WORKLOAD_KEYS as string[]).includes(k));
const families = engines.includes("baton")
	? selected.filter((k): k is EventFamily => (EVENT_FAMILIES as readonly string[]).includes(k))
	: [];
const growth = option("growth", quick ? "100,1000" : "100,1000,5000,10000")
	.split(",")
	.map(Number);
const root = new URL("../../", import.meta.url).pathname;
const rawDir = `${root}bench-results/raw`;
mkdirSync(rawDir, { recursive: true });

export interface Scenario {
	kind: "throughput" | "unloaded" | "growth";
	workload: WorkloadKey;
	/** Processes per engine; an engine left out does not run the scenario. */
	n: Partial<Record<EngineKey, number>>;
	inFlight: number;
	/** Only in these repetitions (1-based); all when absent. */
	onlyRep?: number;
}

/** Processes started and not finished, at most, in the throughput and growth runs. */
const IN_FLIGHT = 20;

function scenarios(): Scenario[] {
	const list: Scenario[] = [];
	for (const workload of workloads) {
		list.push({
			kind: "throughput",
			workload,
			n: quick
				? { baton: 60, inline: 300, core: 1000, peer: 60, workflows: 60 }
				: {
						baton: 300,
						inline: 1000,
						core: workload === "conference" ? 3000 : 5000,
						peer: 300,
						workflows: 300,
					},
			inFlight: IN_FLIGHT,
		});
	}
	// Only event families named: no speed runs at all.
	if (workloads.length === 0) return list;
	list.push({
		kind: "unloaded",
		workload: "conference",
		n: { baton: quick ? 10 : 30, inline: quick ? 10 : 30, core: 300, peer: quick ? 10 : 30 },
		inFlight: 1,
	});
	for (const n of growth) {
		list.push({
			kind: "growth",
			workload: "conference",
			n: { baton: n, inline: n, core: n, peer: n },
			inFlight: IN_FLIGHT,
			...(n >= 5000 ? { onlyRep: reps } : {}),
		});
	}
	return list;
}

/** A "Time and events" scenario: the arguments of one events.ts sample. */
interface EventSpec {
	id: string;
	scenario: EventScenario;
	n: number;
	processes?: number;
	spreadMs?: number;
}

/** Messages per run (one at a time, then IN_FLIGHT at a time) in each message scenario. */
const MESSAGES = quick ? 50 : 200;

function eventScenarios(): EventSpec[] {
	const list: EventSpec[] = [];
	if (families.includes("timers")) {
		list.push(
			{ id: "timers-1000", scenario: "timers-one", n: 1000 },
			{ id: "timers-1000-over-1s", scenario: "timers-one", n: 1000, spreadMs: 1000 },
		);
		// Ten multi-instance nodes in one process; left out of --quick like the largest growth points.
		if (!quick) {
			list.push(
				{ id: "timers-10000", scenario: "timers-one", n: 10_000 },
				{ id: "timers-10000-over-2s", scenario: "timers-one", n: 10_000, spreadMs: 2000 },
			);
		}
	}
	if (families.includes("timers-across")) {
		const processes = quick ? 50 : 200;
		list.push({ id: `timers-${processes}x5`, scenario: "timers-across", n: 5, processes });
	}
	if (families.includes("messages")) {
		for (const scenario of [
			"message-publish",
			"message-one-key",
			"message-send",
			"message-kept",
		] as const) {
			list.push({ id: scenario, scenario, n: MESSAGES });
		}
	}
	return list;
}

/** Runs a child script and parses its one `<prefix> <json>` line. */
function runChild<T>(argv: string[], prefix: string, what: string): Promise<T> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"] });
		let out = "";
		let err = "";
		child.stdout.on("data", (d: Buffer) => {
			out += d.toString();
		});
		child.stderr.on("data", (d: Buffer) => {
			err += d.toString();
		});
		child.on("close", (code) => {
			const line = out.split("\n").find((l) => l.startsWith(`${prefix} `));
			if (code === 0 && line) resolve(JSON.parse(line.slice(prefix.length + 1)) as T);
			else reject(new Error(`${what} exited ${code}: ${err.slice(-2000)}`));
		});
	});
}

function runEvent(e: EventSpec, bundle: string): Promise<EventSample> {
	return runChild<EventSample>(
		[
			"--experimental-strip-types",
			"--no-warnings",
			`${root}scripts/bench/events.ts`,
			"--bundle",
			bundle,
			"--id",
			e.id,
			"--scenario",
			e.scenario,
			"--n",
			String(e.n),
			"--processes",
			String(e.processes ?? 1),
			"--spread",
			String(e.spreadMs ?? 0),
			"--in-flight",
			String(IN_FLIGHT),
		],
		"EVENT",
		`events ${e.id}`,
	);
}

function runOne(
	engine: EngineKey,
	s: Scenario,
	speedBundle: string,
	bundle: string,
): Promise<Sample> {
	const script = `${root}scripts/bench/${engine === "inline" ? "baton" : engine}.ts`;
	if (engine === "workflows") {
		return runChild<Sample>(
			[
				"--experimental-strip-types",
				"--no-warnings",
				script,
				"--workload",
				s.workload,
				"--n",
				String(s.n.workflows),
				"--in-flight",
				String(s.inFlight),
				"--bundle",
				workflowsBundle,
			],
			"SAMPLE",
			`workflows ${s.kind} ${s.workload}`,
		);
	}
	const argv = [
		"--experimental-strip-types",
		"--no-warnings",
		script,
		"--workload",
		s.workload,
		"--n",
		String(s.n[engine]),
		"--in-flight",
		String(s.inFlight),
		...(engine === "baton" || engine === "inline"
			? ["--bundle", speedBundle, "--meter-bundle", bundle]
			: []),
		...(engine === "inline" ? ["--inline"] : []),
		...(engine === "baton" || engine === "inline" ? ["--completion", completion] : []),
		...(s.kind === "unloaded" && (engine === "core" || engine === "peer")
			? ["--warm-up", "100"]
			: []),
	];
	return runChild<Sample>(argv, "SAMPLE", `${engine} ${s.kind} ${s.workload}`);
}

/**
 * Writes the summary (JSON + Markdown) and the chart, and returns the tables. A run of the time
 * and events scenarios alone writes `bench-results/events.{json,md}` instead and no chart, so it
 * leaves the last full run's speed figures in place.
 */
function writeSummary(
	meta: Parameters<typeof renderTables>[0],
	speed: Parameters<typeof summarise>[0],
	eventSamples: EventSample[],
	rawFailures: string[],
): { tables: string; written: string } {
	const summary = summarise(speed, eventSamples);
	// workerd's own stack trace says nothing to a reader of the report.
	const failures = rawFailures.map((f) => f.split("\nstack:")[0] ?? f);
	const name = speed.length === 0 && eventSamples.length > 0 ? "events" : "summary";
	writeFileSync(
		`${root}bench-results/${name}.json`,
		`${JSON.stringify({ meta, summary, failures }, null, 1)}\n`,
	);
	const tables = `${renderTables(meta, summary)}${failures.length ? `\nFailed samples (left out):\n${failures.map((f) => `- ${f}`).join("\n")}\n` : ""}`;
	writeFileSync(`${root}bench-results/${name}.md`, tables);
	if (name === "summary") writeFileSync(`${root}bench-results/chart.svg`, renderChart(summary));
	return {
		tables,
		written: `bench-results/${name}.{json,md}${name === "summary" ? "; chart: bench-results/chart.svg" : ""}`,
	};
}

// `--from <raw.json>`: render the summary, tables and chart of an earlier run again, and stop.
const from = option("from", "");
if (from) {
	const raw = JSON.parse(readFileSync(from, "utf8")) as {
		meta: Parameters<typeof renderTables>[0];
		samples: Parameters<typeof summarise>[0];
		events?: EventSample[];
		failures?: string[];
	};
	console.log(writeSummary(raw.meta, raw.samples, raw.events ?? [], raw.failures ?? []).tables);
	process.exit(0);
}

/**
 * Every process of a run lives in one local workerd, and each keeps its SQLite database open until
 * workerd evicts it (after a while idle); 10,000 processes of inline tasks finish faster than that
 * and need more than 20,000 open files. Raise this process's limit (its children inherit it) as
 * far as allowed: with `prlimit` as root, else the soft limit up to the hard one.
 */
function raiseOpenFiles(): string {
	const pid = String(process.pid);
	const read = (column: "SOFT" | "HARD") => {
		const r = spawnSync("prlimit", ["--pid", pid, "--nofile", "--output", column, "--noheadings"], {
			encoding: "utf8",
		});
		return r.status === 0 ? r.stdout.trim() : "";
	};
	const set = (limits: string) =>
		spawnSync("prlimit", ["--pid", pid, `--nofile=${limits}`], { stdio: "ignore" }).status === 0;
	if (!set("1048576:1048576")) {
		const hard = read("HARD");
		if (hard) set(`${hard}:${hard}`);
	}
	return read("SOFT") || "unknown";
}
const openFiles = raiseOpenFiles();

const started = new Date();
console.log(
	`npm run bench ${args.join(" ")}\n${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load ${loadavg()
		.map((l) => l.toFixed(2))
		.join(" ")}\nbundling the bench worker…`,
);
const bundle = await bundleWorker(`${rawDir}/worker.js`);
// Speed is measured without the meter, as the peer runs; the operations are counted on `bundle`.
const speedBundle = await bundleWorker(`${rawDir}/worker-speed.js`, "entry.ts", { metered: false });
const workflowsBundle = await bundleWorker(`${rawDir}/workflows.js`, "workflows-entry.ts");
const samples: (Sample & { kind: Scenario["kind"]; rep: number })[] = [];
const events: (EventSample & { rep: number })[] = [];
const failures: string[] = [];
const rawFile = `${rawDir}/${started.toISOString().replace(/[:.]/g, "-")}.json`;
const list = scenarios();
const eventList = eventScenarios();
for (let rep = 1; rep <= reps; rep++) {
	for (const s of list) {
		if (s.onlyRep !== undefined && s.onlyRep !== rep) continue;
		// Rotate the engines' order from one repetition to the next.
		const order = engines.map((_, i) => engines[(i + rep - 1) % engines.length] as EngineKey);
		for (const engine of order) {
			if (s.n[engine] === undefined) continue;
			const t = Date.now();
			let sample: Sample;
			try {
				sample = await runOne(engine, s, speedBundle, bundle);
			} catch (e) {
				// One failed sample is reported and the run goes on.
				// workerd's own stack trace says nothing to a reader of the report.
				const reason = String(e).split("\nstack:")[0]?.slice(0, 600);
				failures.push(`rep ${rep} ${s.kind} ${s.workload} ${engine} n=${s.n[engine]}: ${reason}`);
				console.log(
					`rep ${rep} ${s.kind} ${s.workload} ${engine}: FAILED (${String(e).slice(0, 300)})`,
				);
				continue;
			}
			samples.push({ ...sample, kind: s.kind, rep });
			writeFileSync(rawFile, JSON.stringify({ samples, events, failures }, null, 1));
			const rate = Math.round(sample.stepsPerSec).toString().padStart(7);
			console.log(
				`rep ${rep} ${s.kind.padEnd(10)} ${s.workload.padEnd(10)} ${engine.padEnd(6)} n=${String(sample.n).padEnd(5)} ${rate} steps/s  p95 ${sample.latency.p95} ms${sample.stepLatency ? ` (sent → in hand ${sample.stepLatency.p95})` : ""}  ${sample.peakRssMb} MB  load ${sample.load1.join("→")}  (${((Date.now() - t) / 1000).toFixed(0)} s)`,
			);
		}
	}
	for (const e of eventList) {
		const t = Date.now();
		let sample: EventSample;
		try {
			sample = await runEvent(e, bundle);
		} catch (err) {
			const reason = String(err).split("\nstack:")[0]?.slice(0, 600);
			failures.push(`rep ${rep} events ${e.id}: ${reason}`);
			console.log(`rep ${rep} events     ${e.id}: FAILED (${String(err).slice(0, 300)})`);
			continue;
		}
		events.push({ ...sample, rep });
		writeFileSync(rawFile, JSON.stringify({ samples, events, failures }, null, 1));
		const u = sample.unloaded;
		const l = sample.loaded;
		const unit = e.scenario.startsWith("timers-") ? "timers/s" : "msgs/s";
		console.log(
			`rep ${rep} events     ${e.id.padEnd(21)} n=${String(u.count).padEnd(5)} ${String(Math.round(u.perSec)).padStart(6)} ${unit}  p50/p95/max ${u.latency.p50}/${u.latency.p95}/${u.latency.max} ms${l ? `; ${sample.inFlight} in flight ${Math.round(l.perSec)} ${unit}  p50/p95/max ${l.latency.p50}/${l.latency.p95}/${l.latency.max} ms` : ""}  ${sample.peakRssMb} MB  load ${sample.load1.join("→")}  (${((Date.now() - t) / 1000).toFixed(0)} s)`,
		);
	}
}

const meta = {
	command: `npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}`,
	startedAt: started.toISOString(),
	endedAt: new Date().toISOString(),
	machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}`,
	node: process.version,
	workerd: JSON.parse(
		readFileSync(`${root}node_modules/wrangler/node_modules/workerd/package.json`, "utf8"),
	).version as string,
	peer: "bpmn-engine 25.0.1",
	openFiles,
	reps,
	inFlight: IN_FLIGHT,
};
writeFileSync(rawFile, JSON.stringify({ meta, samples, events, failures }, null, 1));
const { tables, written } = writeSummary(meta, samples, events, failures);
console.log(`\n${tables}`);
console.log(`raw: ${rawFile.slice(root.length)}; summary: ${written}`);
