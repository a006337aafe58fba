// The bench's "completion → next task" latencies of one run, from the D1 index's task rows and
// the instants the bench worker recorded around Baton's calls (meter.ts). Pure: no platform.

/**
 * How a job reached the queue consumer: in the answer to its predecessor's CompleteTask (claimed
 * with the completion, T14), or in the answer to the ClaimTask of its queue message.
 */
export type HandOver = "completion" | "queue";

/** What meter.ts recorded during a run, by task id. */
export interface JobTimings {
	/** When each task's job first reached the consumer, and how. */
	handedOver: Map<string, { at: number; via: HandOver }>;
	/** When the consumer sent each task's CompleteTask to its process. */
	completionSent: Map<string, number>;
}

/** A task row of the D1 index, as `collect` reads it (instants in ms). */
export interface TaskRow {
	id: string;
	process_id: string;
	node: string;
	created_at: number;
	started_at: number | null;
	ended_at: number | null;
}

export interface TaskLatencies {
	/** Per task that is not a start: created → job in the consumer's hands (inline: → started). */
	latencies: number[];
	/** Per queued task: the completion that created it sent → its job in the consumer's hands. */
	stepLatencies: number[];
	/**
	 * Per start task that went by the queue: the process's first commit → its job in the consumer's
	 * hands (the outbox's send, the queue hop and the claim), which no completion can shorten.
	 */
	firstJobLatencies: number[];
	/** How many of `latencies` were timed at each hand-over, and how many from `started_at`. */
	latencyFrom: { completion: number; queue: number; index: number };
}

/**
 * The latencies of the tasks of whole processes (`rows` holds every task of each process it
 * names). A task's `created_at` is the commit of the completion that created it, so that
 * completion is the one of a task of the same process whose `ended_at` is that instant;
 * completions sent in one round trip may share the millisecond, and the last one sent is taken.
 * A task whose job was never handed to the consumer ran inline (T9), inside the object's step:
 * its `started_at − created_at` (~0) is its latency.
 */
export function taskLatencies(
	rows: TaskRow[],
	startNodes: ReadonlySet<string>,
	timings: JobTimings,
): TaskLatencies {
	const out: TaskLatencies = {
		latencies: [],
		stepLatencies: [],
		firstJobLatencies: [],
		latencyFrom: { completion: 0, queue: 0, index: 0 },
	};
	const sentByEnd = new Map<string, number>();
	for (const t of rows) {
		const sent = timings.completionSent.get(t.id);
		if (t.ended_at === null || sent === undefined) continue;
		const k = `${t.process_id}@${t.ended_at}`;
		sentByEnd.set(k, Math.max(sent, sentByEnd.get(k) ?? sent));
	}
	for (const t of rows) {
		if (t.started_at === null) continue;
		const hand = timings.handedOver.get(t.id);
		if (startNodes.has(t.node)) {
			if (hand) out.firstJobLatencies.push(hand.at - t.created_at);
			continue;
		}
		if (!hand) {
			out.latencies.push(t.started_at - t.created_at);
			out.latencyFrom.index++;
			continue;
		}
		out.latencies.push(hand.at - t.created_at);
		out.latencyFrom[hand.via]++;
		const from = sentByEnd.get(`${t.process_id}@${t.created_at}`);
		if (from !== undefined) out.stepLatencies.push(hand.at - from);
	}
	return out;
}
