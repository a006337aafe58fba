// Helpers for the message tests: a message box's contents, and waiting until a task's Subscribe
// has reached its box (the process's outbox sends it after the commit that made the task wait).
import { env } from "cloudflare:workers";
import { type BoxContents, messageBox } from "../../src/messages/message.ts";

export function boxContents(name: string, correlationKey: string): Promise<BoxContents> {
	return messageBox(env, name, correlationKey).contents();
}

/** The box's Durable Object stub, for runDurableObjectAlarm and runInDurableObject. */
export function boxStub(name: string, correlationKey: string) {
	return env.MESSAGES.getByName(JSON.stringify([name, correlationKey]));
}

/** Resolves once the task is in its box's queue of waiting tasks. */
export async function subscribed(
	name: string,
	correlationKey: string,
	taskId: string,
	timeoutMs = 5_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const { subscribers } = await boxContents(name, correlationKey);
		if (subscribers.some((s) => s.taskId === taskId)) return;
		if (Date.now() > deadline) throw new Error(`task ${taskId} never reached its message box`);
		await new Promise((r) => setTimeout(r, 10));
	}
}
