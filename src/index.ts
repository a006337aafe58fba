// The Worker entry: HTTP through Hono, task messages through the queue consumers, and the
// ProcessObject class that workerd instantiates once per process.
import { app } from "./http/app.ts";
import { consumeTasks } from "./queue/consumer.ts";
import { consumeDeadLetters } from "./queue/dead-letters.ts";

export { ProcessObject } from "./durable/process-object.ts";
export { MessageBox } from "./messages/message-box.ts";

export default {
	fetch: app.fetch,
	async queue(batch, env) {
		if (batch.queue.endsWith("-dlq")) await consumeDeadLetters(batch, env);
		else await consumeTasks(batch, env);
	},
} satisfies ExportedHandler<Env>;
