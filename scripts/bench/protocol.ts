// What the bench driver (baton.ts, in Node) and the bench worker (worker/entry.ts) exchange.

export interface RunRequest {
	workflowKey: string;
	/** Processes to run; they are named `name` so the count of finished ones can be read from D1. */
	n: number;
	name: string;
	/** At most this many processes started and not finished. */
	inFlight: number;
	/** Start nodes: their tasks have no "completion → running" latency. */
	startNodes: string[];
	/** Give up after this long. */
	timeoutMs: number;
}

export interface RunResult {
	n: number;
	finished: number;
	succeeded: number;
	/** Tasks completed (TaskSucceeded events) across the processes. */
	steps: number;
	/** First start request → last ProcessSucceeded, from the histories (ms, workerd clock). */
	wallMs: number;
	/** Start request sent → ProcessSucceeded, per process. */
	processMs: number[];
	/** Task created (its predecessor's completion committed) → task started (claimed), ms. */
	latencies: number[];
	/** Serialised state size (bytes) of a finished process, for the record. */
	stateBytes: number;
	/** Polls of the D1 index while waiting. */
	polls: number;
	/** Instants of the first processes' histories that differ from their index rows (expected 0). */
	historyMismatches: number;
}
