// The `baton-notify` queue's consumer: records the notices an event calls for and queues a flush
// per person; a flush sends that person's delivery (deliver.ts). A failure retries the message with
// backoff; after max_retries the message goes to `baton-notify-dlq`, whose consumer marks what
// the person was owed as abandoned (kept in D1 for the operator) and acknowledges it.
import { abandonOwed, type DeliverEnv, flushPerson } from "./deliver.ts";
import { notifyMessageSchema } from "./messages.ts";
import { noticesForTasks, recordNotices } from "./record.ts";

/** Seconds before the n-th redelivery: 10 s doubling, at most 10 minutes. */
export function notifyRetryDelay(attempts: number): number {
	return Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));
}

export async function consumeNotifications(
	batch: MessageBatch<unknown>,
	env: DeliverEnv,
): Promise<void> {
	const dead = batch.queue.endsWith("-dlq");
	for (const message of batch.messages) {
		const parsed = notifyMessageSchema.safeParse(message.body);
		if (!parsed.success) {
			// Nothing of ours sent this; retrying cannot make it valid.
			console.error(JSON.stringify({ where: "notify", error: "malformed notify message" }));
			message.ack();
			continue;
		}
		const m = parsed.data;
		const now = Date.now();
		try {
			if (dead) {
				if (m.type === "flush") {
					const n = await abandonOwed(env.DB, m.userId, now);
					console.error(JSON.stringify({ where: "notify-dlq", userId: m.userId, abandoned: n }));
				}
			} else if (m.type === "flush") {
				await flushPerson(env, m.userId, now);
			} else {
				const list = m.type === "tasks" ? await noticesForTasks(env.DB, m) : m.notices;
				const people = await recordNotices(env.DB, list, now);
				if (people.length > 0) {
					await env.NOTIFY.sendBatch(
						people.map((userId) => ({ body: { type: "flush" as const, userId } })),
					);
				}
			}
			message.ack();
		} catch (error) {
			console.warn(
				JSON.stringify({
					where: "notify",
					type: m.type,
					deliveries: message.attempts,
					error: String(error),
				}),
			);
			message.retry({ delaySeconds: notifyRetryDelay(message.attempts) });
		}
	}
}
