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
	/**
	 * How the driver learns a process ended: `push`, its live stream (durable/live.ts); `poll`, a
	 * D1 read of the processes in flight every POLL_MS (the driver before issue #18).
	 */
	completion: "latch" | "push" | "poll";
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
	/**
	 * Per task that is not a start, ms: its creation (the commit of the completion that created
	 * it) → the queue consumer has the job in hand (the answer carrying it, its predecessor's
	 * CompleteTask or its own ClaimTask, has reached the consumer); inline tasks, which run inside
	 * the object's step: → started (~0).
	 */
	latencies: number[];
	/**
	 * How many of `latencies` were timed at each hand-over, and how many from the index's
	 * `started_at` (no hand-over seen: inline tasks; in a queued run, expected 0).
	 */
	latencyFrom: { completion: number; queue: number; index: number };
	/**
	 * Queued tasks, ms, the interval the Workflows peer measures: the completion that created the
	 * task sent by the consumer → the task's job in the consumer's hands (worker/entry.ts).
	 */
	stepLatencies: number[];
	/** Queued start tasks: the process's first commit → the job in the consumer's hands, ms. */
	firstJobLatencies: number[];
	/** Serialised state size (bytes) of a finished process, for the record. */
	stateBytes: number;
	/** Polls of the D1 index while waiting. */
	polls: number;
	/** Instants of the first processes' histories that differ from their index rows (expected 0). */
	historyMismatches: number;
}

/**
 * The "Time and events" scenarios (worker/events.ts):
 * - `timers-one`: one process with `n` timers (multi-instance `wait` nodes), all due at one instant
 *   or spread evenly over `spreadMs`; fired by the ProcessObject's own alarm (W1).
 * - `timers-across`: `processes` processes with `n` timers each, all due at the same instant.
 * - `message-publish`: `n` processes wait (each its own correlation key); a message is published
 *   to each through `publishMessage`, the code path of `POST /api/v1/messages` (N1, N2).
 * - `message-one-key`: the same, every process waiting on one name and key (one MessageBox).
 * - `message-send`: the same waits, fed by a `send` task in another process each (N2).
 * - `message-kept`: the messages are published first and kept; then each process begins to wait.
 */
export type EventScenario =
	| "timers-one"
	| "timers-across"
	| "message-publish"
	| "message-one-key"
	| "message-send"
	| "message-kept";

export interface EventRequest {
	scenario: EventScenario;
	/** Timers per process, or messages per run. */
	n: number;
	/** `timers-across`: the processes; ignored elsewhere. */
	processes: number;
	/** Message scenarios: messages in flight in the loaded run (the unloaded run has one). */
	inFlight: number;
	/** `timers-one`: the due times are spread evenly over this long (0: all at one instant). */
	spreadMs: number;
	/** How far ahead of the run's start the first timer is due: room to create and index them. */
	marginMs: number;
	timeoutMs: number;
}

export interface EventRun {
	/** Timers fired or messages delivered. */
	count: number;
	/** Timers: first due → last firing seen committed; messages: first publish → last delivered. */
	wallMs: number;
	/**
	 * Timers: each timer's firing step minus its due time (`timers-one`), or each process's last
	 * firing seen committed minus the due time (`timers-across`). Messages: each message's latency.
	 */
	latencies: number[];
}

export interface EventResult {
	/** Timers: the one run. Messages: one message in flight at a time. */
	unloaded: EventRun;
	/** Messages only: `inFlight` messages in flight. */
	loaded?: EventRun;
	/** Scenario-specific figures (ms unless named otherwise). */
	extra: Record<string, number>;
}

/** The billed operations the bench worker counted (worker/meter.ts says how). */
export interface Counts {
	workerRequests: number;
	doRequests: number;
	doAlarms: number;
	/** ms of wall clock with a request in progress, summed over objects. */
	doActiveMs: number;
	doRowsRead: number;
	doRowsWritten: number;
	d1Queries: number;
	d1RowsRead: number;
	d1RowsWritten: number;
	queueWrites: number;
	queueReads: number;
	queueDeletes: number;
	r2ClassA: number;
	r2ClassB: number;
}
