// Runs a workflow definition in plain Node with scripted outcomes and prints the trace, and, when
// the process is still running at the end, why it waits.
//   npm run simulate -- <workflow.json> [--script <outcomes.json>] [--params '<json>'] [--advance P2D]
// The script maps node keys to one entry per pass (the last repeats): a result, { "fail": "msg" },
// { "fail": "msg", "times": 1 }, the values a person submits, a message's payload, or
// { "never": true }. Unscripted jobs return null (the pure built-ins dummy, add and question compute
// theirs); unscripted forms get plausible values. --advance bounds the virtual clock timers run on.
import { pathToFileURL } from "node:url";
import {
	compileWorkflow,
	formatSpan,
	type ProcessState,
	parseDuration,
	type SimulationResult,
	simulate,
	type TaskState,
	type WaitingReason,
	waitingReasons,
} from "../src/engine/index.ts";
import { defaultRegistry } from "../src/tasks/registry.ts";
import { pureJobRunner } from "../src/tasks/simulation-jobs.ts";
import { formatProblem, readJson } from "./validate.ts";

const USAGE =
	"usage: npm run simulate -- <workflow.json> [--script <outcomes.json>] [--params '<json>'] [--advance <duration>]";
const OPTIONS_WITH_VALUES = ["--script", "--params", "--advance"];

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
			timerDetail(state, task) ??
			(task.status === "SUCCESS"
				? JSON.stringify(task.result ?? null)
				: task.error
					? `error: ${task.error.message}`
					: "");
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

/** B3: when a timer fired, or when it is due, on the virtual clock (from the process's start). */
function timerDetail(state: ProcessState, task: TaskState): string | undefined {
	if (task.timerDueAt === undefined) return undefined;
	if (task.status === "SUCCESS" && task.endedAt !== undefined)
		return `fired at +${formatSpan(task.endedAt - state.createdAt)}`;
	if (task.status === "STARTED") return `due at +${formatSpan(task.timerDueAt - state.createdAt)}`;
	return undefined;
}

/**
 * Why a process still running at the end waits, one line per reason with its rule. A timer due
 * after the clock stopped says so: past --advance, or (without it) an endless cycle.
 */
function formatReasons(reasons: readonly WaitingReason[], until?: number): string[] {
	if (reasons.length === 0) return [];
	const lines = ["why it has not ended:"];
	for (const r of reasons) {
		let text = r.text;
		if (r.dueAt !== undefined && (until === undefined || r.dueAt > until))
			text +=
				until === undefined
					? " (virtual time): give --advance to let it fire"
					: " (virtual time), past --advance";
		lines.push(`  ${(r.rule ?? "").padEnd(3)} ${text}`);
	}
	return lines;
}

/** The end of the run: the virtual time when it moved, and why a running process waits. */
function formatEnding(result: SimulationResult, reasons: readonly WaitingReason[]): string[] {
	const lines: string[] = [];
	const timersFired = result.state.tasks.some(
		(t) => t.timerDueAt !== undefined && t.status === "SUCCESS",
	);
	if (result.until !== undefined || timersFired)
		lines.push(`virtual time: +${formatSpan(result.now - result.state.createdAt)}`);
	return [...lines, ...formatReasons(reasons, result.until)];
}

function truncate(text: string, max = 80): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function main(args: string[]): number {
	const file = args.find(
		(a, i) => !a.startsWith("--") && !OPTIONS_WITH_VALUES.includes(args[i - 1] ?? ""),
	);
	if (!file) return fail(USAGE);
	const scriptAt = args.indexOf("--script");
	const paramsAt = args.indexOf("--params");
	const advanceAt = args.indexOf("--advance");
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
	let advanceMs: number | undefined;
	if (advanceAt >= 0) {
		advanceMs = parseDuration(args[advanceAt + 1] ?? "") ?? undefined;
		if (advanceMs === undefined)
			return fail('--advance must be a duration such as "P2D", "PT5H" or "2d"');
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
		...(advanceMs === undefined ? {} : { advanceMs }),
	});
	process.stdout.write(`${wf.definition.name} (${wf.key} v${wf.version})\n`);
	for (const line of formatTrace(result.state, result.commands)) process.stdout.write(`${line}\n`);
	for (const line of formatEnding(result, waitingReasons(wf, result.state, result.now)))
		process.stdout.write(`${line}\n`);
	for (const e of result.errors)
		process.stdout.write(`refused ${e.command.type}: ${e.code} ${e.message}\n`);
	return result.state.status === "SUCCESS" ? 0 : 3;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	process.exitCode = main(process.argv.slice(2));
}
