// event: waits STARTED until an outside event with its correlation key is delivered; the event's
// payload is the result.
import { z } from "zod";
import { defineTask } from "./define-task.ts";

export const event = defineTask({
	name: "event",
	title: "Wait for an event",
	description: "Waits until an event with this correlation key arrives.",
	mode: "event",
	params: z.object({
		correlationKey: z.string().min(1).max(200).meta({ title: "Correlation key" }),
	}),
});
