// Which task queue a process's jobs go to. One queue carries about 5,000 messages/s, so the jobs
// are spread over TASK_QUEUE_SHARDS queues (`baton-tasks`, `baton-tasks-1`, …; docs/architecture.md):
// each process always to the same one, by a hash of its id, so its jobs keep their order.

/** The producer bindings of the shards, in order; wrangler.toml declares each with its consumer. */
export const TASK_QUEUE_BINDINGS = ["TASKS", "TASKS_1", "TASKS_2", "TASKS_3"] as const;

/**
 * The number of shards in use: TASK_QUEUE_SHARDS (default 1), at most the bindings declared. Change
 * it only with the queues drained or not at all: a process moved to another shard mid-run is still
 * correct (every delivery is judged by its claim, G3), but its jobs lose their order for a moment.
 */
export function taskQueueShards(env: Env): number {
	const n = Number.parseInt(env.TASK_QUEUE_SHARDS ?? "1", 10);
	if (!Number.isInteger(n) || n < 1) return 1;
	return Math.min(n, TASK_QUEUE_BINDINGS.length);
}

/** The shard of a process: FNV-1a of its id, modulo the shards in use. */
export function taskQueueShard(processId: string, shards: number): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < processId.length; i++) {
		hash ^= processId.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0) % shards;
}

/** The queue a process's jobs are sent to. */
export function taskQueueFor(env: Env, processId: string): Queue {
	const binding = TASK_QUEUE_BINDINGS[taskQueueShard(processId, taskQueueShards(env))] ?? "TASKS";
	const queue = env[binding];
	if (!queue) throw new Error(`TASK_QUEUE_SHARDS names the queue binding ${binding}, not declared`);
	return queue;
}
