// The Cloudflare Workflows peer of `npm run bench`: the three workloads of workloads.ts as
// `WorkflowEntrypoint`s (a `step.do` per task, `Promise.all` for parallel branches, the loop as a
// loop), run by the same local workerd (Miniflare's Workflows engine) as Baton, and the driver
// that starts them, `inFlight` at a time, from inside the Worker. Bundled and run by
// scripts/bench/workflows.ts. Never deployed.
//
// Completion is pushed, not polled: a workflow's last act is an RPC to the run's Latch (a Durable
// Object) with the instants of its steps; the driver waits on `latch.next()`, which answers as
// soon as an instance has reported. Polling `instance.status()` costs Workflows 10–25 % of its
// throughput here (issue #18), and the bench would measure the polling.
import {
	DurableObject,
	WorkflowEntrypoint,
	type WorkflowEvent,
	type WorkflowStep,
} from "cloudflare:workers";

interface WfEnv {
	CONFERENCE: Workflow<Params>;
	FANOUT20: Workflow<Params>;
	CHAIN50: Workflow<Params>;
	LATCH: DurableObjectNamespace<Latch>;
}

interface Params {
	/** The run (and so the latch) this instance reports to. */
	run: string;
}

/** One task's run: when its step began and ended (returned by the step, so replay keeps it). */
interface TaskRun {
	node: string;
	startedAt: number;
	completedAt: number;
}

interface Done {
	id: string;
	at: number;
	runs: TaskRun[];
}

/** The work of every task: none (the workloads measure orchestration, as Baton's `dummy`). */
function task(step: WorkflowStep, node: string, name = node): Promise<TaskRun> {
	return step.do(name, async () => {
		const t = Date.now();
		return { node, startedAt: t, completedAt: Date.now() };
	});
}

abstract class BenchFlow extends WorkflowEntrypoint<WfEnv, Params> {
	protected abstract tasks(step: WorkflowStep): Promise<TaskRun[]>;
	override async run(event: WorkflowEvent<Params>, step: WorkflowStep): Promise<void> {
		const runs = await this.tasks(step);
		// Outside any step: a replay after a restart would report again, and the latch counts an
		// instance once.
		await this.env.LATCH.getByName(event.payload.run).done({
			id: event.instanceId,
			at: Date.now(),
			runs,
		});
	}
}

/** The automated conference: 14 tasks, two starts, AND joins, three channels, the loop ×2. */
export class ConferenceFlow extends BenchFlow {
	protected async tasks(step: WorkflowStep): Promise<TaskRun[]> {
		const runs: TaskRun[] = [];
		const [cfp, location] = await Promise.all([
			task(step, "call_for_papers"),
			task(step, "search_location"),
		]);
		runs.push(cfp, location);
		runs.push(await task(step, "collect_papers"));
		runs.push(await task(step, "publicize"));
		runs.push(
			...(await Promise.all([
				task(step, "mailing"),
				task(step, "newspapers"),
				task(step, "poster"),
			])),
		);
		// The OR join re-entered by the loop: subscriptions, then the wait, three times in all.
		for (let round = 0; round < 3; round++) {
			runs.push(await task(step, "receive_subscriptions", `receive_subscriptions-${round}`));
			runs.push(await task(step, "wait_starting_day", `wait_starting_day-${round}`));
		}
		runs.push(await task(step, "start_conference"));
		return runs;
	}
}

/** A task, 20 in parallel, a last task: 22 tasks. */
export class Fanout20Flow extends BenchFlow {
	protected async tasks(step: WorkflowStep): Promise<TaskRun[]> {
		const runs = [await task(step, "fork")];
		runs.push(
			...(await Promise.all(Array.from({ length: 20 }, (_, i) => task(step, `b${i + 1}`)))),
		);
		runs.push(await task(step, "gather"));
		return runs;
	}
}

/** 50 tasks in a row. */
export class Chain50Flow extends BenchFlow {
	protected async tasks(step: WorkflowStep): Promise<TaskRun[]> {
		const runs: TaskRun[] = [];
		for (let i = 1; i <= 50; i++) runs.push(await task(step, `c${i}`));
		return runs;
	}
}

/**
 * Where the instances of a run report their end. `next` answers with the reports not yet
 * collected, at once if there are some, else when the next one arrives.
 */
export class Latch extends DurableObject<WfEnv> {
	private seen = new Set<string>();
	private pending: Done[] = [];
	private waiter: ((d: Done[]) => void) | undefined;

	async done(d: Done): Promise<void> {
		if (this.seen.has(d.id)) return;
		this.seen.add(d.id);
		this.pending.push(d);
		const w = this.waiter;
		if (w) {
			this.waiter = undefined;
			w(this.take());
		}
	}

	async next(timeoutMs: number): Promise<Done[]> {
		if (this.pending.length > 0) return this.take();
		return new Promise<Done[]>((resolve) => {
			const timer = setTimeout(() => {
				this.waiter = undefined;
				resolve([]);
			}, timeoutMs);
			this.waiter = (d) => {
				clearTimeout(timer);
				resolve(d);
			};
		});
	}

	private take(): Done[] {
		const out = this.pending;
		this.pending = [];
		return out;
	}
}

export interface WorkflowsRunRequest {
	workload: "conference" | "fanout20" | "chain50";
	n: number;
	name: string;
	inFlight: number;
	timeoutMs: number;
}

export interface WorkflowsRunResult {
	finished: number;
	/** Instances created (each a billed invocation). */
	created: number;
	/** First create requested → last instance's report (ms). */
	wallMs: number;
	/** Create requested → report, per instance. */
	processMs: number[];
	runs: TaskRun[][];
}

async function run(env: WfEnv, req: WorkflowsRunRequest): Promise<WorkflowsRunResult> {
	const binding = { conference: env.CONFERENCE, fanout20: env.FANOUT20, chain50: env.CHAIN50 }[
		req.workload
	];
	const latch = env.LATCH.getByName(req.name);
	const requested = new Map<string, number>();
	const processMs: number[] = [];
	const runs: TaskRun[][] = [];
	let created = 0;
	let finished = 0;
	let lastEnd = 0;
	const t0 = Date.now();
	const deadline = t0 + req.timeoutMs;
	while (finished < req.n && Date.now() < deadline) {
		const room = Math.min(req.n - created, req.inFlight - (created - finished));
		// Creates go out a few at a time, as Baton's starts do.
		for (let i = 0; i < room; i += 8) {
			const k = Math.min(8, room - i);
			await Promise.all(
				Array.from({ length: k }, async () => {
					const at = Date.now();
					const instance = await binding.create({ params: { run: req.name } });
					requested.set(instance.id, at);
				}),
			);
		}
		created += room;
		for (const d of await latch.next(Math.max(1, deadline - Date.now()))) {
			finished++;
			lastEnd = Math.max(lastEnd, d.at);
			processMs.push(d.at - (requested.get(d.id) ?? d.at));
			runs.push(d.runs);
		}
	}
	return { finished, created, wallMs: lastEnd - t0, processMs, runs };
}

export default {
	async fetch(request, env) {
		const url = new URL(request.url);
		if (url.pathname === "/__bench/run") {
			return Response.json(await run(env, (await request.json()) as WorkflowsRunRequest));
		}
		return new Response("not found", { status: 404 });
	},
} satisfies ExportedHandler<WfEnv>;
