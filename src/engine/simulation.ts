// Runs a process to its end with scripted outcomes, in memory: the driver behind the simulator,
// the fixture tests and the speed script. Plays the adapter's part (queue, timers, people).
import type { Actor, ClaimReply, Command } from "./commands.ts";
import type { CompiledWorkflow } from "./compiled.ts";
import type { Effect } from "./effects.ts";
import { describeForm, type FormField } from "./form.ts";
import { mergeParams } from "./params.ts";
import { createProcess, type ProcessState, type TaskState } from "./state.ts";
import { type StepOutcome, step } from "./step.ts";

/**
 * Per node, what each pass (task) does; a list gives one entry per pass, the last one repeating.
 * An entry is a result, or `{ fail, times?, permanent? }` (fail `times` attempts, default all),
 * `{ result }`, `{ values }` (for a task waiting for a person; a plain object is read as values
 * for such a task), or `{ revoke: true }` (an admin revokes the task instead of running it).
 */
export type SimulationScript = Record<string, unknown>;

export interface SimulationOptions {
	script?: SimulationScript;
	params?: Record<string, unknown>;
	processId?: string;
	start?: number;
	/** Result of a job with no scripted result (default null). */
	runJob?: (taskType: string, params: Record<string, unknown>) => unknown;
	/** Called after every successful step (for checks and traces). */
	onStep?: (command: Command, outcome: Extract<StepOutcome, { ok: true }>) => void;
	maxCommands?: number;
}

export interface SimulationResult {
	state: ProcessState;
	commands: number;
	/** Commands the engine refused (should be empty). */
	errors: { command: Command; code: string; message: string }[];
	/** One line per task in creation order, then the process. */
	trace: string[];
}

const SIMULATOR: Actor = { id: "simulator", roles: [], isAdmin: true };

type Work = { at: number; command: Command } | { at: number; input: string };

/** Runs `workflow` to its end (or until nothing is left to do) and returns the trace. */
export function simulate(
	workflow: CompiledWorkflow,
	options: SimulationOptions = {},
): SimulationResult {
	const script = options.script ?? {};
	let now = options.start ?? 0;
	let state = createProcess(
		workflow,
		{ id: options.processId ?? "sim", params: options.params ?? {} },
		{ now },
	);
	const queue: Work[] = [];
	const errors: SimulationResult["errors"] = [];
	const failedAttempts = new Map<string, number>();
	let commands = 0;
	const max = options.maxCommands ?? 100_000;

	const entryFor = (task: TaskState): unknown => {
		const entries = script[task.node];
		if (!Array.isArray(entries)) return entries;
		const pass = state.tasks.filter((t) => t.node === task.node).indexOf(task);
		return entries.length === 0 ? undefined : entries[Math.min(pass, entries.length - 1)];
	};

	const send = (command: Command): unknown => {
		commands += 1;
		const outcome = step(workflow, state, command, { now });
		if (!outcome.ok) {
			errors.push({ command, code: outcome.error.code, message: outcome.error.message });
			return undefined;
		}
		state = outcome.state;
		options.onStep?.(command, outcome);
		for (const effect of outcome.effects) schedule(effect);
		return outcome.reply;
	};

	const schedule = (effect: Effect): void => {
		switch (effect.type) {
			case "DispatchTask":
				queue.push({
					at: now + effect.delaySeconds * 1000,
					command: { type: "ClaimTask", taskId: effect.taskId, attempt: effect.attempt },
				});
				return;
			case "RequestInput":
				queue.push({ at: now, input: effect.taskId });
				return;
			case "PickAssignee":
				// T3: the simulator has no people; the task proceeds unassigned, as for an empty role.
				queue.push({
					at: now,
					command: { type: "AssignTask", taskId: effect.taskId, assignee: null },
				});
				return;
			case "SetTimer":
				queue.push({ at: effect.dueAt, command: { type: "FireTimer", taskId: effect.taskId } });
				return;
			case "StartSubprocess": {
				const entry = directive(entryForId(effect.taskId));
				const status = entry.fail !== undefined ? "FAILURE" : "SUCCESS";
				const results =
					entry.result === undefined
						? []
						: Array.isArray(entry.result)
							? entry.result
							: [entry.result];
				queue.push({
					at: now,
					command: { type: "EndSubprocess", taskId: effect.taskId, status, results },
				});
				return;
			}
			default:
				return;
		}
	};

	const entryForId = (taskId: string): unknown => {
		const task = state.tasks.find((t) => t.id === taskId);
		return task ? entryFor(task) : undefined;
	};

	const runClaimed = (taskId: string, attempt: number, reply: ClaimReply): void => {
		if (!reply.run) return;
		const task = state.tasks.find((t) => t.id === taskId) as TaskState;
		const entry = directive(entryFor(task));
		if (entry.revoke) {
			send({ type: "RevokeTask", taskId, actor: SIMULATOR });
			return;
		}
		if (entry.fail !== undefined) {
			const failed = failedAttempts.get(taskId) ?? 0;
			if (entry.times === undefined || failed < entry.times) {
				failedAttempts.set(taskId, failed + 1);
				send({
					type: "FailTask",
					taskId,
					attempt,
					error: { message: entry.fail },
					retryable: !entry.permanent,
				});
				return;
			}
		}
		const plainResult = task.submittedBy === undefined ? entry.plain : undefined;
		const result =
			entry.result !== undefined
				? entry.result
				: (plainResult ?? options.runJob?.(reply.taskType, reply.params) ?? null);
		send({ type: "CompleteTask", taskId, attempt, result });
	};

	const answer = (taskId: string): void => {
		const task = state.tasks.find((t) => t.id === taskId);
		if (task?.status !== "PENDING" || !task.awaitingInput) return;
		const entry = directive(entryFor(task));
		const node = workflow.nodes.get(task.node);
		if (!node) return;
		const fields = describeForm(node.spec, mergeParams(workflow, state, task));
		const scripted = entry.values ?? entry.plain;
		const values = {
			...defaultValues(
				fields.filter((f) => task.requiredFields.includes(f.name) || node.spec.mode === "input"),
			),
			...(scripted ?? {}),
		};
		send({ type: "SubmitValues", taskId, values, actor: SIMULATOR });
	};

	send({ type: "StartProcess" });
	while (state.status === "STARTED" && commands < max) {
		if (queue.length === 0) {
			const listening = state.tasks.find(
				(t) => t.status === "STARTED" && workflow.nodes.get(t.node)?.spec.mode === "message",
			);
			if (!listening) break;
			const entry = directive(entryFor(listening));
			queue.push({
				at: now,
				command: { type: "DeliverEvent", taskId: listening.id, payload: entry.result ?? null },
			});
		}
		queue.sort((a, b) => a.at - b.at);
		const work = queue.shift() as Work;
		now = Math.max(now + 1, work.at);
		if ("input" in work) {
			answer(work.input);
			continue;
		}
		const reply = send(work.command);
		if (work.command.type === "ClaimTask" && reply)
			runClaimed(work.command.taskId, work.command.attempt, reply as ClaimReply);
	}
	return { state, commands, errors, trace: traceOf(state) };
}

/** One line per task (`node STATUS`, plus its attempt after a retry), then `process STATUS`. */
export function traceOf(state: ProcessState): string[] {
	const lines = state.tasks.map(
		(t) => `${t.node} ${t.status}${t.attempt > 1 ? ` (attempt ${t.attempt})` : ""}`,
	);
	return [...lines, `process ${state.status}`];
}

interface Directive {
	fail?: string;
	times?: number;
	permanent?: boolean;
	result?: unknown;
	values?: Record<string, unknown>;
	revoke?: boolean;
	/** A plain object: values for a task waiting for a person, else a result. */
	plain?: Record<string, unknown>;
}

const DIRECTIVE_KEYS = new Set(["fail", "times", "permanent", "result", "values", "revoke"]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isDirective(value: Record<string, unknown>): boolean {
	const keys = Object.keys(value);
	return keys.length > 0 && keys.every((k) => DIRECTIVE_KEYS.has(k));
}

function directive(entry: unknown): Directive {
	if (entry === undefined) return {};
	if (isPlainObject(entry)) {
		if (isDirective(entry)) return entry as Directive;
		return { plain: entry };
	}
	return { result: entry };
}

/** Plausible answers for a form: the current value, else a value of the field's kind. */
export function defaultValues(fields: readonly FormField[]): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const f of fields) {
		if (f.value !== undefined) {
			values[f.name] = f.value;
			continue;
		}
		switch (f.kind) {
			case "number":
			case "integer":
				values[f.name] = f.min ?? 0;
				break;
			case "checkbox":
				values[f.name] = false;
				break;
			case "date":
				values[f.name] = "2030-01-01";
				break;
			case "select":
				values[f.name] = f.options?.[0]?.value ?? "";
				break;
			default:
				values[f.name] = f.name;
		}
	}
	return values;
}
