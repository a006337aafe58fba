// message: waits STARTED for a message of this name and correlation key (N1), published by a
// `send` task, by POST /api/v1/messages or by a webhook event trigger; the payload is the result.
// On a start node it is a message start (S4); with `attachedTo`, a message boundary (B1).
import { z } from "zod";
import { defineTask } from "./define-task.ts";

export const message = defineTask({
	name: "message",
	title: "Wait for a message",
	description: "Waits until a message of this name and correlation key arrives.",
	mode: "message",
	params: z.object({
		message: z.string().min(1).max(200).meta({ title: "Message name" }),
		correlationKey: z.string().min(1).max(1000).optional().meta({
			title: "Correlation key",
			description: 'A value, or "= FEEL" over params and process',
		}),
	}),
});
