// A bench-only Worker entry: Baton's own worker (HTTP, queue consumers), ProcessObject and
// MessageBox, unchanged, plus `/__bench/*` routes that drive it from inside workerd (no HTTP per
// step): apply the D1 migrations, publish a workload, and run N processes to completion through
// `startProcess`, then read each one's history for the timings; and run the "Time and events"
// scenarios (events.ts). Bundled and run by scripts/bench/baton.ts and events.ts on the local
// stack (local-stack.ts: Miniflare directly, one workerd process, no dev proxy). Never deployed.
// Every billed operation of Baton is counted here (meter.ts): the objects exported are Baton's
// classes, subclassed to meter their storage, bindings and active time (their code unchanged),
// and the Worker's handlers hand Baton a metered `env`.
import { DurableObject } from "cloudflare:workers";
import { publishWorkflow } from "../../../src/db/workflows.ts";
import { processStub, startProcess } from "../../../src/durable/process-client.ts";
import type { WorkflowDefinition } from "../../../src/engine/index.ts";
import baton, {
	MessageBox as BatonMessageBox,
	ProcessObject as BatonProcessObject,
} from "../../../src/index.ts";
import type { EventRequest, RunRequest, RunResult } from "../protocol.ts";
import { runEvents, watchEnd } from "./events.ts";
import { type JobTimings, type TaskRow, taskLatencies } from "./latency.ts";
import {
	BENCH_TAG,
	countAlarm,
	countWorkerRequest,
	meterActiveTime,
	meterBatch,
	meterEnv,
	meterSnapshot,
	meterStorage,
	takeJobTimings,
	whileActive,
} from "./meter.ts";

/** Baton's ProcessObject, unchanged, with its storage, its bindings and its time metered. */
export class ProcessObject extends BatonProcessObject {
	constructor(ctx: DurableObjectState, env: Env) {
		meterStorage(ctx);
		super(ctx, meterEnv(env));
	}
	override alarm(): Promise<void> {
		countAlarm();
		return whileActive(this, () => super.alarm());
	}
}
meterActiveTime(ProcessObject, DurableObject);
latchEnds(ProcessObject);

/** Baton's MessageBox, metered the same way. */
export class MessageBox extends BatonMessageBox {
	constructor(ctx: DurableObjectState, env: Env) {
		meterStorage(ctx);
		super(ctx, meterEnv(env));
	}
	override alarm(): Promise<void> {
		countAlarm();
		return whileActive(this, () => super.alarm());
	}
}
meterActiveTime(MessageBox, DurableObject);

/**
 * Completion `latch` (the default): the driver learns that a process ended the moment the object
 * that ran it answers the call in which it ended, as the Workflows peer's driver learns it from a
 * latch its workflow calls at its end. The objects run in this isolate, beside the driver, so the
 * news costs Baton nothing and no poll or stream: each call into the object that can end the
 * process (a command, a batch, a start, an external report, the alarm) looks, once it has been
 * answered, at the state the object holds.
 */
const endWaiters = new Map<string, () => void>();
const endedUnwatched = new Set<string>();

function processEnded(processId: string): void {
	const waiter = endWaiters.get(processId);
	if (waiter) {
		endWaiters.delete(processId);
		waiter();
	} else endedUnwatched.add(processId);
}

/** Resolves when the process has ended (at once if it already has). */
function latchEnd(processId: string): Promise<void> {
	if (endedUnwatched.delete(processId)) return Promise.resolve();
	return new Promise((resolve) => endWaiters.set(processId, resolve));
}

function latchEnds(target: { prototype: object }): void {
	const ending = ["createAndStart", "execute", "executeBatch", "reportExternal", "alarm"];
	const proto = target.prototype as Record<string, (...a: unknown[]) => unknown>;
	for (const name of ending) {
		const original = proto[name];
		if (typeof original !== "function") throw new Error(`cannot latch ${name}: not a method`);
		proto[name] = async function (this: object, ...args: unknown[]) {
			const answer = await original.apply(this, args);
			// The object's state as it holds it (a private field of Baton's class, read here only).
			const state = (this as { loaded?: { state: { id: string; status: string } } }).loaded?.state;
			const seen = this as { benchEndSeen?: boolean };
			if (state && !seen.benchEndSeen && ["SUCCESS", "FAILURE", "REVOKED"].includes(state.status)) {
				seen.benchEndSeen = true;
				processEnded(state.id);
			}
			return answer;
		};
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * Polling (`completion: "poll"`): how often the driver looks for finished processes (a D1 read of
 * the ones in flight). In a busy workerd a 10 ms timer was seen to fire after ~260 ms, which could
 * refill the window of processes in flight late; the default is now `latch` (above).
 */
const POLL_MS = 10;

/** The processes of each run, by name, and when each start was requested, until collected. */
const runs = new Map<
	string,
	{
		req: RunRequest;
		t0: number;
		finished: number;
		polls: number;
		startedAt: Map<string, number>;
		ids: string[];
		/** When each job reached the consumer, and each completion left it (meter.ts). */
		timings: JobTimings;
	}
>();

/** Runs the processes to completion; the timings are read afterwards by `collect`. */
async function run(rawEnv: Env, req: RunRequest): Promise<{ finished: number }> {
	// Baton's own work is metered; the driver's polls are not (BENCH_TAG).
	const env = meterEnv(rawEnv);
	// Timings of an earlier run (the warm-up) are not this run's.
	takeJobTimings();
	const startedAt = new Map<string, number>();
	const ids: string[] = [];
	let started = 0;
	let finished = 0;
	let polls = 0;
	const t0 = Date.now();
	const deadline = t0 + req.timeoutMs;
	/** Started and not seen finished yet: the window of processes in flight. */
	const outstanding = new Set<string>();
	// Primary-key lookups of the processes in flight only, so a poll costs the same at 100 as at
	// 10,000 processes; a finished process frees its place in the window at the next poll.
	const pollFinished = async () => {
		polls++;
		const inFlight = [...outstanding];
		for (let i = 0; i < inFlight.length; i += 90) {
			const chunk = inFlight.slice(i, i + 90);
			const { results } = await env.DB.prepare(
				`${BENCH_TAG} SELECT id FROM processes WHERE id IN (${chunk.map(() => "?").join(",")}) AND ended_at IS NOT NULL`,
			)
				.bind(...chunk)
				.all<{ id: string }>();
			for (const row of results) {
				if (outstanding.delete(row.id)) finished++;
			}
		}
	};
	// Starts go out a few at a time, as an API front would send them; the window keeps the number
	// of live processes (and so the local queue's messages in flight) bounded.
	// Push: each process's live stream says when it ends, and wakes the loop.
	let signalled = false;
	let wake: (() => void) | undefined;
	const ended = (processId: string) => {
		if (outstanding.delete(processId)) finished++;
		signalled = true;
		wake?.();
	};
	/** Starts one process and notes when its start was asked for. */
	const startTimed = async () => {
		const requested = Date.now();
		// In a deployment a start is a request to the Worker (`POST /api/v1/processes`).
		countWorkerRequest();
		const { processId } = await startProcess(env, {
			workflowKey: req.workflowKey,
			name: req.name,
			startedBy: "bench",
		});
		startedAt.set(processId, requested);
		ids.push(processId);
		return processId;
	};
	const startOne = async () => {
		const processId = await startTimed();
		outstanding.add(processId);
		if (req.completion === "push") {
			// The driver's own stream: through the unmetered binding, not a billed operation of Baton.
			const watch = await watchEnd(rawEnv, processId);
			watch.end.then(
				() => ended(processId),
				() => ended(processId),
			);
		}
	};
	if (req.completion === "latch") {
		// Each lane starts a process as soon as its last one ended: always `inFlight` processes live.
		const lane = async () => {
			while (started < req.n && Date.now() < deadline) {
				started++;
				const processId = await startTimed();
				const left = deadline - Date.now();
				let timer: ReturnType<typeof setTimeout> | null = null;
				const timedOut = await Promise.race([
					latchEnd(processId).then(() => false),
					new Promise<boolean>((r) => {
						timer = setTimeout(() => r(true), Math.max(0, left));
					}),
				]);
				if (timer !== null) clearTimeout(timer);
				if (timedOut) return;
				finished++;
			}
		};
		await Promise.all(Array.from({ length: req.inFlight }, lane));
		runs.set(req.name, { req, t0, finished, polls, startedAt, ids, timings: takeJobTimings() });
		return { finished };
	}
	while (finished < req.n && Date.now() < deadline) {
		const room = Math.min(req.n - started, req.inFlight - outstanding.size);
		if (room > 0) {
			for (let i = 0; i < room; i += 8) {
				const k = Math.min(8, room - i);
				await Promise.all(Array.from({ length: k }, startOne));
			}
			started += room;
		}
		if (req.completion === "push") {
			if (!signalled) {
				await Promise.race([new Promise<void>((r) => (wake = r)), sleep(1000)]);
				wake = undefined;
			}
			signalled = false;
			continue;
		}
		// A start answers after its first commit, so processes of inline tasks are often done by then:
		// look first, and wait only when none has finished.
		const before = finished;
		await pollFinished();
		if (finished === before) await sleep(POLL_MS);
	}
	runs.set(req.name, { req, t0, finished, polls, startedAt, ids, timings: takeJobTimings() });
	return { finished };
}

/**
 * The timings of a run. Each process's history holds them (`TaskCreated` and `TaskStarted`,
 * `ProcessSucceeded`); the D1 index holds the same instants (a task row's `created_at` and
 * `started_at`, a process row's `ended_at`, written from the object), so they are read from the
 * index in a few queries rather than by waking 10,000 objects, and the histories of the first
 * processes are read to check that both agree.
 *
 * The latency of a task that is not a start: from its `created_at` (the commit of the completion
 * that created it) to the moment the queue consumer has the job in hand (meter.ts records it
 * from the answer that carries the job: its predecessor's CompleteTask, T14, or its own
 * ClaimTask). `started_at` cannot say it: a job claimed with a completion is started in that same
 * commit. An inline task (T9) never reaches the consumer: it runs inside the object's step, and
 * its `started_at − created_at` (~0) is its latency.
 *
 * `stepLatencies` is the interval the Workflows peer measures (a step's start minus its
 * predecessors' latest end), for queued tasks: from the moment the completion that created the
 * task left the consumer (sent to the object) to the moment the task's job is in the consumer's
 * hands (latency.ts says how the completion is found).
 */
async function collect(env: Env, name: string): Promise<RunResult> {
	const r = runs.get(name);
	if (!r) throw new Error(`no run ${name}`);
	runs.delete(name);
	const { req, t0, finished, polls, startedAt, ids, timings } = r;
	const latencies: number[] = [];
	const stepLatencies: number[] = [];
	const firstJobLatencies: number[] = [];
	const latencyFrom = { completion: 0, queue: 0, index: 0 };
	const processMs: number[] = [];
	let steps = 0;
	let succeeded = 0;
	let lastEnd = t0;
	const starts = new Set(req.startNodes);
	const indexed = new Map<string, { node: string; created: number; started: number | null }>();
	for (let i = 0; i < ids.length; i += 90) {
		const chunk = ids.slice(i, i + 90);
		const marks = chunk.map(() => "?").join(",");
		const [procs, tasks] = await env.DB.batch<Record<string, unknown>>([
			env.DB.prepare(`SELECT id, status, ended_at FROM processes WHERE id IN (${marks})`).bind(
				...chunk,
			),
			env.DB.prepare(
				`SELECT id, process_id, node, status, created_at, started_at, ended_at FROM tasks WHERE process_id IN (${marks})`,
			).bind(...chunk),
		]);
		for (const p of (procs?.results ?? []) as { id: string; status: string; ended_at: number }[]) {
			if (p.status !== "SUCCESS") continue;
			succeeded++;
			lastEnd = Math.max(lastEnd, p.ended_at);
			processMs.push(p.ended_at - (startedAt.get(p.id) ?? p.ended_at));
		}
		// Whole processes per chunk: a task's creating completion is among its own process's rows.
		const rows = (tasks?.results ?? []) as unknown as (TaskRow & { status: string })[];
		for (const t of rows) {
			if (t.status === "SUCCESS") steps++;
			indexed.set(t.id, { node: t.node, created: t.created_at, started: t.started_at });
		}
		const l = taskLatencies(rows, starts, timings);
		latencies.push(...l.latencies);
		stepLatencies.push(...l.stepLatencies);
		firstJobLatencies.push(...l.firstJobLatencies);
		latencyFrom.completion += l.latencyFrom.completion;
		latencyFrom.queue += l.latencyFrom.queue;
		latencyFrom.index += l.latencyFrom.index;
	}
	// The histories of the first processes must tell the same instants.
	let historyMismatches = 0;
	for (const id of ids.slice(0, 20)) {
		for (const e of await processStub(env, id).history(0, 5000)) {
			const row = e.taskId ? indexed.get(e.taskId) : undefined;
			if (e.type === "TaskCreated" && row?.created !== e.at) historyMismatches++;
			if (e.type === "TaskStarted" && row?.started !== e.at) historyMismatches++;
		}
	}
	const v = ids[0] ? await processStub(env, ids[0]).view() : null;
	return {
		n: req.n,
		finished,
		succeeded,
		steps,
		wallMs: lastEnd - t0,
		processMs,
		latencies,
		latencyFrom,
		stepLatencies,
		firstJobLatencies,
		stateBytes: v ? JSON.stringify(v.state).length : 0,
		polls,
		historyMismatches,
	};
}

/**
 * What the platform costs here before Baton does anything: the first call into a new
 * ProcessObject (workerd creates the object and its SQLite database, the store creates its
 * tables), a call into one that exists, and a trivial D1 query; ms each, sequential.
 */
async function probe(env: Env) {
	const n = 300;
	const ids = Array.from({ length: n }, (_, i) => `probe-${Date.now()}-${i}`);
	const time = async (f: (i: number) => Promise<unknown>) => {
		const t0 = performance.now();
		for (let i = 0; i < n; i++) await f(i);
		return Math.round(((performance.now() - t0) / n) * 1000) / 1000;
	};
	return {
		newObjectFirstCallMs: await time((i) => processStub(env, ids[i] as string).outboxSize()),
		existingObjectCallMs: await time((i) => processStub(env, ids[i] as string).outboxSize()),
		d1QueryMs: await time(() => env.DB.prepare("SELECT 1").first()),
	};
}

export default {
	async fetch(request, env, ctx) {
		const url = new URL(request.url);
		if (!url.pathname.startsWith("/__bench/")) return baton.fetch(request, env, ctx);
		if (url.pathname === "/__bench/migrate") {
			const statements = (await request.json()) as string[];
			await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
			return Response.json({ ok: true });
		}
		if (url.pathname === "/__bench/publish") {
			const def = (await request.json()) as WorkflowDefinition;
			const published = await publishWorkflow(env.DB, def, {
				now: Date.now(),
				publishedBy: "bench",
			});
			return Response.json(published);
		}
		if (url.pathname === "/__bench/probe") {
			return Response.json(await probe(env));
		}
		if (url.pathname === "/__bench/run") {
			return Response.json(await run(env, (await request.json()) as RunRequest));
		}
		if (url.pathname === "/__bench/meter") {
			const { reset } = (await request.json()) as { reset?: boolean };
			return Response.json(meterSnapshot(reset === true));
		}
		if (url.pathname === "/__bench/events") {
			return Response.json(await runEvents(env, (await request.json()) as EventRequest));
		}
		if (url.pathname === "/__bench/collect") {
			return Response.json(await collect(env, ((await request.json()) as { name: string }).name));
		}
		return new Response("not found", { status: 404 });
	},
	async queue(batch, env, ctx) {
		countWorkerRequest();
		const metered = meterBatch(batch);
		await baton.queue(metered.batch, meterEnv(env), ctx);
		metered.done();
	},
} satisfies ExportedHandler<Env>;
