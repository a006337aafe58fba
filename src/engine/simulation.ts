// Runs a process to its end with scripted outcomes, in memory: the driver behind the simulator,
// the fixture tests and the speed script. Plays the adapter's part (queue, people, messages) and
// the alarm's, on a virtual clock: timers fire at their due time, as far as `advanceMs` allows.
import type { Actor, ClaimReply, Command } from "./commands.ts";
import type { CompiledWorkflow } from "./compiled.ts";
import type { Effect } from "./effects.ts";
import { describeForm, type FormField } from "./form.ts";
import { mergeParams } from "./params.ts";
import { dueWork, nextWakeAt } from "./queries.ts";
import { createProcess, type MessageWait, type ProcessState, type TaskState } from "./state.ts";
import { type StepOutcome, step } from "./step.ts";

/**
 * Per node, what each pass (task) does; a list gives one entry per pass, the last one repeating.
 * An entry is a result, or `{ fail, times?, permanent? }` (fail `times` attempts, default all),
 * `{ result }`, `{ values }` (for a task waiting for a person; a plain object is read as values
 * for such a task), `{ revoke: true }` (an admin revokes the task instead of running it), or
 * `{ never: true }` (a person, a message wait or a subprocess that never answers, so a timer or a
 * boundary can win). A message wait takes its entry as the payload; unscripted, it gets null,
 * unless it is a boundary or the workflow sends that message itself (then it waits for it).
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
	/**
	 * How far past `start` the virtual clock may run (ms): timers and retries due later stay
	 * pending, and a process still running ends the run with the clock at that limit. Absent, the
	 * clock goes as far as the timers need (as before this option existed), but not for endless
	 * cycles (`R/PT1H`) alone, which would never let the run end.
	 */
	advanceMs?: number;
}

export interface SimulationResult {
	state: ProcessState;
	commands: number;
	/** Commands the engine refused (should be empty). */
	errors: { command: Command; code: string; message: string }[];
	/** One line per task in creation order, then the process. */
	trace: string[];
	/** The virtual clock when the run ended (epoch ms). */
	now: number;
	/** The limit of the virtual clock (`start + advanceMs`), when one was given. */
	until?: number;
}

const SIMULATOR: Actor = { id: "simulator", roles: [], isAdmin: true };

type Work =
	| { at: number; command: Command }
	| { at: number; input: string }
	/** W1: the clock reached a due time; the alarm runs what is due. */
	| { at: number; wake: true };

/** N2: a message a `send` task published, kept until a wait of its name and key takes it. */
interface KeptMessage {
	messageId: string;
	name: string;
	correlationKey: string;
	payload: unknown;
	expiresAt?: number;
}

/** Runs `workflow` to its end (or until nothing is left to do) and returns the trace. */
export function simulate(
	workflow: CompiledWorkflow,
	options: SimulationOptions = {},
): SimulationResult {
	const script = options.script ?? {};
	const start = options.start ?? 0;
	let now = start;
	const until = options.advanceMs === undefined ? undefined : start + options.advanceMs;
	let state = createProcess(
		workflow,
		{ id: options.processId ?? "sim", params: options.params ?? {} },
		{ now },
	);
	const queue: Work[] = [];
	const errors: SimulationResult["errors"] = [];
	const failedAttempts = new Map<string, number>();
	const mailbox: KeptMessage[] = [];
	/** Message waits the script already answered, or left unanswered. */
	const heard = new Set<string>();
	const sentHere = sentMessageNames(workflow);
	let commands = 0;
	const max = options.maxCommands ?? 100_000;

	const entryFor = (task: TaskState): unknown => {
		const entries = script[task.node];
		if (!Array.isArray(entries)) return entries;
		// M1: a pass is one instance; the body that holds them is not one.
		const pass = state.tasks
			.filter((t) => t.node === task.node && !isInstancesBody(workflow, t))
			.indexOf(task);
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
			// K1: the simulator plays the external task's worker as it plays the queue's.
			case "OfferTask":
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
			case "PublishMessage":
				mailbox.push({
					messageId: effect.messageId,
					name: effect.name,
					correlationKey: effect.correlationKey,
					payload: effect.payload,
					...(effect.ttlSeconds === undefined ? {} : { expiresAt: now + effect.ttlSeconds * 1000 }),
				});
				return;
			case "StartSubprocess": {
				const entry = directive(entryForId(effect.taskId));
				if (entry.never) return;
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
		if (entry.never) return;
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

	/**
	 * N1–N2: the next message a waiting task takes: one the process published (kept until a wait
	 * of its name and key comes), else the script's answer to a wait not yet answered.
	 */
	const nextDelivery = (): Command | undefined => {
		const waits = state.tasks.filter((t) => t.status === "STARTED" && t.message !== undefined);
		for (const task of waits) {
			const wanted = task.message as MessageWait;
			const at = mailbox.findIndex(
				(m) =>
					m.name === wanted.name &&
					m.correlationKey === wanted.correlationKey &&
					(m.expiresAt === undefined || m.expiresAt >= now),
			);
			if (at < 0) continue;
			const [kept] = mailbox.splice(at, 1) as [KeptMessage];
			const { expiresAt: _, ...message } = kept;
			return { type: "DeliverMessage", taskId: task.id, ...message };
		}
		for (const task of waits) {
			if (heard.has(task.id)) continue;
			heard.add(task.id);
			const payload = scriptedPayload(task);
			if (payload === UNANSWERED) continue;
			const wanted = task.message as MessageWait;
			return {
				type: "DeliverMessage",
				taskId: task.id,
				messageId: `script:${task.id}`,
				name: wanted.name,
				correlationKey: wanted.correlationKey,
				payload,
			};
		}
		return undefined;
	};

	const scriptedPayload = (task: TaskState): unknown => {
		const entry = entryFor(task);
		if (entry === undefined) {
			const awaited = task.boundaryOf !== undefined || sentHere.has(task.message?.name ?? "");
			return awaited ? UNANSWERED : null;
		}
		const d = directive(entry);
		if (d.never) return UNANSWERED;
		return d.result ?? d.plain ?? null;
	};

	/** W1: the next time the alarm would wake the process, if the clock may go there. */
	const nextWake = (): number | undefined => {
		const at = nextWakeAt(state);
		if (at === undefined) return undefined;
		if (until !== undefined) return at <= until ? at : undefined;
		return onlyEndlessCycles(state) ? undefined : at;
	};

	/**
	 * What happens next: work due now (jobs, people, subprocesses), then messages, then the
	 * earliest of later work (a retry after its backoff) and the next due timer, within the limit.
	 */
	const nextWork = (): Work | undefined => {
		queue.sort((a, b) => a.at - b.at);
		const head = queue[0];
		if (head && head.at <= now) return queue.shift();
		const delivery = nextDelivery();
		if (delivery) return { at: now, command: delivery };
		const wake = nextWake();
		const headReachable = head !== undefined && (until === undefined || head.at <= until);
		if (head && headReachable && (wake === undefined || head.at <= wake)) return queue.shift();
		return wake === undefined ? undefined : { at: wake, wake: true };
	};

	send({ type: "StartProcess" });
	while (state.status === "STARTED" && commands < max) {
		const work = nextWork();
		if (!work) break;
		now = Math.max(now + 1, work.at);
		if ("wake" in work) {
			const due = dueWork(state, now);
			// nextWakeAt and dueWork read the same due times; should they ever disagree, stop
			// rather than wake at the same time for ever.
			if (due.length === 0) break;
			for (const { command } of due) if (state.status === "STARTED") send(command);
			continue;
		}
		if ("input" in work) {
			answer(work.input);
			continue;
		}
		const reply = send(work.command);
		if (work.command.type === "ClaimTask" && reply)
			runClaimed(work.command.taskId, work.command.attempt, reply as ClaimReply);
	}
	// Time passes to the limit while nothing happens: the run ends there, the process waiting.
	if (until !== undefined && state.status === "STARTED" && commands < max)
		now = Math.max(now, until);
	const result: SimulationResult = { state, commands, errors, trace: traceOf(state), now };
	if (until !== undefined) result.until = until;
	return result;
}

/** The answer of a message wait the script leaves unanswered. */
const UNANSWERED = Symbol("unanswered");

/** M1: the body of a multi-instance node (not one of its instances). */
function isInstancesBody(workflow: CompiledWorkflow, task: TaskState): boolean {
	return (
		task.instanceOf === undefined && workflow.nodes.get(task.node)?.def.multiInstance !== undefined
	);
}

/** N2: the message names the workflow's `send` nodes publish (literal names only). */
function sentMessageNames(workflow: CompiledWorkflow): Set<string> {
	const names = new Set<string>();
	for (const node of workflow.nodes.values()) {
		const name = node.def.params?.message;
		if (node.spec.mode === "send" && typeof name === "string") names.add(name);
	}
	return names;
}

/** B3: every timer set is an endless cycle's: without a limit the clock would run for ever. */
function onlyEndlessCycles(state: ProcessState): boolean {
	const timers = state.tasks.filter((t) => t.status === "STARTED" && t.timerDueAt !== undefined);
	return (
		timers.length > 0 && timers.every((t) => t.cycle !== undefined && t.cycle.remaining === null)
	);
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
	never?: boolean;
	/** A plain object: values for a task waiting for a person, else a result. */
	plain?: Record<string, unknown>;
}

const DIRECTIVE_KEYS = new Set([
	"fail",
	"times",
	"permanent",
	"result",
	"values",
	"revoke",
	"never",
]);

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
