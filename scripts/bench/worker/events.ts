// The "Time and events" scenarios of `npm run bench`, driven from inside workerd like the speed
// runs (entry.ts): timers fired by the ProcessObject's own alarm (W1), and messages from publish to
// the waiting task's success (N1, N2), through the same code as the API and the outbox.
//
// What is observed, and how, without polling:
// - a process's end: its live stream (the SSE of the process page, durable/live.ts), which the
//   object writes to right after the commit that ended it; the driver opens it before the end can
//   happen. It times one process of timers, whose last step is long, and tells every scenario when
//   a process is done. With many processes ending together its frames reach the driver late and in
//   a burst (the one workerd thread is busy with the steps and their outboxes), so there the times
//   are the processes' own step times instead: a step's events carry the instant it began, and a
//   step of a small process commits about a millisecond later;
// - a publish to a waiting task: `publishMessage`'s own answer, which the box gives once the
//   task's process has committed the delivery (the box awaits `DeliverMessage`).
// All of it is one workerd clock. Setting up (starting the waiting processes, waiting for their
// subscriptions or their timers' index rows) is not timed; its waits poll, as tests do.
import { publishWorkflow } from "../../../src/db/workflows.ts";
import { processStub, startProcess } from "../../../src/durable/process-client.ts";
import type { WorkflowDefinition } from "../../../src/engine/index.ts";
import { messageBox } from "../../../src/messages/message.ts";
import { publishMessage } from "../../../src/messages/publish.ts";
import type { EventRequest, EventResult, EventRun } from "../protocol.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** M1's limit: a multi-instance node runs at most this many instances. */
const MAX_INSTANCES = 1_000;
/** The message name every message scenario uses; no workflow starts on it (N3). */
const MESSAGE = "bench-paid";
/** Starts sent at once while setting up, as the speed runs' driver does. */
const START_BATCH = 8;
/** Samples before each message run's measured ones, to warm the isolate and the D1 statements. */
const WARM_UP = 10;

/** Runs `run(0..count-1)` with at most `inFlight` running at once; the results in index order. */
async function pool<T>(count: number, inFlight: number, run: (i: number) => Promise<T>) {
	const out: T[] = new Array(count);
	let next = 0;
	const worker = async () => {
		for (let i = next++; i < count; i = next++) out[i] = await run(i);
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, count)) }, worker));
	return out;
}

/** Polls `ready` until it holds (setup only), failing after `timeoutMs`. */
async function until(what: string, timeoutMs: number, ready: () => Promise<boolean>) {
	const deadline = Date.now() + timeoutMs;
	while (!(await ready())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(5);
	}
}

export interface Watch {
	/** When the `process-finished` frame arrived (the connection's time if it had ended before). */
	end: Promise<number>;
}

/**
 * Opens the process's live stream. Once this resolves the object has registered the stream, so
 * an end committed after that is seen. (The end is wrapped: an async function cannot resolve to a
 * promise.)
 */
export async function watchEnd(env: Env, processId: string): Promise<Watch> {
	const res = await env.PROCESS.getByName(processId).fetch("https://bench.local/live?since=0");
	if (!res.body) throw new Error(`no live stream for ${processId}`);
	const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
	const end = (async () => {
		let text = "";
		for (;;) {
			const { value, done } = await reader.read();
			if (done) throw new Error(`the live stream of ${processId} closed before the process ended`);
			text += value;
			if (text.includes("event: process-finished")) {
				const at = Date.now();
				await reader.cancel().catch(() => undefined);
				return at;
			}
		}
	})();
	return { end };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	return Promise.race([
		p,
		new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
		}),
	]).finally(() => {
		if (timer !== undefined) clearTimeout(timer);
	});
}

async function publish(env: Env, def: WorkflowDefinition) {
	await publishWorkflow(env.DB, def, { now: Date.now(), publishedBy: "bench" });
}

/** Starts `count` processes, START_BATCH at a time; their ids in order. */
async function startAll(
	env: Env,
	workflowKey: string,
	count: number,
	params: (i: number) => Record<string, unknown>,
): Promise<string[]> {
	return pool(count, START_BATCH, async (i) => {
		const { processId } = await startProcess(env, {
			workflowKey,
			params: params(i),
			name: workflowKey,
			startedBy: "bench",
		});
		return processId;
	});
}

/** Setup: every process has sent its outbox (its timers are indexed, its subscriptions made). */
async function drained(env: Env, ids: string[], timeoutMs: number) {
	for (const id of ids) {
		await until(`the outbox of ${id}`, timeoutMs, async () => {
			return (await processStub(env, id).outboxSize()) === 0;
		});
	}
}

// ---------------------------------------------------------------------------------------------
// Timers

/**
 * `timers` timers in one process: multi-instance `wait` start nodes of at most 1,000 instances
 * each (M1), instance i (1-based, across the nodes) due at `firstDue + (i − 1) × spacing`, and an
 * inline AND join that ends the process in the step that fires the last timer. The step budget
 * (P7) covers every instance.
 */
function timersWorkflow(key: string, timers: number): WorkflowDefinition {
	const groups = Math.ceil(timers / MAX_INSTANCES);
	const nodes: WorkflowDefinition["nodes"] = [];
	for (let g = 0; g < groups; g++) {
		const first = g * MAX_INSTANCES + 1;
		const last = Math.min(timers, (g + 1) * MAX_INSTANCES);
		nodes.push({
			key: `timers${g + 1}`,
			task: "wait",
			start: true,
			params: { until: "= params.firstDue + (params.item - 1) * params.spacing" },
			multiInstance: { items: `for i in ${first}..${last} return i` },
		});
	}
	nodes.push({
		key: "end",
		task: "dummy",
		end: true,
		inline: true,
		...(groups > 1 ? { join: "and" as const } : {}),
	});
	return {
		key,
		name: `${timers} timers`,
		stepBudget: timers + groups + 10,
		startForm: {
			// Not `at`: that is a `wait` param (B3), and process params reach the task's (T11).
			firstDue: { label: "First due time (epoch ms)", type: "integer" },
			spacing: { label: "Milliseconds between due times", type: "number" },
		},
		nodes,
		transitions: nodes.slice(0, -1).map((n) => ({ from: n.key, to: "end" })),
	};
}

/** The timer instances of a finished process: when each was due and when its step fired it. */
async function firings(env: Env, processId: string) {
	const view = await processStub(env, processId).view();
	if (!view) throw new Error(`process ${processId} vanished`);
	if (view.state.status !== "SUCCESS") {
		throw new Error(`process ${processId} ended ${view.state.status}`);
	}
	const timers = view.state.tasks.filter((t) => t.instanceOf !== undefined);
	return {
		timers: timers.map((t) => ({
			due: t.timerDueAt ?? Number.NaN,
			fired: t.endedAt ?? Number.NaN,
		})),
		stateBytes: JSON.stringify(view.state).length,
	};
}

/** A small run first, so the measured one does not pay for the isolate's first calls. */
async function warmUpTimers(env: Env) {
	await publish(env, timersWorkflow("bench-timers-warm-up", 10));
	const [id] = await startAll(env, "bench-timers-warm-up", 1, () => ({
		firstDue: Date.now() + 300,
		spacing: 0,
	}));
	const end = await watchEnd(env, id as string);
	await withTimeout(end.end, 30_000, "the warm-up timers");
}

/** Tries to make the timers ready in time: the margin doubles each time, at most this often. */
const SETUP_TRIES = 4;

/**
 * Starts the timers' processes, all first due `margin` ms from now, and waits until they are
 * indexed and watched. A machine slower than the margin allows (another load on it) leaves them
 * due before they are ready: they are left to fire unobserved, and the setup is tried again on new
 * processes with twice the margin.
 */
async function readyTimers(
	env: Env,
	req: EventRequest,
	key: string,
	spacing: number,
): Promise<{ at: number; ids: string[]; watches: Watch[]; extra: Record<string, number> }> {
	for (let attempt = 0; attempt < SETUP_TRIES; attempt++) {
		const marginMs = req.marginMs * 2 ** attempt;
		const t0 = Date.now();
		const at = t0 + marginMs;
		const ids = await startAll(env, key, req.processes, () => ({ firstDue: at, spacing }));
		const startMs = Date.now() - t0;
		await drained(env, ids, req.timeoutMs);
		const watches = await Promise.all(ids.map((id) => watchEnd(env, id)));
		const readyMs = Date.now() - t0;
		if (Date.now() < at) {
			return { at, ids, watches, extra: { marginMs, setupTries: attempt + 1, startMs, readyMs } };
		}
	}
	throw new Error(
		`the timers were never ready before they were due (margin ${req.marginMs} ms, doubled ${SETUP_TRIES - 1} times)`,
	);
}

async function timersOne(env: Env, req: EventRequest): Promise<EventResult> {
	await warmUpTimers(env);
	const key = `bench-timers-${req.n}`;
	await publish(env, timersWorkflow(key, req.n));
	const spacing = req.n > 1 ? req.spreadMs / (req.n - 1) : 0;
	const ready = await readyTimers(env, { ...req, processes: 1 }, key, spacing);
	const processId = ready.ids[0] as string;
	const seen = await withTimeout((ready.watches[0] as Watch).end, req.timeoutMs, `${req.n} timers`);
	const { timers, stateBytes } = await firings(env, processId);
	if (timers.length !== req.n) throw new Error(`${timers.length} timers fired, not ${req.n}`);
	const firstDue = Math.min(...timers.map((t) => t.due));
	const lastStep = Math.max(...timers.map((t) => t.fired));
	return {
		unloaded: {
			count: timers.length,
			wallMs: seen - firstDue,
			latencies: timers.map((t) => t.fired - t.due),
		},
		extra: {
			...ready.extra,
			firingSteps: new Set(timers.map((t) => t.fired)).size,
			lastStepToSeenMs: seen - lastStep,
			stateBytes,
		},
	};
}

async function timersAcross(env: Env, req: EventRequest): Promise<EventResult> {
	await warmUpTimers(env);
	const key = `bench-timers-x${req.n}`;
	await publish(env, timersWorkflow(key, req.n));
	const { at, ids, watches, extra } = await readyTimers(env, req, key, 0);
	const seen = await withTimeout(
		Promise.all(watches.map((w) => w.end)),
		req.timeoutMs,
		"the processes' timers",
	);
	let fired = 0;
	let steps = 0;
	const lastSteps: number[] = [];
	for (const id of ids) {
		const { timers } = await firings(env, id);
		fired += timers.length;
		steps += new Set(timers.map((t) => t.fired)).size;
		lastSteps.push(Math.max(...timers.map((t) => t.fired)) - at);
	}
	if (fired !== req.n * req.processes) {
		throw new Error(`${fired} timers fired, not ${req.n * req.processes}`);
	}
	return {
		unloaded: { count: fired, wallMs: Math.max(...lastSteps), latencies: lastSteps },
		extra: { ...extra, firingSteps: steps, lastSeenMs: Math.max(...seen) - at },
	};
}

// ---------------------------------------------------------------------------------------------
// Messages

/**
 * Begins (inline), waits for MESSAGE with its `order` param as the correlation key, then ends
 * (inline) in the step that took the message.
 */
const WAITING: WorkflowDefinition = {
	key: "bench-waiting",
	name: "Waits for a message",
	startForm: { order: { label: "Order" } },
	nodes: [
		{ key: "begin", task: "dummy", start: true, inline: true },
		{
			key: "wait",
			task: "message",
			params: { message: MESSAGE, correlationKey: "= params.order" },
		},
		{ key: "end", task: "dummy", end: true, inline: true },
	],
	transitions: [
		{ from: "begin", to: "wait" },
		{ from: "wait", to: "end" },
	],
};

/** One `send` task: publishes MESSAGE with its `order` param as the correlation key (N2). */
const SENDER: WorkflowDefinition = {
	key: "bench-sender",
	name: "Sends a message",
	startForm: { order: { label: "Order" } },
	nodes: [
		{
			key: "send",
			task: "send",
			start: true,
			end: true,
			params: {
				message: MESSAGE,
				correlationKey: "= params.order",
				payload: "= {paid: true, order: params.order}",
			},
		},
	],
	transitions: [],
};

/** The step time of the first event of `type` (at `node`, if given) in a process's history. */
async function stepTime(env: Env, processId: string, type: string, node?: string) {
	const events = await processStub(env, processId).history(0, 500);
	const e = events.find((x) => x.type === type && (node === undefined || x.node === node));
	if (!e) throw new Error(`no ${type} in the history of ${processId}`);
	return e.at;
}

/** Publishes as `POST /api/v1/messages` does (`publishAs` adds only the check and the prefix). */
async function publishTo(env: Env, correlationKey: string, id: string) {
	return publishMessage(env, {
		id: `api:${id}`,
		name: MESSAGE,
		correlationKey,
		payload: { paid: true, order: correlationKey },
		startedBy: "bench",
	});
}

/** Setup: processes waiting on `keys`, each in its box's queue (N1) before anything is timed. */
async function waiting(env: Env, keys: string[], timeoutMs: number) {
	const ids = await startAll(env, WAITING.key, keys.length, (i) => ({ order: keys[i] }));
	const expected = new Map<string, number>();
	for (const k of keys) expected.set(k, (expected.get(k) ?? 0) + 1);
	for (const [k, count] of expected) {
		await until(`${count} waits on "${k}"`, timeoutMs, async () => {
			const { subscribers } = await messageBox(env, MESSAGE, k).contents();
			return subscribers.length >= count;
		});
	}
	return ids;
}

/** Starts a process of `workflowKey` with `order` as its param. */
async function startWith(env: Env, workflowKey: string, order: string) {
	const { processId } = await startProcess(env, {
		workflowKey,
		params: { order },
		name: workflowKey,
		startedBy: "bench",
	});
	return processId;
}

/**
 * A run of `count` messages, `inFlight` at a time: `one(i)` sends message i and resolves once it
 * was delivered; `latency(i)`, called after the run, says how long it took.
 */
async function messageRun(
	count: number,
	inFlight: number,
	one: (i: number) => Promise<void>,
	latency: (i: number) => Promise<number>,
): Promise<EventRun> {
	const t0 = Date.now();
	await pool(count, inFlight, one);
	const wallMs = Date.now() - t0;
	const latencies: number[] = [];
	for (let i = 0; i < count; i++) latencies.push(await latency(i));
	return { count, wallMs, latencies };
}

/**
 * Runs the warm-up, then `n` messages one at a time, then `n` with `inFlight` in flight, each on
 * fresh processes and keys.
 */
async function warmedRuns(
	req: EventRequest,
	run: (label: string, count: number, inFlight: number) => Promise<EventRun>,
) {
	await run("warm", WARM_UP, 1);
	const unloaded = await run("one", req.n, 1);
	const loaded = await run("many", req.n, req.inFlight);
	return { unloaded, loaded };
}

/**
 * (a) and its one-key variant: publish → the waiting task's success, committed: the publish's
 * own answer, which the box gives after the process committed the delivery.
 */
async function messagePublish(env: Env, req: EventRequest, oneKey: boolean): Promise<EventResult> {
	await publish(env, WAITING);
	const runs = await warmedRuns(req, async (label, count, inFlight) => {
		const keys = Array.from({ length: count }, (_, i) =>
			oneKey ? `${label}-all` : `${label}-${i}`,
		);
		await waiting(env, keys, req.timeoutMs);
		const latencies: number[] = [];
		return messageRun(
			count,
			inFlight,
			async (i) => {
				const t0 = Date.now();
				const { box } = await publishTo(env, keys[i] as string, `${label}-${i}`);
				latencies[i] = Date.now() - t0;
				if (box.status !== "delivered") throw new Error(`message ${label}-${i} was ${box.status}`);
			},
			async (i) => latencies[i] as number,
		);
	});
	return { ...runs, extra: {} };
}

/**
 * (b) A `send` task in one process → the waiting task in another. Each message is sent by a new
 * process of SENDER; the receiver's live stream says when it is done. Latency: the send step
 * (the sender's `MessagePublished`, committed with the task's success; the outbox publishes after
 * that commit) → the receiver's delivery step (its `MessageReceived`).
 */
async function messageSend(env: Env, req: EventRequest): Promise<EventResult> {
	await publish(env, WAITING);
	await publish(env, SENDER);
	const startToSend: number[] = [];
	const runs = await warmedRuns(req, async (label, count, inFlight) => {
		const keys = Array.from({ length: count }, (_, i) => `${label}-${i}`);
		const receivers = await waiting(env, keys, req.timeoutMs);
		const senders: string[] = [];
		const requested: number[] = [];
		return messageRun(
			count,
			inFlight,
			async (i) => {
				const watch = await watchEnd(env, receivers[i] as string);
				requested[i] = Date.now();
				senders[i] = await startWith(env, SENDER.key, keys[i] as string);
				await withTimeout(watch.end, req.timeoutMs, `the message to ${keys[i]}`);
			},
			async (i) => {
				const sent = await stepTime(env, senders[i] as string, "MessagePublished");
				if (label === "one") startToSend.push(sent - (requested[i] as number));
				return (await stepTime(env, receivers[i] as string, "MessageReceived")) - sent;
			},
		);
	});
	return { ...runs, extra: { startToSendMsMedian: median(startToSend) } };
}

/**
 * (c) Kept, then delivered: each message is published first (nobody waits: kept), then its
 * waiting process is started. Latency: the start step that made the task wait (its `TaskStarted`;
 * the outbox subscribes after that commit, and the box hands the kept message over) → the
 * delivery step (`MessageReceived`). The live stream, opened after the start, says when it is done
 * (asking from revision 0, so an end before it opened is told at once).
 */
async function messageKept(env: Env, req: EventRequest): Promise<EventResult> {
	await publish(env, WAITING);
	const runs = await warmedRuns(req, async (label, count, inFlight) => {
		const keys = Array.from({ length: count }, (_, i) => `${label}-${i}`);
		await pool(count, START_BATCH, async (i) => {
			const { box } = await publishTo(env, keys[i] as string, `${label}-${i}`);
			if (box.status !== "kept") throw new Error(`message ${label}-${i} was ${box.status}`);
		});
		const ids: string[] = [];
		return messageRun(
			count,
			inFlight,
			async (i) => {
				ids[i] = await startWith(env, WAITING.key, keys[i] as string);
				const watch = await watchEnd(env, ids[i] as string);
				await withTimeout(watch.end, req.timeoutMs, `the kept message ${keys[i]}`);
			},
			async (i) => {
				const id = ids[i] as string;
				return (
					(await stepTime(env, id, "MessageReceived")) -
					(await stepTime(env, id, "TaskStarted", "wait"))
				);
			},
		);
	});
	return { ...runs, extra: {} };
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export function runEvents(env: Env, req: EventRequest): Promise<EventResult> {
	switch (req.scenario) {
		case "timers-one":
			return timersOne(env, req);
		case "timers-across":
			return timersAcross(env, req);
		case "message-publish":
			return messagePublish(env, req, false);
		case "message-one-key":
			return messagePublish(env, req, true);
		case "message-send":
			return messageSend(env, req);
		case "message-kept":
			return messageKept(env, req);
	}
}
