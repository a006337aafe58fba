// The Worker entry: HTTP through Hono, task messages through the queue consumers, scheduled starts
// and the retention sweep through the Cron Trigger, and the Durable Object classes workerd
// instantiates: one per process, per external task type's board, per message name and key, per person's live inbox.
import { app } from "./http/app.ts";
import { tellMentionedPeople } from "./notifications/comment-mentions.ts";
import { consumeNotifications } from "./notifications/consumer.ts";
import { sweepDueTasks } from "./notifications/due-sweep.ts";
import { sendFromTask } from "./notifications/task-mail.ts";
import { consumeOperations, restartStalledBulk } from "./processes/bulk.ts";
import { consumeTasks } from "./queue/consumer.ts";
import { consumeDeadLetters } from "./queue/dead-letters.ts";
import { sweepExpiredProcesses } from "./retention/sweep.ts";
import { runScheduledTick } from "./schedules/tick.ts";
import { provideEmailSender } from "./tasks/email.ts";
import { taskCatalog } from "./tasks/registry.ts";

export { ProcessObject } from "./durable/process-object.ts";
export { TaskBoard } from "./external/task-board.ts";
export { Tasklist } from "./inbox-live/tasklist.ts";
export { MessageBox } from "./messages/message-box.ts";

// The `email` task type sends through the EMAIL binding; task code gets no env, so it is handed in.
provideEmailSender(sendFromTask);
// People mentioned in a comment are told (docs/notifications.md).
tellMentionedPeople();

export default {
	fetch: app.fetch,
	async queue(batch, env, ctx) {
		if (batch.queue === "baton-operations") await consumeOperations(batch, env);
		else if (batch.queue.startsWith("baton-notify")) await consumeNotifications(batch, env);
		else if (batch.queue.endsWith("-dlq")) await consumeDeadLetters(batch, env);
		else await consumeTasks(batch, env, taskCatalog, ctx);
	},
	// Q1: the Cron Trigger ticks every minute. A tick that runs late judges lateness (Q2) by when
	// it runs, not by when it was due.
	// The retention sweep (bounded per tick) and the watchdog of bulk actions (it resends the chunk
	// of an operation that stopped moving) ride the same tick; none waits on or stops another, and
	// a failure of any still fails the invocation for the operator to see.
	async scheduled(controller, env) {
		const now = Math.max(controller.scheduledTime, Date.now());
		const outcomes = await Promise.allSettled([
			runScheduledTick(env, now),
			sweepExpiredProcesses(env, now),
			restartStalledBulk(env, now),
			// Due soon and overdue notices (docs/notifications.md), sent once each.
			sweepDueTasks(env, now),
		]);
		for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
	},
} satisfies ExportedHandler<Env>;
