// send: publishes a message (N2) and succeeds with its id. The message is kept by the receiver
// until a matching wait takes it or its time-to-live runs out.
import { z } from "zod";
import { parseDuration } from "../engine/index.ts";
import { defineTask } from "./define-task.ts";

export const send = defineTask({
	name: "send",
	title: "Send a message",
	description: "Publishes a message to the process (or outside system) that waits for it.",
	mode: "send",
	params: z.object({
		message: z.string().min(1).max(200).meta({ title: "Message name" }),
		correlationKey: z.string().min(1).max(1000).meta({
			title: "Correlation key",
			description: 'A value, or "= FEEL" over params and process',
		}),
		payload: z
			.json()
			.optional()
			.meta({ title: "Payload", description: 'Any JSON, or "= FEEL" over params and process' }),
		ttl: z
			.string()
			.refine((s) => parseDuration(s) !== null, 'a duration such as "1h" or "P30D"')
			.optional()
			.meta({ title: "Kept for", description: "How long an undelivered message is kept" }),
	}),
	result: z.string(),
});
