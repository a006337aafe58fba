// The messages on the "tasks" queue: ids only (a message is ≤ 128 KB and params may be large),
// validated on arrival because the queue is a door like any other.
import { z } from "zod";

const id = z.string().min(1).max(200);

export const taskMessageSchema = z.discriminatedUnion("type", [
	/** Run attempt `attempt` of a job task. */
	z.strictObject({
		type: z.literal("run"),
		processId: id,
		taskId: id,
		attempt: z.int().min(1),
	}),
	/** The task was revoked: run its type's onRevoke hook. */
	z.strictObject({
		type: z.literal("revoke"),
		processId: id,
		taskId: id,
		attempt: z.int().min(1),
		taskType: z.string().min(1).max(200),
	}),
]);

export type TaskMessage = z.infer<typeof taskMessageSchema>;
