// `npm run bench [-- options]`: runs, in one run and interleaved, Baton end to end (Miniflare:
// workerd with local D1, Durable Objects and Queues, driven from inside the worker), Baton's engine
// core alone in Node, and the peer bpmn-engine in Node, on the same workloads; every sample is a
// fresh process (a fresh workerd for Baton). Prints the table with the ratios Baton / peer, writes
// the raw samples to bench-results/raw/, the summary (JSON + Markdown) and a chart (SVG) to
// bench-results/.
//
//   --reps 3            repetitions; each repetition runs every scenario once, engines in rotated order
//   --quick             one repetition, small N, no 5,000- or 10,000-process growth points (for
//                       trying the tooling)
//   --growth 100,1000,5000,10000   process counts of the growth scenario (conference); the points
//                       from 5,000 on run once, in the last repetition
//   --engines baton,inline,core,peer   --workloads conference,fanout20,chain50
//                       (baton: every task a queued job; inline: the same workflows with every node
//                       marked inline, run inside the ProcessObject's steps)
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { bundleWorker } from "./bundle.ts";
import type { EngineKey, Sample } from "./common.ts";
import { renderTables, summarise } from "./report.ts";
import { renderChart } from "./report-chart.ts";
import { WORKLOAD_KEYS, type WorkloadKey } from "./workloads.ts";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
const quick = flag("quick");
const reps = Number(option("reps", quick ? "1" : "3"));
const engines = option("engines", "baton,inline,core,peer").split(",") as EngineKey[];
const workloads = option("workloads", WORKLOAD_KEYS.join(",")).split(",") as WorkloadKey[];
const growth = option("growth", quick ? "100,1000" : "100,1000,5000,10000")
	.split(",")
	.map(Number);
const root = new URL("../../", import.meta.url).pathname;
const rawDir = `${root}bench-results/raw`;
mkdirSync(rawDir, { recursive: true });

export interface Scenario {
	kind: "throughput" | "unloaded" | "growth";
	workload: WorkloadKey;
	/** Processes per engine. */
	n: Record<EngineKey, number>;
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
				? { baton: 60, inline: 300, core: 1000, peer: 60 }
				: {
						baton: 300,
						inline: 1000,
						core: workload === "conference" ? 3000 : 5000,
						peer: 300,
					},
			inFlight: IN_FLIGHT,
		});
	}
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

function runOne(engine: EngineKey, s: Scenario, bundle: string): Promise<Sample> {
	const script = `${root}scripts/bench/${engine === "inline" ? "baton" : engine}.ts`;
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
		...(engine === "baton" || engine === "inline" ? ["--bundle", bundle] : []),
		...(engine === "inline" ? ["--inline"] : []),
		...(s.kind === "unloaded" && (engine === "core" || engine === "peer")
			? ["--warm-up", "100"]
			: []),
	];
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
			const line = out.split("\n").find((l) => l.startsWith("SAMPLE "));
			if (code === 0 && line) resolve(JSON.parse(line.slice(7)) as Sample);
			else
				reject(new Error(`${engine} ${s.kind} ${s.workload} exited ${code}: ${err.slice(-2000)}`));
		});
	});
}

// `--from <raw.json>`: render the summary, tables and chart of an earlier run again, and stop.
const from = option("from", "");
if (from) {
	const raw = JSON.parse(readFileSync(from, "utf8")) as {
		meta: Parameters<typeof renderTables>[0];
		samples: Parameters<typeof summarise>[0];
		failures?: string[];
	};
	const summary = summarise(raw.samples);
	const failures = (raw.failures ?? []).map((f) => f.split("\nstack:")[0] ?? f);
	writeFileSync(
		`${root}bench-results/summary.json`,
		`${JSON.stringify({ meta: raw.meta, summary, failures }, null, 1)}\n`,
	);
	const tables = `${renderTables(raw.meta, summary)}${failures.length ? `\nFailed samples (left out):\n${failures.map((f) => `- ${f}`).join("\n")}\n` : ""}`;
	writeFileSync(`${root}bench-results/summary.md`, tables);
	writeFileSync(`${root}bench-results/chart.svg`, renderChart(summary));
	console.log(tables);
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
const samples: (Sample & { kind: Scenario["kind"]; rep: number })[] = [];
const failures: string[] = [];
const rawFile = `${rawDir}/${started.toISOString().replace(/[:.]/g, "-")}.json`;
const list = scenarios();
for (let rep = 1; rep <= reps; rep++) {
	for (const s of list) {
		if (s.onlyRep !== undefined && s.onlyRep !== rep) continue;
		// Rotate the engines' order from one repetition to the next.
		const order = engines.map((_, i) => engines[(i + rep - 1) % engines.length] as EngineKey);
		for (const engine of order) {
			const t = Date.now();
			let sample: Sample;
			try {
				sample = await runOne(engine, s, bundle);
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
			writeFileSync(rawFile, JSON.stringify({ samples, failures }, null, 1));
			const rate = Math.round(sample.stepsPerSec).toString().padStart(7);
			console.log(
				`rep ${rep} ${s.kind.padEnd(10)} ${s.workload.padEnd(10)} ${engine.padEnd(6)} n=${String(sample.n).padEnd(5)} ${rate} steps/s  p95 ${sample.latency.p95} ms  ${sample.peakRssMb} MB  load ${sample.load1.join("→")}  (${((Date.now() - t) / 1000).toFixed(0)} s)`,
			);
		}
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
writeFileSync(rawFile, JSON.stringify({ meta, samples, failures }, null, 1));
const summary = summarise(samples);
writeFileSync(
	`${root}bench-results/summary.json`,
	`${JSON.stringify({ meta, summary, failures }, null, 1)}\n`,
);
const tables = `${renderTables(meta, summary)}${failures.length ? `\nFailed samples (left out):\n${failures.map((f) => `- ${f}`).join("\n")}\n` : ""}`;
writeFileSync(`${root}bench-results/summary.md`, tables);
writeFileSync(`${root}bench-results/chart.svg`, renderChart(summary));
console.log(`\n${tables}`);
console.log(
	`raw: ${rawFile.slice(root.length)}; summary: bench-results/summary.{json,md}; chart: bench-results/chart.svg`,
);
