// The Worker entry: HTTP through Hono, task messages through the queue consumers, scheduled starts
// and the retention sweep through the Cron Trigger, and the Durable Object classes workerd
// instantiates: one per process, per external task type's board, per message name and key, per person's live inbox.
import { app } from "./http/app.ts";
import { consumeTasks } from "./queue/consumer.ts";
import { consumeDeadLetters } from "./queue/dead-letters.ts";
import { sweepExpiredProcesses } from "./retention/sweep.ts";
import { runScheduledTick } from "./schedules/tick.ts";

export { ProcessObject } from "./durable/process-object.ts";
export { TaskBoard } from "./external/task-board.ts";
export { Tasklist } from "./inbox-live/tasklist.ts";
export { MessageBox } from "./messages/message-box.ts";

export default {
	fetch: app.fetch,
	async queue(batch, env) {
		if (batch.queue.endsWith("-dlq")) await consumeDeadLetters(batch, env);
		else await consumeTasks(batch, env);
	},
	// Q1: the Cron Trigger ticks every minute. A tick that runs late judges lateness (Q2) by when
	// it runs, not by when it was due.
	// The retention sweep (issue #16) rides the same tick, bounded per tick; neither waits on or
	// stops the other, and a failure of either still fails the invocation for the operator to see.
	async scheduled(controller, env) {
		const now = Math.max(controller.scheduledTime, Date.now());
		const outcomes = await Promise.allSettled([
			runScheduledTick(env, now),
			sweepExpiredProcesses(env, now),
		]);
		for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
	},
} satisfies ExportedHandler<Env>;
