// One Durable Object per process: a thin shell that loads the state, runs the engine's `step`, and
// writes state, history and outbox in one transaction before answering (G7). Sending happens after
// the commit, from the outbox, right away and again from the alarm until it succeeds (G6).
import { DurableObject } from "cloudflare:workers";
import {
	type Command,
	type CompiledWorkflow,
	createProcess,
	dueWork,
	EngineError,
	type HistoryEvent,
	isProcessFinished,
	migrateProcess,
	nextWakeAt,
	type ProcessState,
	step,
	toErrorData,
	type WorkflowDefinition,
} from "../engine/index.ts";
import { AlarmClock } from "./alarm-clock.ts";
import { compiledWorkflow } from "./compiled-workflows.ts";
import { LiveStreams } from "./live.ts";
import { type DrainContext, drainOutbox } from "./outbox-drain.ts";
import { messagesFor } from "./outbox-messages.ts";
import {
	type Answer,
	type CreateProcessInput,
	MAX_BATCH,
	type MigrateAnswer,
	type MigrateInput,
	type ProcessRpc,
	type Removal,
} from "./process-rpc.ts";
import { ProcessStore, type StoredEvent } from "./process-store.ts";
import { describeProcess, type ProcessView } from "./process-view.ts";
import { changedTaskIds, indexMayWait, isSameState } from "./step-changes.ts";

export type { Answer, CreateProcessInput, Removal } from "./process-rpc.ts";
export type { ProcessView } from "./process-view.ts";

interface Loaded {
	workflow: CompiledWorkflow;
	definition: WorkflowDefinition;
	state: ProcessState;
	revision: number;
	startedBy: string | null;
}

export class ProcessObject extends DurableObject<Env> implements ProcessRpc {
	private readonly store: ProcessStore;
	private loaded: Loaded | undefined;
	private draining: Promise<void> | undefined;
	private failedDrains = 0;
	private readonly alarmClock: AlarmClock;
	/** The open SSE streams of process pages watching this process (live.ts). */
	private readonly live = new LiveStreams();
	/**
	 * Set once `removeStorage` has deleted the tables: this instance then answers as for a process
	 * that does not exist, rather than querying tables that are gone. A fresh instance starts over.
	 */
	private removed = false;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.store = new ProcessStore(ctx.storage.sql);
		this.alarmClock = new AlarmClock(ctx.storage);
	}

	/**
	 * S1 + S2 in one round trip: creates the process, pinned to `definition` (or finds it, S3), and
	 * starts it. Both writes share the object's next commit, and the start is keyed, so a repeated
	 * call answers as the first.
	 */
	async createAndStart(input: CreateProcessInput): Promise<Answer> {
		const created = this.createNow(input);
		if (!created.ok) return created;
		return this.answerAfterCommit(this.commit({ type: "StartProcess" }, "start"));
	}

	/** S1: the process, PENDING; creating it again on the same version is a no-op. */
	private createNow(input: CreateProcessInput): Answer {
		if (this.removed) {
			return {
				ok: false,
				error: { code: "conflict", message: `process ${input.processId} was removed` },
			};
		}
		const existing = this.current();
		if (existing) {
			const same =
				existing.state.workflow.key === input.definition.key &&
				existing.state.workflow.version === input.definition.version;
			return same
				? { ok: true, revision: existing.revision }
				: { ok: false, error: { code: "conflict", message: `process ${input.processId} exists` } };
		}
		const now = Date.now();
		let workflow: CompiledWorkflow;
		let state: ProcessState;
		try {
			workflow = compiledWorkflow(input.definition);
			// S1 checks the params against the start form (T10): a refused start creates nothing.
			state = createProcess(workflow, { ...input, id: input.processId }, { now });
		} catch (e) {
			if (e instanceof EngineError) return { ok: false, error: toErrorData(e) };
			throw e;
		}
		const startedBy = input.startedBy ?? null;
		const created: HistoryEvent = { type: "ProcessCreated", at: now };
		if (startedBy) created.actor = startedBy;
		this.transaction(() => {
			this.store.insert(input.definition, state, startedBy);
			this.store.appendEvents([created], 1);
			this.store.enqueue([{ kind: "index", taskIds: [] }], now);
		});
		this.loaded = { workflow, definition: input.definition, state, revision: 1, startedBy };
		return { ok: true, revision: 1 };
	}

	/** Runs one engine command. With a `key`, a repeated command returns the first answer (S3). */
	async execute(command: Command, key?: string): Promise<Answer> {
		return this.answerAfterCommit(this.commit(command, key));
	}

	/** `execute`, and the view after the commit in the same round trip. */
	async act(command: Command, key?: string): Promise<{ answer: Answer; view: ProcessView | null }> {
		const answer = this.commit(command, key);
		const loaded = this.current();
		return this.answerAfterCommit({ answer, view: loaded ? describeProcess(loaded) : null });
	}

	/**
	 * Several commands in one round trip, applied in order as `execute` would apply each (its own
	 * transaction, key and answer); their writes share the object's next commit. The queue consumer
	 * sends the claims, and then the outcomes, of one batch's messages for a process this way.
	 */
	async executeBatch(commands: { command: Command; key?: string }[]): Promise<Answer[]> {
		if (commands.length > MAX_BATCH) {
			throw new Error(`at most ${MAX_BATCH} commands per batch, got ${commands.length}`);
		}
		return this.answerAfterCommit(commands.map(({ command, key }) => this.commit(command, key)));
	}

	/**
	 * O2: the engine plans the move from the pinned version to `definition` on the current state; a
	 * dry run stops there, so it shows what applying would do. Applied, the new state, the new pinned
	 * definition, the history and the outbox (revocations, the index) share one transaction.
	 */
	async migrate(input: MigrateInput): Promise<MigrateAnswer> {
		const loaded = this.current();
		if (!loaded) return { ok: false, error: { code: "not_found", message: "no such process" } };
		let to: CompiledWorkflow;
		try {
			to = compiledWorkflow(input.definition);
		} catch (e) {
			if (e instanceof EngineError) return { ok: false, error: toErrorData(e) };
			throw e;
		}
		const now = Date.now();
		const outcome = migrateProcess(
			loaded.workflow,
			to,
			loaded.state,
			input.mapping,
			{ now },
			input.actor,
		);
		if (!outcome.ok || input.dryRun) {
			return { ok: true, migrated: false, plan: outcome.plan, revision: loaded.revision };
		}
		const revision = loaded.revision + 1;
		this.transaction(() => {
			this.store.flushSent();
			this.store.saveState(outcome.state, revision);
			this.store.saveDefinition(input.definition);
			this.store.appendEvents(outcome.events, revision);
			this.store.enqueue(
				[
					...messagesFor(outcome.state.id, outcome.effects),
					{ kind: "index", taskIds: outcome.state.tasks.map((t) => t.id) },
				],
				now,
			);
		});
		this.loaded = {
			...loaded,
			workflow: to,
			definition: input.definition,
			state: outcome.state,
			revision,
		};
		this.live.notify(revision, isProcessFinished(outcome.state));
		return this.answerAfterCommit({ ok: true, migrated: true, plan: outcome.plan, revision });
	}

	async view(): Promise<ProcessView | null> {
		const loaded = this.current();
		if (!loaded) return null;
		await this.watchdog();
		return describeProcess(loaded);
	}

	/** The live-update stream of a process page; the Worker checks the viewer before forwarding. */
	override async fetch(request: Request): Promise<Response> {
		const loaded = this.current();
		const isFinished = !loaded || isProcessFinished(loaded.state);
		return this.live.connect(request, loaded?.revision ?? 0, isFinished);
	}

	async history(afterSeq = 0, limit = 500): Promise<StoredEvent[]> {
		return this.store.events(afterSeq, limit);
	}

	/** Whether messages are still waiting to be sent (for tests and the consistency checker). */
	async outboxSize(): Promise<number> {
		return this.store.pending(1000).length;
	}

	async removeStorage(): Promise<Removal> {
		if (this.removed) return { ok: true, existed: false };
		const loaded = this.current();
		if (loaded && !isProcessFinished(loaded.state)) {
			return {
				ok: false,
				error: { code: "not_running", message: "The process has not finished." },
			};
		}
		// A finished process may still owe the index its last write; removing it first would let that
		// write land after the sweep deleted the index rows.
		if (this.store.hasPending()) {
			return { ok: false, error: { code: "conflict", message: "The outbox is not drained yet." } };
		}
		await this.ctx.storage.deleteAlarm();
		await this.ctx.storage.deleteAll();
		this.removed = true;
		this.loaded = undefined;
		this.live.notify(loaded?.revision ?? 0, true);
		return { ok: true, existed: loaded !== undefined };
	}

	/** Test-only: the next `times` passes through `point` throw, as a crash would (G6). */
	async armFault(point: string, times = 1): Promise<void> {
		if (this.env.FAULT_INJECTION !== "on") throw new Error("fault injection is disabled");
		this.store.armFault(point, times);
	}

	/**
	 * Runs what the engine says is due (timers, expired leases, unclaimed dispatches past their
	 * deadline) and drains the outbox; then re-arms itself.
	 */
	override async alarm(): Promise<void> {
		this.alarmClock.fired();
		const loaded = this.current();
		if (!loaded) return;
		try {
			// The engine says what is due: timers, expired leases, lost dispatches (T13).
			for (const { command, key } of dueWork(loaded.state, Date.now())) this.commit(command, key);
			if (this.takeFault("alarm")) throw new Error("injected fault");
			await this.drain(true);
			if (!this.store.hasPending()) this.store.flushSent();
		} catch (e) {
			this.failedDrains++;
			console.error(
				JSON.stringify({
					level: "error",
					processId: loaded.state.id,
					where: "alarm",
					error: String(e),
				}),
			);
		}
		await this.rearm();
	}

	private current(): Loaded | undefined {
		if (this.removed) return undefined;
		if (this.loaded) return this.loaded;
		const stored = this.store.load();
		if (!stored) return undefined;
		this.loaded = { ...stored, workflow: compiledWorkflow(stored.definition) };
		return this.loaded;
	}

	/** The transaction: step, then state + events + outbox (+ the answer under its key) together. */
	private commit(command: Command, key?: string): Answer {
		const now = Date.now();
		let next: Loaded | undefined;
		const answer = this.transaction((): Answer => {
			this.store.flushSent();
			if (key !== undefined) {
				const prior = this.store.answerFor<Answer>(key);
				if (prior) return prior;
			}
			const loaded = this.current();
			if (!loaded) return { ok: false, error: { code: "not_found", message: "no such process" } };
			const outcome = step(loaded.workflow, loaded.state, command, { now });
			let result: Answer;
			if (!outcome.ok) {
				result = { ok: false, error: outcome.error };
			} else if (
				outcome.events.length === 0 &&
				outcome.effects.length === 0 &&
				isSameState(loaded.state, outcome.state)
			) {
				result = { ok: true, revision: loaded.revision, reply: outcome.reply };
			} else {
				const revision = loaded.revision + 1;
				this.store.saveState(outcome.state, revision);
				this.store.appendEvents(outcome.events, revision);
				this.store.enqueue(
					[
						...messagesFor(outcome.state.id, outcome.effects),
						{
							kind: "index",
							taskIds: changedTaskIds(loaded.state, outcome.state),
							...(indexMayWait(command, outcome) ? { lazy: true } : {}),
						},
					],
					now,
				);
				next = { ...loaded, state: outcome.state, revision };
				result = { ok: true, revision, reply: outcome.reply };
			}
			if (key !== undefined) this.store.rememberAnswer(key, result, now);
			return result;
		});
		if (next) {
			this.loaded = next;
			this.live.notify(next.revision, isProcessFinished(next.state));
		}
		return answer;
	}

	/** One SQLite transaction; when it rolls back, the store's copy of the outbox is dropped too. */
	private transaction<T>(fn: () => T): T {
		try {
			return this.ctx.storage.transactionSync(fn);
		} catch (e) {
			this.store.forgetOutbox();
			throw e;
		}
	}

	/**
	 * G7 needs only the commit: the answer leaves once the step and the alarm that guards its outbox
	 * are written (the output gate holds it until they are durable, G6), and the sends go on after
	 * it, in waitUntil. A page or a consumer waits for the commit, not for the queue, D1 and the
	 * other processes.
	 */
	private async answerAfterCommit<T>(answer: T): Promise<T> {
		if (this.takeFault("after-commit-before-send")) throw new Error("injected fault");
		if (this.store.hasPending()) await this.alarmClock.armSafetyNet(Date.now());
		this.ctx.waitUntil(this.afterCommit());
		return answer;
	}

	/** Arms the alarm as a safety net before sending, so a crash mid-send is recovered (G6). */
	private async afterCommit(): Promise<void> {
		if (this.store.hasPending()) {
			await this.alarmClock.armSafetyNet(Date.now());
			try {
				await this.drain();
			} catch (e) {
				this.failedDrains++;
				console.error(
					JSON.stringify({
						level: "warn",
						processId: this.loaded?.state.id,
						where: "drain",
						error: String(e),
					}),
				);
			}
		}
		// Nothing else pending: no next step to carry the sent rows' DELETE.
		if (!this.store.hasPending()) this.store.flushSent();
		await this.rearm();
	}

	/**
	 * Sends the outbox. When a drain is already running (this call came in while it awaited a send,
	 * e.g. a child answering its parent), it returns at once: the running loop re-reads the outbox
	 * before it ends, and awaiting it here would deadlock the two processes.
	 */
	private async drain(flushIndex = false): Promise<void> {
		if (this.draining) return;
		const context: DrainContext = {
			flushIndex,
			env: this.env,
			store: this.store,
			loaded: () => this.current(),
			execute: (command, key) => Promise.resolve(this.commit(command, key)),
			fault: (point) => {
				if (this.takeFault(point)) throw new Error("injected fault");
			},
			lose: (point) => this.takeFault(point),
		};
		this.draining = drainOutbox(context);
		try {
			await this.draining;
			this.failedDrains = 0;
		} finally {
			this.draining = undefined;
		}
	}

	/** Watchdog: pending work with no alarm (a lost reschedule) is re-armed on any request. */
	private async watchdog(): Promise<void> {
		const alarm = await this.alarmClock.reread();
		if (alarm === null && (this.store.hasPending() || this.wakeAt() !== undefined))
			await this.rearm();
	}

	private wakeAt(): number | undefined {
		const loaded = this.current();
		return loaded ? nextWakeAt(loaded.state) : undefined;
	}

	private async rearm(): Promise<void> {
		await this.alarmClock.plan(
			Date.now(),
			this.store.hasPending(),
			this.failedDrains,
			this.wakeAt(),
		);
	}

	private takeFault(point: string): boolean {
		return (
			this.env.FAULT_INJECTION === "on" &&
			this.ctx.storage.transactionSync(() => this.store.takeFault(point))
		);
	}
}
