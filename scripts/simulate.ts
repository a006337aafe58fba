// Runs a workflow definition in plain Node with scripted outcomes and prints the trace.
//   npm run simulate -- <workflow.json> [--script <outcomes.json>] [--params '<json>']
// The script maps node keys to one entry per pass (the last repeats): a result, { "fail": "msg" },
// { "fail": "msg", "times": 1 }, or the values a person submits. Unscripted jobs return null (the
// pure built-ins dummy, add and question compute theirs); unscripted forms get plausible values.
import { pathToFileURL } from "node:url";
import { compileWorkflow, type ProcessState, simulate } from "../src/engine/index.ts";
import { defaultRegistry } from "../src/tasks/registry.ts";
import { pureJobRunner } from "../src/tasks/simulation-jobs.ts";
import { formatProblem, readJson } from "./validate.ts";

const USAGE =
	"usage: npm run simulate -- <workflow.json> [--script <outcomes.json>] [--params '<json>']";

function fail(message: string): number {
	process.stderr.write(`${message}\n`);
	return 1;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A readable trace: one line per task in creation order, then the process outcome. */
export function formatTrace(state: ProcessState, commands: number): string[] {
	const width = Math.max(4, ...state.tasks.map((t) => t.node.length));
	const lines = [
		`${"#".padStart(3)}  ${"task".padEnd(6)} ${"node".padEnd(width)}  ${"status".padEnd(8)} result`,
	];
	state.tasks.forEach((task, i) => {
		const id = task.id.slice(state.id.length + 1);
		const detail =
			task.status === "SUCCESS"
				? JSON.stringify(task.result ?? null)
				: task.error
					? `error: ${task.error.message}`
					: "";
		const attempts = task.attempt > 1 ? ` (attempt ${task.attempt})` : "";
		lines.push(
			`${String(i + 1).padStart(3)}  ${id.padEnd(6)} ${task.node.padEnd(width)}  ${task.status.padEnd(8)} ${truncate(detail)}${attempts}`,
		);
	});
	lines.push(
		`process ${state.status} after ${commands} commands; results: ${truncate(JSON.stringify(state.results))}`,
	);
	return lines;
}

function truncate(text: string, max = 80): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function main(args: string[]): number {
	const file = args.find(
		(a, i) => !a.startsWith("--") && !["--script", "--params"].includes(args[i - 1] ?? ""),
	);
	if (!file) return fail(USAGE);
	const scriptAt = args.indexOf("--script");
	const paramsAt = args.indexOf("--params");
	const read = readJson(file);
	if (!read.ok) return fail(read.error);
	let script: Record<string, unknown> = {};
	if (scriptAt >= 0) {
		const path = args[scriptAt + 1];
		if (!path) return fail(USAGE);
		const s = readJson(path);
		if (!s.ok) return fail(s.error);
		if (!isRecord(s.value)) return fail(`${path}: the script must be an object of node keys`);
		script = s.value;
	}
	let params: Record<string, unknown> = {};
	if (paramsAt >= 0) {
		try {
			const parsed: unknown = JSON.parse(args[paramsAt + 1] ?? "");
			if (!isRecord(parsed)) return fail("--params must be a JSON object");
			params = parsed;
		} catch {
			return fail("--params must be a JSON object");
		}
	}
	const compiled = compileWorkflow(read.value, defaultRegistry);
	if (!compiled.ok) {
		for (const p of [...compiled.problems, ...compiled.warnings]) {
			process.stderr.write(`${formatProblem(file, p)}\n`);
		}
		return 1;
	}
	for (const w of compiled.warnings) process.stderr.write(`${formatProblem(file, w)}\n`);
	const wf = compiled.workflow;
	const unknown = Object.keys(script).filter((k) => !wf.nodes.has(k));
	if (unknown.length > 0)
		return fail(`script: no node ${unknown.map((k) => `"${k}"`).join(", ")} in ${wf.key}`);
	const result = simulate(wf, {
		script,
		params,
		processId: "sim",
		runJob: pureJobRunner(defaultRegistry),
	});
	process.stdout.write(`${wf.definition.name} (${wf.key} v${wf.version})\n`);
	for (const line of formatTrace(result.state, result.commands)) process.stdout.write(`${line}\n`);
	for (const e of result.errors)
		process.stdout.write(`refused ${e.command.type}: ${e.code} ${e.message}\n`);
	return result.state.status === "SUCCESS" ? 0 : 3;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	process.exitCode = main(process.argv.slice(2));
}
