// One Durable Object per person: the live inbox. Their open inbox pages keep a server-sent-event
// stream here and hear `tasks-changed` whenever a task of theirs or of their roles' queues was
// created, assigned, claimed or ended (announce.ts sends it after the D1 index holds the change);
// the page then fetches its results through the Worker, where the filters and rights apply.
// A task submit may also wait here briefly for the person's next task of the same process.
// Streams live in the object, never in Worker globals; an open stream keeps the object awake,
// hence the keep-alive of EventStreams (src/durable/live.ts), shared with the process page.
import { DurableObject } from "cloudflare:workers";
import { EventStreams, sseFrame } from "../durable/live.ts";
import { isNextFor, type TaskChange } from "./changes.ts";

/** How long an announcement is remembered for a submit that starts waiting just after it. */
const RECENT_MS = 15_000;
/** The longest a submit may wait for its next task. */
export const MAX_WAIT_MS = 5_000;

interface Waiter {
	processId: string;
	exceptTaskId: string;
	user: { id: string; roles: string[] };
	resolve(taskId: string | null): void;
}

export class Tasklist extends DurableObject<Env> {
	private readonly streams = new EventStreams();
	private readonly waiters = new Set<Waiter>();
	/** The latest announcement of each task, for RECENT_MS. */
	private readonly recent = new Map<string, { at: number; change: TaskChange }>();
	/** Counts announcements; a reconnecting page says which one it saw (`Last-Event-ID`). */
	private sequence = 0;

	/** GET: a new event stream for an inbox page. */
	override async fetch(_request: Request): Promise<Response> {
		// Tells the page it is connected; it refetches in case a change fell between render and now.
		return this.streams.open([sseFrame("tasks-changed", String(this.sequence))]);
	}

	/** The open inbox pages of this person (for tests). */
	async watching(): Promise<number> {
		return this.streams.size;
	}

	/** Tasks of this person or their roles changed: every open page hears it, waiting submits check. */
	async announce(changes: TaskChange[]): Promise<void> {
		if (changes.length === 0) return;
		this.sequence += 1;
		const now = Date.now();
		for (const [taskId, r] of this.recent) if (now - r.at >= RECENT_MS) this.recent.delete(taskId);
		for (const change of changes) this.recent.set(change.taskId, { at: now, change });
		const frame = sseFrame("tasks-changed", String(this.sequence), this.sequence);
		this.streams.broadcast(frame);
		for (const waiter of [...this.waiters]) {
			const next = changes.find(
				(c) =>
					c.processId === waiter.processId &&
					c.taskId !== waiter.exceptTaskId &&
					isNextFor(c, waiter.user),
			);
			if (next) waiter.resolve(next.taskId);
		}
	}

	/**
	 * After a submit of `exceptTaskId`: another task of `processId` this user could work on, as last
	 * announced in the past RECENT_MS or within `timeoutMs` from now; null when none came. The
	 * announcement may precede the call (the process's outbox drains while the submit answer travels
	 * back), hence the recent ones; each task's latest announcement counts (a task claimed by
	 * someone else since is no longer offered).
	 */
	async waitForNextTask(
		processId: string,
		exceptTaskId: string,
		user: { id: string; roles: string[] },
		timeoutMs: number,
	): Promise<string | null> {
		for (const { change } of this.recent.values()) {
			const isNext =
				change.processId === processId && change.taskId !== exceptTaskId && isNextFor(change, user);
			if (isNext) return change.taskId;
		}
		return new Promise<string | null>((resolve) => {
			const waiter: Waiter = {
				processId,
				exceptTaskId,
				user,
				resolve: (taskId) => {
					clearTimeout(timer);
					this.waiters.delete(waiter);
					resolve(taskId);
				},
			};
			const timer = setTimeout(() => waiter.resolve(null), Math.min(timeoutMs, MAX_WAIT_MS));
			this.waiters.add(waiter);
		});
	}
}

/** The live inbox of one person. */
export function tasklistOf(env: Env, userId: string): DurableObjectStub<Tasklist> {
	return env.TASKLISTS.getByName(userId);
}
