// One Durable Object per external task type (K1): where the attempts offered to that type's workers
// wait, and where a worker's poll waits for them, so that many workers poll without reading D1 and
// a ready attempt reaches a waiting poll at once. The process stays the judge of every claim (G3):
// the board only proposes candidates and asks. docs/architecture.md, "External tasks".
import { DurableObject } from "cloudflare:workers";
import { AlarmClock } from "../durable/alarm-clock.ts";
import { processStub } from "../durable/process-client.ts";
import type { Answer } from "../durable/process-rpc.ts";
import type { ClaimReply } from "../engine/index.ts";
import { BoardStore } from "./board-store.ts";
import {
	type BoardContents,
	type BoardFetch,
	idempotencyKeyOf,
	type LockedTask,
	MAX_WAIT_MS,
	type Offer,
	type TaskBoardRpc,
} from "./external-task.ts";

/**
 * A claim answered `busy`: someone holds the lock. When it lapses, the process offers a new attempt
 * (which replaces this one); when the holder finishes, the next ask answers `finished`. Until then
 * asking again is wasted, so the offer rests this long.
 */
export const BUSY_RECHECK_MS = 30_000;
/**
 * A claim answered `suspended` (O1): nobody may run the task until an admin resumes the process,
 * which does not offer it again, so the board keeps the offer and asks again after this long.
 */
export const SUSPENDED_RECHECK_MS = 60_000;
/** A process that could not be reached is asked again after this long. */
export const UNREACHABLE_RECHECK_MS = 1_000;
/** The most polls that wait on one board at once; more are answered at once with nothing. */
export const MAX_WAITING_POLLS = 1_000;

export class TaskBoard extends DurableObject<Env> implements TaskBoardRpc {
	private readonly store: BoardStore;
	private readonly alarmClock: AlarmClock;
	/** The waiting polls, each woken by calling it. */
	private readonly waiting = new Set<() => void>();
	/** Offers a fetch is asking their process about right now: another fetch must not pick them. */
	private readonly claiming = new Set<string>();

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.store = new BoardStore(ctx.storage.sql);
		this.alarmClock = new AlarmClock(ctx.storage);
	}

	/** K1: an attempt is offered; waiting polls learn of it at once, or when its backoff ends. */
	async offer(taskType: string, offer: Offer): Promise<void> {
		this.store.rememberTaskType(taskType);
		this.store.offer(offer);
		if (offer.availableAt <= Date.now()) this.wakeAll();
		await this.rearm();
	}

	/** K1: a revoked task, or one of a process that ended, is no longer offered. */
	async withdraw(taskId: string): Promise<void> {
		this.store.withdraw(taskId);
	}

	/**
	 * Up to `max` ready attempts, best first, each claimed from its process for this worker. Those
	 * the process no longer offers (stale, finished) are dropped and the next ones asked, so a full
	 * answer is given whenever enough work is ready.
	 */
	async fetchAndLock(taskType: string, request: BoardFetch): Promise<LockedTask[]> {
		this.store.rememberTaskType(taskType);
		const locked: LockedTask[] = [];
		while (locked.length < request.max) {
			const candidates = this.store.ready(Date.now(), request.max - locked.length, this.claiming);
			if (candidates.length === 0) break;
			for (const c of candidates) this.claiming.add(c.taskId);
			try {
				const claimed = await Promise.all(candidates.map((c) => this.claim(taskType, c, request)));
				for (const task of claimed) if (task) locked.push(task);
			} finally {
				for (const c of candidates) this.claiming.delete(c.taskId);
			}
		}
		await this.rearm();
		return locked;
	}

	async waitForWork(waitMs: number): Promise<boolean> {
		if (this.store.ready(Date.now(), 1, this.claiming).length > 0) return true;
		const wait = Math.min(Math.max(0, waitMs), MAX_WAIT_MS);
		if (wait === 0 || this.waiting.size >= MAX_WAITING_POLLS) return false;
		return new Promise<boolean>((resolve) => {
			const end = (woken: boolean) => {
				clearTimeout(timer);
				this.waiting.delete(wake);
				resolve(woken);
			};
			const wake = () => end(true);
			const timer = setTimeout(() => end(false), wait);
			this.waiting.add(wake);
		});
	}

	async contents(): Promise<BoardContents> {
		return this.store.contents(this.waiting.size);
	}

	/** An offer's backoff ended (or a deferred one may be asked again): the waiting polls go. */
	override async alarm(): Promise<void> {
		this.alarmClock.fired();
		this.wakeAll();
		await this.rearm();
	}

	/**
	 * Every waiting poll is woken, not just one: a woken poll claims in a call of its own, and one
	 * whose client went away never makes it, so waking one would leave the work waiting for the
	 * next poll. The losers find nothing and wait again, which costs the board a lookup each.
	 */
	private wakeAll(): void {
		for (const wake of [...this.waiting]) wake();
	}

	/**
	 * G3: the process decides. `run` hands the attempt out; `stale` or `finished` drop it; `busy`
	 * (a lock held) and `suspended` (O1) rest it. The claim is not keyed: a second claim of one
	 * attempt must be answered `busy`, never handed out twice.
	 */
	private async claim(
		taskType: string,
		offer: Offer,
		request: BoardFetch,
	): Promise<LockedTask | undefined> {
		const lockedFrom = Date.now();
		let answer: Answer;
		try {
			answer = await processStub(this.env, offer.processId).execute({
				type: "ClaimTask",
				taskId: offer.taskId,
				attempt: offer.attempt,
				lockMs: request.lockMs,
				worker: request.worker,
			});
		} catch (e) {
			console.error(
				JSON.stringify({ level: "warn", where: "task-board", taskType, error: String(e) }),
			);
			this.store.defer(offer, Date.now() + UNREACHABLE_RECHECK_MS);
			return undefined;
		}
		if (!answer.ok) {
			// No such process or task: nothing will ever take it. Any other refusal may pass.
			if (answer.error.code === "not_found") this.store.drop(offer);
			else this.store.defer(offer, Date.now() + BUSY_RECHECK_MS);
			return undefined;
		}
		const reply = answer.reply as ClaimReply;
		if (!reply.run) {
			if (reply.reason === "busy") this.store.defer(offer, Date.now() + BUSY_RECHECK_MS);
			// O1: the offer waits out the suspension; the resumed process answers the next ask.
			else if (reply.reason === "suspended") {
				this.store.defer(offer, Date.now() + SUSPENDED_RECHECK_MS);
			} else this.store.drop(offer);
			return undefined;
		}
		this.store.drop(offer);
		return {
			id: offer.taskId,
			processId: offer.processId,
			taskType: reply.taskType,
			attempt: offer.attempt,
			params: reply.params,
			idempotencyKey: idempotencyKeyOf(offer.processId, offer.taskId),
			lockedUntil: lockedFrom + request.lockMs,
		};
	}

	/** The alarm is set to the moment the next resting offer becomes ready, if any. */
	private async rearm(): Promise<void> {
		await this.alarmClock.plan(Date.now(), false, 0, this.store.nextAvailableAt(Date.now()));
	}
}
