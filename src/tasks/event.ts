// event: the message wait webhook event triggers deliver to: a `message` wait whose message name
// defaults to "event" (N1). The payload is the result.
import { z } from "zod";
import { defineTask } from "./define-task.ts";

export const event = defineTask({
	name: "event",
	title: "Wait for an event",
	description: "Waits until an event with this correlation key arrives.",
	mode: "message",
	params: z.object({
		correlationKey: z.string().min(1).max(200).meta({ title: "Correlation key" }),
		message: z.string().min(1).max(200).default("event").meta({ title: "Message name" }),
	}),
});
