// The dead-letter consumer: a task message that could not be handled after every redelivery
// becomes a visible incident on its task, never a silent drop (G8).
import { processStub } from "../durable/process-client.ts";
import { taskMessageSchema } from "./messages.ts";

export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
	for (const message of batch.messages) {
		const parsed = taskMessageSchema.safeParse(message.body);
		if (!parsed.success) {
			console.log(
				JSON.stringify({
					level: "error",
					where: "dlq",
					error: "malformed message",
					body: message.body,
				}),
			);
			message.ack();
			continue;
		}
		const m = parsed.data;
		try {
			await processStub(env, m.processId).execute(
				{
					type: "RecordIncident",
					taskId: m.taskId,
					kind: "dead_letter",
					message: `The ${m.type === "run" ? `run of attempt ${m.attempt}` : "revoke hook"} could not be delivered after every retry.`,
				},
				`dead-letter:${m.type}:${m.taskId}:${m.attempt}`,
			);
			message.ack();
		} catch (e) {
			console.log(JSON.stringify({ level: "warn", where: "dlq", ...m, error: String(e) }));
			message.retry({ delaySeconds: 30 });
		}
	}
}
